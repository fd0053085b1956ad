import { ACTS, type Scenario } from "../../scenarios/index.js";
import { aliceSetup, mallorySetup, serverSetup } from "../setup.js";
import { changedLines, footer } from "./chrome.js";
import { blank, fill, labelled, type Line, line, para, span } from "./lines.js";
import { revealed, type State, tally } from "./state.js";
import { LANE_COLOR, safe, won } from "./theme.js";
import { fit, width, wrap } from "./text.js";

export const expectedMark = (s: Scenario) => (s.expected === "attack-succeeds" ? "✘" : "✔");
export const expectedWords = (s: Scenario) => (s.expected === "attack-succeeds" ? "✘ mallory's attack works" : "✔ alice is safe");

/**
 * The scenario list, by act, scrolling to keep the choice in view (the catalogue outgrows 24
 * rows), with the chosen scenario's lesson under it. With --predict, nothing on this screen
 * tells an outcome before the room has answered: no marks, no titles (some name the defence that
 * wins), no lesson; only what is set up, until the scenario has run.
 */
export function homeLines(s: State, w: number, rows: number): Line[] {
  const sel = s.catalogue[s.selected];
  const top: Line[] = [line(span(fit(" xmpp-mitm-lab · STARTTLS stripping vs pinned direct TLS, live on loopback", w), { bold: true }))];
  // Titles in the list where they fit beside the ids; at 80 columns the chosen one's title is
  // shown whole under the list instead of every title wrapped or cut.
  const titles = w >= 96;
  const detail = [blank(), ...changedLines(sel, w), ...details(s, sel, w, !titles)];
  const keys = footer(
    [["↑↓", "choose"], ["enter", s.predictMode ? "ask the room" : "run"], ["c", "compare"], ["e", "exercises"], ["?", "help"], ["q", "quit"]],
    w,
  );
  const listRows = Math.max(3, rows - top.length - detail.length - 1);
  // Spare rows go under the list (the whole catalogue fits from 48 rows): the chosen one's
  // details and the keys stay at the bottom, where they are at 24 rows.
  const shown = window(list(s, w, titles), listRows, s.selected);
  return fill([...top, ...shown, ...detail, keys], rows, top.length + shown.length);
}

interface ListLine {
  line: Line;
  /** The scenario a line belongs to (act headings belong to their first scenario). */
  index: number;
}

function list(s: State, w: number, titles: boolean): ListLine[] {
  const out: ListLine[] = [];
  const idw = Math.max(...s.catalogue.map((x) => x.id.length));
  const acts = [...new Set(s.catalogue.map((x) => x.act))];
  for (const act of acts) {
    const members = s.catalogue.map((x, i) => [x, i] as const).filter(([x]) => x.act === act);
    for (const t of wrap(ACTS[act], w - 2)) out.push({ line: line(span(" " + t, { bold: true, underline: true })), index: members[0][1] });
    for (const [x, i] of members) {
      const on = i === s.selected;
      const head = `${on ? " ▸" : "  "} ${String(x.n).padStart(2)} ${x.id.padEnd(idw)}  `;
      const show = revealed(s, x.id);
      const ran = s.results[x.id] ? (s.results[x.id].asExpected ? "  · ran" : "  · ⚠ not as expected") : "";
      const text = show ? `${expectedMark(x)}${titles ? " " + x.title : ""}${ran}` : ran;
      // The title wraps in its own column rather than lose its end.
      const parts = text ? wrap(text, Math.max(10, w - width(head) - 1)) : [""];
      parts.forEach((p, j) => {
        const l = line(span(j === 0 ? head : " ".repeat(width(head))), span(p));
        out.push({ line: on ? l.map((x) => ({ ...x, inverse: true, bold: true })) : l, index: i });
      });
    }
  }
  return out;
}

/** The lines that fit, around the chosen scenario, with a mark where more are hidden. */
function window(all: ListLine[], rows: number, s: number): Line[] {
  if (all.length <= rows) return all.map((x) => x.line);
  const first = all.findIndex((x) => x.index === s);
  const last = all.length - 1 - [...all].reverse().findIndex((x) => x.index === s);
  // Keep the chosen rows and their act heading in view, about a third from the top.
  let start = Math.max(0, Math.min(first - Math.floor(rows / 3), all.length - rows));
  start = Math.min(start, first);
  if (last >= start + rows) start = last - rows + 1;
  const shown = all.slice(start, start + rows).map((x) => x.line);
  if (start > 0) shown[0] = line(span(`   ↑ ${start} more`, { bold: true }));
  const below = all.length - (start + rows);
  if (below > 0) shown[rows - 1] = line(span(`   ↓ ${below} more`, { bold: true }));
  return shown;
}

function details(s: State, sel: Scenario, w: number, title: boolean): Line[] {
  if (!revealed(s, sel.id)) {
    // The question, not the answer: what each side is set up to do.
    return [
      ...labelled(span(" alice:   ", { bold: true, color: LANE_COLOR.alice() }), aliceSetup(sel), w),
      ...labelled(span(" server:  ", { bold: true, color: LANE_COLOR.server() }), serverSetup(sel), w),
      ...labelled(span(" mallory: ", { bold: true, color: LANE_COLOR.mallory() }), `${sel.capability}; ${mallorySetup(sel)}`, w),
    ];
  }
  const r = s.results[sel.id];
  const room = s.predictions[sel.id] ? roomLine(s, sel) : [];
  return [
    ...(title ? para(sel.title, w, { bold: true }) : []),
    ...para(sel.lesson, w),
    line(
      span(" mallory: ", { bold: true, color: LANE_COLOR.mallory() }),
      `${sel.capability} · expected${sel.variant ? " as shipped" : ""}: `,
      span(expectedWords(sel), { bold: true, color: sel.expected === "attack-succeeds" ? won() : safe() }),
      r && !r.asExpected ? span("  ⚠ the last run was NOT as expected", { bold: true }) : "",
    ),
    ...room,
  ];
}

function roomLine(s: State, sel: Scenario): Line[] {
  const t = tally(s);
  const r = s.results[sel.id];
  if (!r) return [];
  const right = s.predictions[sel.id] === r.outcome;
  return [line(` the room said ${s.predictions[sel.id] === "attack-succeeds" ? "it works" : "it fails"}: ${right ? "✔ right" : "✘ wrong"} · right ${t.right} of ${t.of} so far`)];
}
