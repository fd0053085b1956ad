import type { Panel, Step } from "../story/index.js";
import { diagramLines } from "./diagram.js";
import { type Line, line, span } from "./lines.js";
import { fit } from "./text.js";
import { xmlPane } from "./xml-pane.js";

/**
 * The diagram up to the step on screen and, under it, sharing `room` rows: that step's XML pane
 * when `x` has opened it, else the view a narration line of the step asked for (the CT
 * monitor's, lab/story/ct.ts). The diagram keeps a few rows (the current step stays in view),
 * the pane gets the rest; the XML pane scrolls. A scenario's run and a live session lay out the
 * same way.
 */
export function diagramWithXml(steps: readonly Step[], at: number, xml: { open: boolean; scroll: number }, w: number, room: number): { diagram: Line[]; pane: Line[]; maxScroll: number } {
  let pane: Line[] = [];
  let maxScroll = 0;
  const paneRows = Math.max(4, room - Math.max(3, Math.floor(room / 3)));
  const panels = steps[at - 1]?.panels ?? [];
  if (xml.open) {
    const p = xmlPane(steps[at - 1], w, paneRows, xml.scroll);
    pane = p.lines;
    maxScroll = p.maxScroll;
  } else if (panels.length) {
    pane = panelPane(panels[0], w, paneRows);
  }
  room -= pane.length;
  return { diagram: diagramLines(steps as Step[], at, w, Math.max(1, room)), pane, maxScroll };
}

/**
 * A panel in `rows` rows: its title, then its rows; when they do not all fit, the last row (the
 * panel's conclusion) stays and the ones before it give way, counted.
 */
export function panelPane(p: Panel, w: number, rows: number): Line[] {
  const row = (r: Panel["rows"][number]) => line(span(fit(` ${r.mark === " " ? " " : r.mark} ${r.text}`, w), { bold: r.mark === "⚠" }));
  const title = line(span(fit(` ${p.title}`, w), { bold: true, underline: true }));
  const room = Math.max(1, rows - 1);
  if (p.rows.length <= room) return [title, ...p.rows.map(row)];
  const keep = Math.max(0, room - 2);
  const cut = p.rows.length - 1 - keep;
  return [title, ...p.rows.slice(0, keep).map(row), line(span(fit(`   … ${cut} more row${cut === 1 ? "" : "s"}: mitm-lab run shows them all`, w))), row(p.rows[p.rows.length - 1])];
}
