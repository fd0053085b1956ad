import type { Press } from "../keys.js";
import { type LiveAction, type LiveScreen, type LiveState, liveScreen } from "./state.js";

/** What a key asks for beyond the pure state: leaving, or writing the session's handout. */
export type LiveEffect = { type: "quit" } | { type: "handout" };
export type LiveCommand = LiveAction | LiveEffect;

/** The session's step count, which only the built steps know. */
export interface LivePress extends Press {
  steps: number;
}

export interface LiveBinding {
  keys: string;
  does: string;
  on: LiveScreen[];
  match(p: LivePress): boolean;
  run(s: LiveState, p: LivePress): LiveCommand[];
}

const ALL: LiveScreen[] = ["list", "session", "help"];
const scrollKey = ({ key: k }: Press) => !!(k.upArrow || k.downArrow || k.pageUp || k.pageDown);
const scrollBy = ({ key: k, rows }: Press) => (k.upArrow || k.pageUp ? -1 : 1) * (k.pageUp || k.pageDown ? Math.max(1, rows - 12) : 1);

/**
 * Every key of the live console, as data: the input handler and its help screen read this list,
 * so help names no key that does nothing.
 */
export const LIVE_BINDINGS: LiveBinding[] = [
  { keys: "?", does: "this help; q returns where you were", on: ["list", "session"], match: (p) => p.input === "?", run: () => [{ type: "help" }] },
  {
    keys: "q  esc", does: "back to the list; quit from the list (mallory stops with it under attacker --console)", on: ALL,
    match: (p) => p.input === "q" || !!p.key.escape, run: (s) => [s.stack.length > 1 ? { type: "back" } : { type: "quit" }],
  },
  {
    keys: "↑ ↓  k j", does: "choose a session", on: ["list"],
    match: (p) => !!(p.key.upArrow || p.key.downArrow) || p.input === "k" || p.input === "j",
    run: (_, p) => [{ type: "move", by: p.key.upArrow || p.input === "k" ? -1 : 1 }],
  },
  { keys: "enter", does: "open it", on: ["list"], match: (p) => !!p.key.return, run: (s) => (s.log.sessions.length ? [{ type: "open", index: s.selected }] : []) },
  { keys: "tab  shift-tab", does: "the next / previous session", on: ["session"], match: (p) => !!p.key.tab, run: (_, p) => [{ type: "cycle", by: p.key.shift ? -1 : 1 }] },
  { keys: "space  →", does: "next step (pauses following)", on: ["session"], match: (p) => p.input === " " || !!p.key.rightArrow, run: (_, p) => [{ type: "next", max: p.steps }] },
  { keys: "←", does: "previous step (pauses following)", on: ["session"], match: (p) => !!p.key.leftArrow, run: () => [{ type: "prev" }] },
  { keys: "home", does: "first step", on: ["session"], match: (p) => !!p.key.home, run: () => [{ type: "first" }] },
  { keys: "end  e", does: "jump to now, and follow from there", on: ["session"], match: (p) => !!p.key.end || p.input === "e", run: (_, p) => [{ type: "now", max: p.steps }] },
  { keys: "f  a", does: "follow on/off: a step at a time, at the pace below, up to now", on: ["session"], match: (p) => p.input === "f" || p.input === "a", run: () => [{ type: "toggle-follow" }] },
  { keys: "+  -", does: "follow faster / slower", on: ["session"], match: (p) => ["+", "=", "-"].includes(p.input), run: (_, p) => [{ type: "speed", faster: p.input !== "-" }] },
  { keys: "x", does: "the XML of this step, as mallory read it and as she passed it on", on: ["session"], match: (p) => p.input === "x", run: () => [{ type: "toggle-xml" }] },
  { keys: "m", does: "write this session as a Markdown handout (diagram, XML, her notes) in the current folder", on: ["session"], match: (p) => p.input === "m", run: () => [{ type: "handout" }] },
  { keys: "↑ ↓  PgUp PgDn", does: "scroll the XML (when x shows it)", on: ["session"], match: scrollKey, run: (s, p) => (s.xml ? [{ type: "scroll-xml", by: scrollBy(p) }] : []) },
  { keys: "↑ ↓  PgUp PgDn", does: "scroll", on: ["help"], match: scrollKey, run: (_, p) => [{ type: "scroll-page", by: scrollBy(p) }] },
];

export function liveCommandsFor(s: LiveState, p: LivePress): LiveCommand[] {
  const here = liveScreen(s);
  const b = LIVE_BINDINGS.find((x) => x.on.includes(here) && x.match(p));
  return b ? b.run(s, p) : [];
}
