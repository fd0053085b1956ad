import type { Line, Span } from "./lines.js";
import { width } from "./text.js";

type Style = Omit<Span, "t">;

interface Cell {
  ch: string;
  style: Style;
}

/**
 * One terminal line as a row of cells, for drawing at exact columns: lifelines, arrows that
 * cross lanes, marks on a lifeline. A character two cells wide (🔒) takes its cell and the
 * next; writing past the right edge is cut.
 */
export class Row {
  private cells: Cell[];
  constructor(readonly w: number) {
    this.cells = Array.from({ length: w }, () => ({ ch: " ", style: {} }));
  }

  /** Write text from column `col`; returns the column after it. */
  put(col: number, text: string, style: Style = {}): number {
    let c = col;
    for (const ch of text) {
      const cw = width(ch);
      if (c < 0) {
        c += cw;
        continue;
      }
      if (c + cw > this.w) break;
      // Overwriting half of a wide character blanks its other half.
      if (this.cells[c].ch === "") this.cells[c - 1] = { ch: " ", style: {} };
      if (cw === 2 && this.cells[c + 1]?.ch === "") this.cells[c + 1] = { ch: " ", style: {} };
      this.cells[c] = { ch, style };
      if (cw === 2) this.cells[c + 1] = { ch: "", style };
      c += cw;
    }
    return c;
  }

  /** Fill columns [from, to) with one character. */
  fill(from: number, to: number, ch: string, style: Style = {}): void {
    for (let c = Math.max(0, from); c < Math.min(to, this.w); c++) this.put(c, ch, style);
  }

  isBlank(col: number): boolean {
    return this.cells[col]?.ch === " ";
  }

  line(): Line {
    const out: Line = [];
    for (const cell of this.cells) {
      if (cell.ch === "") continue;
      const last = out[out.length - 1];
      if (last && same(last, cell.style)) last.t += cell.ch;
      else out.push({ t: cell.ch, ...cell.style });
    }
    // Trailing blanks carry nothing (Ink trims them anyway).
    while (out.length && out[out.length - 1].t.trim() === "" ) out.pop();
    return out;
  }
}

const same = (a: Style, b: Style) => a.color === b.color && !!a.bold === !!b.bold && !!a.inverse === !!b.inverse && !!a.underline === !!b.underline;
