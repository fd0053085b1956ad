import type { Key } from "ink";
import { EXERCISES } from "../../exercises/index.js";
import { type Action, type Screen, type State, screen } from "./state.js";

/** What a key asks for beyond the pure state: leaving, or running scenarios on real sockets. */
export type Effect =
  | { type: "quit" }
  | { type: "start"; index: number }
  | { type: "fill" }
  /** Read the student's exercise progress from their config dir. */
  | { type: "read-progress" }
  /** Reveal the next hint of this exercise: counted in the student's progress, as `--hint` is. */
  | { type: "hint"; id: string }
  /** Write the run on screen as a Markdown handout, as `run <id> --markdown` does. */
  | { type: "handout" }
  /** Check this exercise with what the student typed, as `exercise check` does (counted the same). */
  | { type: "check"; id: string; text: string };
export type Command = Action | Effect;

/** The key press as the binding sees it, with the terminal's height (a page of scrolling). */
export interface Press {
  input: string;
  key: Partial<Key>;
  rows: number;
}

export interface Binding {
  /** The key as help names it. */
  keys: string;
  does: string;
  /** The screens where it works; help lists it under them. */
  on: Screen[];
  match(p: Press): boolean;
  /** What it does in this state; empty when there is nothing to do (← on the first step, say). */
  run(s: State, p: Press): Command[];
}

const ALL: Screen[] = ["home", "predict", "run", "compare", "help", "exercises", "exercise"];
const runIndex = (s: State) => s.catalogue.findIndex((x) => x.id === s.run!.id);
const atLast = (s: State) => !s.run?.result || s.run.at >= s.run.steps.length;
const scrollKey = ({ key: k }: Press) => !!(k.upArrow || k.downArrow || k.pageUp || k.pageDown);
/** ↑/↓ a line, PgUp/PgDn most of a screen. */
const scrollBy = ({ key: k, rows }: Press) => (k.upArrow || k.pageUp ? -1 : 1) * (k.pageUp || k.pageDown ? Math.max(1, rows - 12) : 1);

/**
 * Every key of the console, as data: the input handler and the help screen both read this list,
 * so help cannot name a key that does nothing (a test presses each one where it applies).
 */
