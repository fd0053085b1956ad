import { footer } from "./chrome.js";
import { BINDINGS } from "./keys.js";
import { blank, fill, type Line, line, span } from "./lines.js";
import type { Screen, State } from "./state.js";
import { wrap } from "./text.js";

const GROUPS: Array<[string, Screen]> = [
  ["the scenario list", "home"],
  ["a run", "run"],
  ["the room's question (--predict)", "predict"],
  ["compare", "compare"],
  ["the exercises", "exercises"],
  ["an exercise", "exercise"],
];

/** Every key, by the screen it works on, read from the same list the input handler uses. */
export function helpLines(s: State, w: number, rows: number): { lines: Line[]; maxScroll: number } {
  const kw = Math.max(...BINDINGS.map((b) => b.keys.length)) + 2;
  const entry = (keys: string, does: string): Line[] =>
    wrap(does, Math.max(10, w - kw - 3)).map((t, i) => line("  ", span((i === 0 ? keys : "").padEnd(kw), { bold: true }), t));
  const body: Line[] = [line(span(" anywhere", { bold: true, underline: true }))];
  for (const b of BINDINGS.filter((x) => x.on.length >= 6)) body.push(...entry(b.keys, b.does));
  for (const [title, where] of GROUPS) {
    body.push(line(span(` ${title}`, { bold: true, underline: true })));
    for (const b of BINDINGS.filter((x) => x.on.length < 6 && x.on.includes(where))) body.push(...entry(b.keys, b.does));
  }
  body.push(blank(), ...wrap("Every claim on screen comes from an event the nodes reported from their sockets.", w - 2).map((t) => line(" " + t)));
  const top = [line(span(" Keys", { bold: true }))];
  const room = Math.max(1, rows - top.length - 1);
  const maxScroll = Math.max(0, body.length - room);
  const scroll = Math.min(s.pageScroll, maxScroll);
  const shown = body.slice(scroll, scroll + room);
  const hints: Array<[string, string]> = body.length > room ? [["↑↓", `scroll (${scroll + shown.length} of ${body.length})`], ["q", "back"]] : [["q", "back"]];
  return { lines: fill([...top, ...shown, footer(hints, w)], rows, top.length + shown.length), maxScroll };
}
