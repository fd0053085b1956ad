import { type Line, line, span } from "./lines.js";
import type { Step } from "../story/index.js";
import { fit } from "./text.js";
import { diffLines, prettyXml } from "./xml.js";

/**
 * Every line of the XML pane for a step: each section whole (before and after mallory, or what
 * crossed the wire), lines she removed marked -, lines she wrote marked +. The pane scrolls;
 * nothing is cut.
 */
export function xmlBody(step: Step | undefined, w: number): Line[] {
  if (!step || step.xml.length === 0) return [line("   no XML on the wire at this step")];
  const inner = w - 6;
  const pretty = step.xml.map((x) => (x.xml ? prettyXml(x.xml, inner) : []));
  const marks = pretty.length === 2 ? diffLines(pretty[0], pretty[1]) : null;
  const out: Line[] = [];
  step.xml.forEach((x, i) => {
    out.push(line(span(`  ${x.label}:`, { bold: true })));
    if (!pretty[i].length) out.push(line("    (nothing: mallory passed nothing on)"));
    pretty[i].forEach((l, j) => {
      const m = marks ? (i === 0 ? marks.before[j] : marks.after[j]) : " ";
      const sym = m === "-" ? "✂-" : m === "+" ? "✎+" : "  ";
      out.push(line(span(` ${sym} `, { bold: m !== " " }), span(l, { bold: m !== " " })));
    });
  });
  return out;
}

/** The pane: a title with the position, then the lines that fit from `scroll`. */
export function xmlPane(step: Step | undefined, w: number, rows: number, scroll: number): { lines: Line[]; maxScroll: number } {
  const body = xmlBody(step, w);
  const room = Math.max(1, rows - 1);
  const maxScroll = Math.max(0, body.length - room);
  const top = Math.min(scroll, maxScroll);
  const shown = body.slice(top, top + room);
  const where = body.length > room ? ` · lines ${top + 1}-${top + shown.length} of ${body.length} · ↑↓ PgUp PgDn scroll` : "";
  return { lines: [line(span(fit(` XML of this step${where} · x closes`, w), { bold: true, underline: true })), ...shown], maxScroll };
}
