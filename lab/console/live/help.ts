import { type KeyEntry, keysPage } from "../keys-page.js";
import type { Line } from "../lines.js";
import { LIVE_BINDINGS } from "./keys.js";
import type { LiveScreen, LiveState } from "./state.js";

const GROUPS: Array<[string, LiveScreen]> = [
  ["the session list", "list"],
  ["a session", "session"],
];

/** Every key of the live console, by screen, from the list the input handler reads. */
export function liveHelpLines(s: LiveState, w: number, rows: number): { lines: Line[]; maxScroll: number } {
  // Keys of both the list and a session are listed once, under "anywhere".
  const anywhere = (b: (typeof LIVE_BINDINGS)[number]) => b.on.includes("list") && b.on.includes("session");
  const sections: Array<[string, KeyEntry[]]> = [["anywhere", LIVE_BINDINGS.filter(anywhere)]];
  for (const [title, where] of GROUPS) sections.push([title, LIVE_BINDINGS.filter((x) => !anywhere(x) && x.on.includes(where))]);
  const note = "Live sessions are drawn from mallory's own log: what she read, wrote and noted on her sockets. No endpoint reports here, so nothing on these screens is confirmed by the client, the server or the recipient; a scenario run (mitm-lab console) has that witness.";
  return keysPage("Keys (live)", sections, note, s.pageScroll, w, rows);
}
