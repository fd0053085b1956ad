import stringWidth from "string-width";

/**
 * Text that must fit a terminal cell grid. Widths are measured as the terminal draws them
 * (string-width, as Ink does: 🔒 takes two cells, ✂ one), never by `.length`, or the lanes
 * drift apart by a cell per symbol.
 *
 * Measured a character at a time, each distinct one once: string-width segments every
 * non-ASCII string into graphemes, and the console measures thousands of strings per frame
 * (the first frame is part of the show, bench/startup.ts). The lab's text has no combining
 * marks or emoji sequences, so a string's width is the sum of its characters'.
 */
const ASCII = /^[\x20-\x7e]*$/;
const known = new Map<string, number>();
export function width(s: string): number {
  if (ASCII.test(s)) return s.length;
  let n = 0;
  for (const ch of s) {
    let w = known.get(ch);
    if (w === undefined) known.set(ch, (w = stringWidth(ch)));
    n += w;
  }
  return n;
}

/** Cut the end to `w` cells, with an ellipsis: only for text whose end does not matter. */
export function fit(s: string, w: number): string {
  if (w <= 0) return "";
  if (width(s) <= w) return s;
  return takeCells(s, w - 1) + "…";
}

/**
 * Shorten to `w` cells by dropping the middle: both ends stay, because the start says what a
 * thing is and the end is where the IBAN is. The end gets the larger share: a few words of the
 * start are enough to recognise it (`"Please wire…DE89 3704 0044 0532 0130 00"`).
 */
export function elideMiddle(s: string, w: number): string {
  if (width(s) <= w) return s;
  if (w <= 1) return w === 1 ? "…" : "";
  const head = Math.max(1, Math.min(12, Math.floor((w - 1) * 0.3)));
  const tail = w - 1 - head;
  return takeCells(s, head) + "…" + takeLastCells(s, tail);
}

/** Word-wrap to lines of at most `w` cells; a word longer than a line is split. */
export function wrap(s: string, w: number): string[] {
  if (w <= 0) return [];
  const lines: string[] = [];
  for (const para of s.split("\n")) {
    let line = "";
    for (const word of para.split(/(?<= )/)) {
      if (width(line + word.trimEnd()) <= w) {
        line += word;
        continue;
      }
      if (line.trim()) lines.push(line.trimEnd());
      line = "";
      let rest = word;
      while (width(rest.trimEnd()) > w) {
        const head = takeCells(rest, w);
        lines.push(head);
        rest = rest.slice(head.length);
      }
      line = rest;
    }
    lines.push(line.trimEnd());
  }
  return lines;
}

/** Pad with spaces to exactly `w` cells (cutting the end if longer). */
export function pad(s: string, w: number): string {
  const t = fit(s, w);
  return t + " ".repeat(Math.max(0, w - width(t)));
}

/** The longest prefix of `s` that takes at most `w` cells (never splitting a character). */
export function takeCells(s: string, w: number): string {
  let out = "";
  let used = 0;
  for (const ch of s) {
    const cw = width(ch);
    if (used + cw > w) break;
    out += ch;
    used += cw;
  }
  return out;
}

function takeLastCells(s: string, w: number): string {
  const chars = [...s];
  let out = "";
  let used = 0;
  for (let i = chars.length - 1; i >= 0; i--) {
    const cw = width(chars[i]);
    if (used + cw > w) break;
    out = chars[i] + out;
    used += cw;
  }
  return out;
}
