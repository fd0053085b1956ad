import { geometry, type LaneTitles, laneTitles, stepLines } from "../console/diagram.js";
import { lineText, rule } from "../console/lines.js";
import type { Step } from "../story/index.js";

/** Width of the diagram in a handout: readable in a browser's code block and on A4 at 8 pt. */
export const HANDOUT_WIDTH = 96;
const GUTTER = 4;

/**
 * The whole sequence diagram as plain text - every step, as the console draws it - each step
 * numbered in a gutter on its left, so the page's lists can refer to it ("step 7").
 */
export function diagramText(steps: readonly Step[], lanes?: LaneTitles, w = HANDOUT_WIDTH): string[] {
  const g = geometry(w);
  const out = [" ".repeat(GUTTER) + lineText(laneTitles(w, lanes)), " ".repeat(GUTTER) + lineText(rule(w))];
  steps.forEach((st, i) => {
    stepLines(st, g, false).forEach((l, j) => out.push(`${j === 0 ? String(i + 1).padStart(GUTTER - 1) + " " : " ".repeat(GUTTER)}${lineText(l)}`.trimEnd()));
  });
  return out;
}
