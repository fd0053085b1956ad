/**
 * Minimal ANSI styling for the plain narrator. Meaning is never carried by colour alone:
 * every styled word also has a symbol. NO_COLOR (no-color.org) and non-terminals get none.
 */
const enabled = (stream: NodeJS.WriteStream) =>
  !process.env.NO_COLOR && process.env.TERM !== "dumb" && (!!stream.isTTY || !!process.env.FORCE_COLOR);

export interface Style {
  bold(s: string): string;
  dim(s: string): string;
  good(s: string): string;
  bad(s: string): string;
  warn(s: string): string;
  accent(s: string): string;
}

export function style(stream: NodeJS.WriteStream = process.stdout): Style {
  const on = enabled(stream);
  const w = (open: number, close: number) => (s: string) => (on ? `\x1b[${open}m${s}\x1b[${close}m` : s);
  return { bold: w(1, 22), dim: w(2, 22), good: w(32, 39), bad: w(31, 39), warn: w(33, 39), accent: w(36, 39) };
}

export const plain: Style = { bold: (s) => s, dim: (s) => s, good: (s) => s, bad: (s) => s, warn: (s) => s, accent: (s) => s };
