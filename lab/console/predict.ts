import { aliceSetup, mallorySetup, serverSetup } from "../setup.js";
import { changedLines, footer, header } from "./chrome.js";
import { blank, fill, labelled, type Line, line, span } from "./lines.js";
import { type State, tally } from "./state.js";
import { LANE_COLOR } from "./theme.js";

/**
 * The room's question. It shows how each side is set up and nothing that tells the outcome:
 * no title (some name the defence that wins), no lesson, no expected verdict.
 */
export function predictLines(s: State, w: number, rows: number): Line[] {
  const sc = s.catalogue[s.selected];
  const t = tally(s);
  const body: Line[] = [
    header(sc, s.catalogue.length, w),
    ...changedLines(sc, w),
    blank(),
    ...labelled(span(" alice:   ", { bold: true, color: LANE_COLOR.alice() }), aliceSetup(sc), w),
    ...labelled(span(" server:  ", { bold: true, color: LANE_COLOR.server() }), serverSetup(sc), w),
    ...labelled(span(" mallory: ", { bold: true, color: LANE_COLOR.mallory() }), `${sc.capability}; ${mallorySetup(sc)}`, w),
    blank(),
    line(span(" Ask the room: will mallory's attack work?", { bold: true })),
    blank(),
    line("   ", span("y", { bold: true }), "  yes, it works        ", span("n", { bold: true }), "  no, it fails"),
    ...(t.of ? [blank(), line(` So far the room was right ${t.right} of ${t.of} times.`)] : []),
  ];
  return fill([...body, footer([["y", "works"], ["n", "fails"], ["?", "help"], ["q", "back"]], w)], rows, body.length);
}
