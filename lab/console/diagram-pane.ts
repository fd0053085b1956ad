import type { Step } from "../story/index.js";
import { diagramLines } from "./diagram.js";
import type { Line } from "./lines.js";
import { xmlPane } from "./xml-pane.js";

/**
 * The diagram up to the step on screen and, when `x` has opened it, that step's XML pane under
 * it, sharing `room` rows: the diagram keeps a few (the current step stays in view), the pane
 * gets the rest and scrolls. A scenario's run and a live session lay out the same way.
 */
export function diagramWithXml(steps: readonly Step[], at: number, xml: { open: boolean; scroll: number }, w: number, room: number): { diagram: Line[]; pane: Line[]; maxScroll: number } {
  let pane: Line[] = [];
  let maxScroll = 0;
  if (xml.open) {
    const paneRows = Math.max(4, room - Math.max(3, Math.floor(room / 3)));
    const p = xmlPane(steps[at - 1], w, paneRows, xml.scroll);
    pane = p.lines;
    maxScroll = p.maxScroll;
    room -= pane.length;
  }
  return { diagram: diagramLines(steps as Step[], at, w, Math.max(1, room)), pane, maxScroll };
}
