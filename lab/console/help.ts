import { BINDINGS } from "./keys.js";
import { type KeyEntry, keysPage } from "./keys-page.js";
import type { Line } from "./lines.js";
import type { Screen, State } from "./state.js";

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
  const sections: Array<[string, KeyEntry[]]> = [["anywhere", BINDINGS.filter((x) => x.on.length >= 6)]];
  for (const [title, where] of GROUPS) sections.push([title, BINDINGS.filter((x) => x.on.length < 6 && x.on.includes(where))]);
  return keysPage("Keys", sections, "Every claim on screen comes from an event the nodes reported from their sockets.", s.pageScroll, w, rows);
}
