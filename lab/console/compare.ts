import type { RunResult } from "../runner.js";
import { footer } from "./chrome.js";
import { blank, fill, type Line, line, span } from "./lines.js";
import { type State, tally } from "./state.js";
import { safe, won } from "./theme.js";
import { width } from "./text.js";

/**
 * The witness's findings, one column each (lab/witness/): ✘ mallory got it, ✔ she did not - the
 * symbol is the meaning, the colour only repeats it. Words injected into alice's TLS are a
 * column too: without it starttls-injection, an attack that succeeds, read as all ✔. Under 100
 * columns it is headed "inj", so that the refusal codes beside it still fit on their row.
 */
const columnsFor = (w: number): Array<[string, (r: RunResult) => boolean]> => [
  ["pass", (r) => r.witness.passwordExposed.length > 0 || r.witness.scramExposed.some((x) => x.cracked)],
  ["read", (r) => r.witness.messagesRead.length > 0],
  ["edit", (r) => r.witness.messagesAltered.length > 0],
  ["relay", (r) => r.witness.loginRelayed.length > 0],
  [w >= 100 ? "inject" : "inj", (r) => r.witness.injected.length > 0],
];

/**
 * What the path exposed in each scenario run so far (the witness's: password, a message read, a
 * message rewritten, a login relayed, words injected), the room's answer with --predict, and
 * what alice did.
 * Scrolls when the catalogue outgrows the screen; a row too wide wraps its last column.
 */
export function compareLines(s: State, w: number, rows: number): { lines: Line[]; maxScroll: number } {
  const rows_ = s.catalogue.filter((x) => s.results[x.id]).map((x) => s.results[x.id]);
  const predicted = s.predictMode || Object.keys(s.predictions).length > 0;
  const idw = Math.max(8, ...rows_.map((r) => r.scenario.id.length));
  const t = tally(s);
  const top: Line[] = [
    line(span(" Compare: what the path exposed in each scenario run so far", { bold: true })),
    ...(predicted && t.of ? [line(` the room was right ${t.right} of ${t.of} times`)] : []),
    blank(),
    line(span(`  ${"#".padStart(2)} ${"scenario".padEnd(idw)}  ${columnsFor(w).map(([name]) => name + " ").join("")}${predicted ? "room " : ""}alice`, { bold: true })),
  ];
  const body: Line[] = rows_.length ? rows_.flatMap((r) => row(s, r, idw, predicted, w)) : [line("  (nothing run yet)")];
  const hints: Array<[string, string]> = [];
  if (s.filling) hints.push(["…", `running the rest, ${s.filling} to go`]);
  else if (rows_.length < s.catalogue.length) hints.push(["a", s.predictMode ? "run all the others (shows their outcomes)" : "run all the others"]);
  hints.push(["↑↓", "scroll"], ["?", "help"], ["q", "back"]);
  const keys = footer(hints, w);
  const room = Math.max(1, rows - top.length - 2);
  const maxScroll = Math.max(0, body.length - room);
  const scroll = Math.min(s.pageScroll, maxScroll);
  const shown = body.slice(scroll, scroll + room);
  const more = body.length > room ? line(` lines ${scroll + 1}-${scroll + shown.length} of ${body.length}`) : blank();
  return { lines: fill([...top, ...shown, more, keys], rows, top.length + shown.length), maxScroll };
}

function row(s: State, r: RunResult, idw: number, predicted: boolean, w: number): Line[] {
  const p = s.predictions[r.scenario.id];
  // The room's column: a symbol, never colour alone.
  const room = predicted ? (p ? (p === r.outcome ? "✔" : "✘") : "·") + "    " : "";
  // Columns as the header: each flag under its name, then room and alice.
  const alice = r.defence ? `✋ ${r.defence.code}` : r.client.completed ? "✉ sent it" : "-";
  const flags = columnsFor(w).map(([name, got]) => (got(r) ? "✘" : "✔").padEnd(name.length + 1)).join("");
  const head = `  ${String(r.scenario.n).padStart(2)} ${r.scenario.id.padEnd(idw)}  ${flags}${room}`;
  const style = { color: r.outcome === "attack-succeeds" ? won() : safe() };
  if (width(head + alice) <= w) return [line(span(head + alice, style))];
  // Too wide (80 columns with the room's column): alice's part on its own line, right-aligned.
  return [line(span(head.trimEnd(), style)), line(span(" ".repeat(Math.max(0, w - width(alice))) + alice, style))];
}