export const BINDINGS: Binding[] = [
  // Anywhere
  { keys: "?", does: "this help; q returns where you were", on: ALL.filter((x) => x !== "help"), match: (p) => p.input === "?", run: () => [{ type: "help" }] },
  {
    keys: "q  esc", does: "back to the screen before; quit from the list", on: ALL,
    match: (p) => p.input === "q" || !!p.key.escape, run: (s) => [s.stack.length > 1 ? { type: "back" } : { type: "quit" }],
  },
  // The scenario list
  {
    keys: "↑ ↓  k j", does: "choose a scenario", on: ["home"],
    match: (p) => !!(p.key.upArrow || p.key.downArrow) || p.input === "k" || p.input === "j",
    run: (_, p) => [{ type: "move", by: p.key.upArrow || p.input === "k" ? -1 : 1 }],
  },
  {
    keys: "enter", does: "run it (with --predict: ask the room first)", on: ["home"], match: (p) => !!p.key.return,
    run: (s) => (s.predictMode ? [{ type: "ask" }] : [{ type: "start", index: s.selected }]),
  },
  { keys: "c", does: "compare every scenario run so far", on: ["home", "run"], match: (p) => p.input === "c", run: () => [{ type: "compare" }] },
  { keys: "e", does: "the exercises: defend, attack, investigate (docs/exercises.md)", on: ["home"], match: (p) => p.input === "e", run: () => [{ type: "exercises" }, { type: "read-progress" }] },
  // The exercises
  {
    keys: "↑ ↓  k j", does: "choose an exercise", on: ["exercises"],
    match: (p) => !!(p.key.upArrow || p.key.downArrow) || p.input === "k" || p.input === "j",
    run: (_, p) => [{ type: "exercise-move", by: p.key.upArrow || p.input === "k" ? -1 : 1, count: EXERCISES.length }],
  },
  { keys: "enter", does: "read it: the task, and how to check it", on: ["exercises"], match: (p) => !!p.key.return, run: () => [{ type: "exercise" }] },
  {
    keys: "h", does: "the next hint (counted in your report, as --hint is)", on: ["exercise"], match: (p) => p.input === "h",
    run: (s) => {
      const e = EXERCISES[s.exercises.selected];
      return (s.exercises.progress[e.id]?.hintsUsed ?? 0) < e.hints.length ? [{ type: "hint", id: e.id }] : [];
    },
  },
  // The room's answer
  {
    keys: "y  n", does: "the room's answer: yes, it works / no, it fails", on: ["predict"], match: (p) => p.input === "y" || p.input === "n",
    run: (s, p) => [{ type: "predict", answer: p.input === "y" ? "attack-succeeds" : "attack-fails" }, { type: "start", index: s.selected }],
  },
  // A run
  { keys: "space  →", does: "next step", on: ["run"], match: (p) => p.input === " " || !!p.key.rightArrow, run: (s) => (atLast(s) ? [] : [{ type: "next" }]) },
  { keys: "←", does: "previous step (replays the recorded run)", on: ["run"], match: (p) => !!p.key.leftArrow, run: (s) => ((s.run?.at ?? 0) > 1 ? [{ type: "prev" }] : []) },
  { keys: "home", does: "first step", on: ["run"], match: (p) => !!p.key.home, run: (s) => ((s.run?.at ?? 0) > 1 ? [{ type: "first" }] : []) },
  { keys: "end  e", does: "jump to the verdict", on: ["run"], match: (p) => !!p.key.end || p.input === "e", run: (s) => (atLast(s) ? [] : [{ type: "end" }]) },
  { keys: "a", does: "autoplay on/off", on: ["run"], match: (p) => p.input === "a", run: (s) => (s.run?.result ? [{ type: "toggle-autoplay" }] : []) },
  { keys: "+  -", does: "autoplay faster / slower", on: ["run"], match: (p) => ["+", "=", "-"].includes(p.input), run: (_, p) => [{ type: "speed", faster: p.input !== "-" }] },
  { keys: "x", does: "the XML of this step, before and after mallory", on: ["run"], match: (p) => p.input === "x", run: () => [{ type: "toggle-xml" }] },
  { keys: "↑ ↓  PgUp PgDn", does: "scroll the XML (when x shows it)", on: ["run"], match: scrollKey, run: (s, p) => (s.xml ? [{ type: "scroll-xml", by: scrollBy(p) }] : []) },
  { keys: "m", does: "write this run as a Markdown handout, <id>.md in the current folder (as run --markdown)", on: ["run"], match: (p) => p.input === "m", run: (s) => (s.run?.result ? [{ type: "handout" }] : []) },
  { keys: "r", does: "run it again, fresh (new ports, new keys)", on: ["run"], match: (p) => p.input === "r", run: (s) => (s.run ? [{ type: "start", index: runIndex(s) }] : []) },
  {
    keys: "n", does: "next scenario", on: ["run"], match: (p) => p.input === "n",
    run: (s) => {
      if (!s.run) return [];
      const next = (runIndex(s) + 1) % s.catalogue.length;
      return s.predictMode ? [{ type: "back" }, { type: "select", index: next }, { type: "ask" }] : [{ type: "select", index: next }, { type: "start", index: next }];
    },
  },
  // Compare
  {
    keys: "a", does: "run every scenario not run yet (the whole matrix)", on: ["compare"], match: (p) => p.input === "a",
    run: (s) => (s.filling === 0 && s.catalogue.some((x) => !s.results[x.id]) ? [{ type: "fill" }] : []),
  },
  {
    keys: "c", does: "check it here: type your settings (defend), tactic file (attack) or answer (investigate), then enter", on: ["exercise"],
    match: (p) => p.input === "c", run: () => [{ type: "check-input", text: "" }],
  },
  { keys: "↑ ↓  PgUp PgDn", does: "scroll", on: ["compare", "help", "exercise"], match: scrollKey, run: (_, p) => [{ type: "scroll-page", by: scrollBy(p) }] },
];

/** The commands for one key press on the current screen. */
export function commandsFor(s: State, p: Press): Command[] {
  const here = screen(s);
  if (here === "exercise" && s.exercises.input !== null) return typing(s, s.exercises.input, p);
  const b = BINDINGS.find((x) => x.on.includes(here) && x.match(p));
  return b ? b.run(s, p) : [];
}

/** While a check is being typed, keys are text: enter checks, esc leaves, backspace erases. */
function typing(s: State, text: string, p: Press): Command[] {
  if (p.key.escape) return [{ type: "check-input", text: null }];
  if (p.key.return) return text.trim() ? [{ type: "check-running", id: EXERCISES[s.exercises.selected].id }, { type: "check", id: EXERCISES[s.exercises.selected].id, text }] : [];
  if (p.key.backspace || p.key.delete) return [{ type: "check-input", text: text.slice(0, -1) }];
  // Printable text only (a paste arrives as one chunk); control keys and arrows type nothing.
  if (!p.input || /[\x00-\x1f\x7f]/.test(p.input) || p.key.ctrl || p.key.meta) return [];
  return [{ type: "check-input", text: (text + p.input).slice(0, 500) }];
}
