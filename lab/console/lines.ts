import { fit, pad, takeCells, width, wrap } from "./text.js";

/**
 * The console draws lines of styled spans, laid out to the cell: the sequence diagram puts
 * arrows at exact columns, and every line must fit the terminal (a line one cell too wide wraps
 * and shifts everything under it). Screens are pure functions from state and size to lines.
 */
export interface Span {
  t: string;
  color?: string;
  bold?: boolean;
  inverse?: boolean;
  underline?: boolean;
}
export type Line = Span[];

export const span = (t: string, style: Omit<Span, "t"> = {}): Span => ({ t, ...style });
export const line = (...spans: Array<Span | string>): Line => spans.map((x) => (typeof x === "string" ? { t: x } : x));
export const blank = (): Line => [];

export const lineWidth = (l: Line): number => l.reduce((n, x) => n + width(x.t), 0);
export const lineText = (l: Line): string => l.map((x) => x.t).join("");

/** Cut a line to `w` cells (an ellipsis marks the cut). */
export function fitLine(l: Line, w: number): Line {
  if (lineWidth(l) <= w) return l;
  const out: Line = [];
  let left = w - 1;
  for (const x of l) {
    const cw = width(x.t);
    if (cw <= left) {
      out.push(x);
      left -= cw;
      continue;
    }
    out.push({ ...x, t: takeCells(x.t, left) + "…" });
    return out;
  }
  return out;
}

/** A paragraph in one style, word-wrapped to `w` cells after an indent (continuations align). */
export function para(text: string, w: number, style: Omit<Span, "t"> = {}, indent = " "): Line[] {
  return wrap(text, Math.max(1, w - width(indent))).map((t) => [span(indent), span(t, style)]);
}

/** Label then wrapped text, continuation lines under the text: ` alice:   STARTTLS if …`. */
export function labelled(label: Span, text: string, w: number, style: Omit<Span, "t"> = {}): Line[] {
  const lw = width(label.t);
  return wrap(text, Math.max(1, w - lw)).map((t, i) => [i === 0 ? label : span(" ".repeat(lw)), span(t, style)]);
}

/** A horizontal rule across the frame. */
export const rule = (w: number): Line => [span("─".repeat(Math.max(0, w)))];

/** Fill to exactly `rows` lines: blank lines at `at` (default: the end) or cut from there. */
export function fill(lines: Line[], rows: number, at = lines.length): Line[] {
  if (lines.length >= rows) return lines.slice(0, rows);
  return [...lines.slice(0, at), ...Array.from({ length: rows - lines.length }, blank), ...lines.slice(at)];
}

/** Columns: `cells` spans each padded to its width. */
export function columns(cells: Array<[Span, number]>): Line {
  return cells.map(([x, w]) => ({ ...x, t: pad(x.t, w) }));
}

export { fit };
