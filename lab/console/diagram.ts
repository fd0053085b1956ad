import { type Line, line, span } from "./lines.js";
import type { Step } from "./steps.js";
import { type Lane, LANE_COLOR } from "./theme.js";
import { elideMiddle, width, wrap } from "./text.js";

const LANES: Array<[Lane, string, string]> = [
  ["alice", "alice (client)", "alice"],
  ["mallory", "mallory (attacker)", "mallory"],
  ["server", "server lab.example", "server"],
];

const laneWidth = (w: number) => Math.floor((w - 1) / 3);

export function laneTitles(w: number): Line {
  const lw = laneWidth(w);
  return LANES.flatMap(([lane, long, short]) => {
    const t = width(long) + 1 <= lw ? long : short;
    return [span(" " + t, { bold: true, underline: true, color: LANE_COLOR[lane]() }), span(" ".repeat(Math.max(0, lw - width(t) - 1)))];
  });
}

/**
 * One step as diagram lines: indented to its lane, running on into the lanes to its right. A
 * quoted message body is shortened in its middle, never at its start or end; anything else that
 * does not fit wraps under itself. The current step is marked › (not by colour alone).
 */
export function stepLines(step: Step, w: number, current: boolean): Line[] {
  const lw = laneWidth(w);
  let label = step.dir === "right" ? `${step.text} ─▶` : step.dir === "left" ? `◀─ ${step.text}` : step.text;
  let indent = step.lane === "alice" ? 0 : step.lane === "mallory" ? lw : 2 * lw;
  // The server lane is the narrowest at the right edge: a long line moves left into the empty
  // middle of its row rather than lose its end - and then says whose line it is.
  if (step.lane === "server" && w - indent - 2 < width(label)) {
    label = "server: " + label;
    indent = Math.max(lw, w - width(label) - 2);
  }
  const room = w - indent - 2;
  const q = /^(.*?)"(.*)"(.*)$/.exec(label);
  if (q && width(label) > room) {
    const body = elideMiddle(q[2], Math.max(12, room - width(q[1]) - width(q[3]) - 2));
    label = `${q[1]}"${body}"${q[3]}`;
  }
  const style = { color: LANE_COLOR[step.lane](), bold: current };
  return wrap(label, room).map((t, i) => line(span(current && i === 0 ? "›" : " ", { bold: true }), " ".repeat(indent), span(t, style)));
}

/** The steps up to the current one, as many as fit, the current at the bottom. */
export function diagramLines(steps: Step[], at: number, w: number, rows: number): Line[] {
  const out: Line[] = [];
  for (let i = at - 1; i >= 0 && out.length < rows; i--) {
    const l = stepLines(steps[i], w, i === at - 1);
    out.unshift(...l);
  }
  return out.slice(-rows);
}
