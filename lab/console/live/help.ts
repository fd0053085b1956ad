import { footer } from "../chrome.js";
import { blank, fill, type Line, line, span } from "../lines.js";
import { wrap } from "../text.js";
import { LIVE_BINDINGS } from "./keys.js";
import type { LiveScreen, LiveState } from "./state.js";

const GROUPS: Array<[string, LiveScreen]> = [
  ["the session list", "list"],
  ["a session", "session"],
];

/** Every key of the live console, by screen, from the list the input handler reads. */
export function liveHelpLines(s: LiveState, w: number, rows: number): { lines: Line[]; maxScroll: number } {
  const kw = Math.max(...LIVE_BINDINGS.map((b) => b.keys.length)) + 2;
  const entry = (keys: string, does: string): Line[] =>
    wrap(does, Math.max(10, w - kw - 3)).map((t, i) => line("  ", span((i === 0 ? keys : "").padEnd(kw), { bold: true }), t));
  const body: Line[] = [line(span(" anywhere", { bold: true, underline: true }))];
  // Keys of both the list and a session are listed once, under "anywhere".
  const anywhere = (b: (typeof LIVE_BINDINGS)[number]) => b.on.includes("list") && b.on.includes("session");
  for (const b of LIVE_BINDINGS.filter(anywhere)) body.push(...entry(b.keys, b.does));
  for (const [title, where] of GROUPS) {
    body.push(line(span(` ${title}`, { bold: true, underline: true })));
    for (const b of LIVE_BINDINGS.filter((x) => !anywhere(x) && x.on.includes(where))) body.push(...entry(b.keys, b.does));
  }
  body.push(
    blank(),
    ...wrap("Live sessions are drawn from mallory's own log: what she read, wrote and noted on her sockets. No endpoint reports here, so nothing on these screens is confirmed by the client, the server or the recipient; a scenario run (mitm-lab console) has that witness.", w - 2).map((t) => line(" " + t)),
  );
  const top = [line(span(" Keys (live)", { bold: true }))];
  const room = Math.max(1, rows - top.length - 1);
  const maxScroll = Math.max(0, body.length - room);
  const scroll = Math.min(s.pageScroll, maxScroll);
  const shown = body.slice(scroll, scroll + room);
  const hints: Array<[string, string]> = body.length > room ? [["↑↓", `scroll (${scroll + shown.length} of ${body.length})`], ["q", "back"]] : [["q", "back"]];
  return { lines: fill([...top, ...shown, footer(hints, w)], rows, top.length + shown.length), maxScroll };
}
