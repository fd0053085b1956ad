/**
 * Markdown for the handouts: text from the lab's sentences made safe to render (an element
 * named in a sentence, `<starttls/>`, would otherwise vanish as an HTML tag), and fenced blocks
 * that no content can close early.
 */

/** A sentence as Markdown: elements in code spans, the rest with Markdown's specials escaped. */
export function md(text: string): string {
  return text
    .split(/(<[^<>\s][^<>]*>)/)
    .map((part, i) => (i % 2 === 1 ? code(part) : part.replace(/([\\`*_])/g, "\\$1")))
    .join("");
}

/** A code span that holds any text (a longer run of backticks than the text has). */
export function code(text: string): string {
  const ticks = "`".repeat(Math.max(0, ...(text.match(/`+/g) ?? []).map((t) => t.length)) + 1);
  const pad = text.startsWith("`") || text.endsWith("`") ? " " : "";
  return `${ticks}${pad}${text}${pad}${ticks}`;
}

/** A fenced block, its fence longer than any run of backticks inside. */
export function fenced(lines: readonly string[], info = ""): string[] {
  const longest = Math.max(2, ...lines.flatMap((l) => (l.match(/`+/g) ?? []).map((t) => t.length)));
  const fence = "`".repeat(longest + 1);
  return [fence + info, ...lines, fence];
}

export const heading = (depth: number, text: string) => `${"#".repeat(Math.min(6, depth))} ${text}`;
