import { type Outcome, type Scenario, SCENARIOS } from "../../scenarios/index.js";
import type { RunResult } from "../runner.js";
import type { Step } from "../story/index.js";
import { type PaneAction, type Panes, reducePanes } from "./panes.js";

/** All of the console's state, in one place; the reducer is pure and tested without a terminal. */
export interface RunView {
  id: string;
  result: RunResult | null;
  steps: Step[];
  /** How many steps are shown (1..steps.length). */
  at: number;
}

export type Screen = "home" | "predict" | "run" | "compare" | "help" | "exercises" | "exercise";

/** The exercises screens (`e`): which one is chosen, and the student's progress as last read. */
export interface ExercisesView {
  selected: number;
  /** Per exercise id, from the progress file (lab/exercises/progress.ts); read by the App, not here. */
  progress: Record<string, { status: "new" | "tried" | "solved"; hintsUsed: number }>;
  /** What the student is typing for a check (`c` on an exercise), or null when not typing. */
  input: string | null;
  /** The last check of each exercise in this session, as its text; null while it runs. */
  checks: Record<string, string | null>;
}

export interface State extends Panes {
  /** The scenarios of this session, with any --set applied: what the screens show is what runs. */
  catalogue: Scenario[];
  /**
   * Where the presenter is, and how they got there: `q` pops back to the screen below, so help
   * opened from a run returns to that run, and only `q` on home (the bottom) quits.
   */
  stack: Screen[];
  selected: number;
  run: RunView | null;
  autoplay: boolean;
  /** Milliseconds between steps in autoplay. */
  speed: number;
  predictMode: boolean;
  /** What the room predicted per scenario id. */
  predictions: Record<string, Outcome>;
  /** The latest result per scenario id, for the compare view. */
  results: Record<string, RunResult>;
  error: string | null;
  /** A line for the presenter under the run (a handout written), until the next step. */
  notice: string | null;
  /** Scenarios still to run for the compare view; 0 when idle. */
  filling: number;
  exercises: ExercisesView;
}

export const initialState = (predictMode = false, catalogue: Scenario[] = SCENARIOS): State => ({
  catalogue, stack: ["home"], selected: 0, run: null, autoplay: false, speed: 900, xml: false, xmlScroll: 0, pageScroll: 0,
  predictMode, predictions: {}, results: {}, error: null, notice: null, filling: 0, exercises: { selected: 0, progress: {}, input: null, checks: {} },
});

export type Action =
  | { type: "move"; by: number }
  | { type: "select"; index: number }
  /** Enter on home with --predict: ask the room first. */
  | { type: "ask" }
  | { type: "predict"; answer: Outcome }
  | { type: "started"; id: string }
  /** A run came back, with its steps (built by the caller: the step builder loads after the first frame). */
  | { type: "finished"; result: RunResult; steps: Step[] }
  /** A run made for the compare view (`a` there): recorded, not shown step by step. */
  | { type: "recorded"; result: RunResult }
  | { type: "filling"; left: number }
  | { type: "failed"; message: string }
  | { type: "notice"; text: string | null }
  | { type: "next" }
  | { type: "prev" }
  | { type: "first" }
  | { type: "end" }
  | { type: "toggle-autoplay" }
  | { type: "speed"; faster: boolean }
  | PaneAction
  /** `max`: how far the content can scroll, as the drawn frame knows it. */
  | { type: "compare" }
  | { type: "help" }
  /** The exercises list, and one exercise's task (with the hints taken so far). */
  | { type: "exercises" }
  | { type: "exercise" }
  | { type: "exercise-move"; by: number; count: number }
  | { type: "progress"; progress: ExercisesView["progress"] }
  /** The line typed for a check (null: not typing); a check started; its text once done. */
  | { type: "check-input"; text: string | null }
  | { type: "check-running"; id: string }
  | { type: "check-done"; id: string; text: string }
  | { type: "back" };

export const screen = (s: State): Screen => s.stack[s.stack.length - 1];

export function selectedId(s: State): string {
  return s.catalogue[s.selected].id;
}

/** Push a screen (once: pressing ? on help stays on help). */
const push = (s: State, to: Screen): State => (screen(s) === to ? s : { ...s, stack: [...s.stack, to], pageScroll: 0, autoplay: false });

/** A fresh step: the XML pane, if open, starts at its top. */
const at = (s: State, n: number): State => ({ ...s, run: { ...s.run!, at: n }, xmlScroll: 0, notice: null });

export function reduce(s: State, a: Action): State {
  switch (a.type) {
    case "move": {
      const n = s.catalogue.length;
      return { ...s, selected: (s.selected + a.by + n) % n };
    }
    case "select":
      return { ...s, selected: a.index };
    case "ask":
      return s.predictMode ? push(s, "predict") : s;
    case "predict":
      return { ...s, predictions: { ...s.predictions, [selectedId(s)]: a.answer } };
    case "started":
      // Runs start from home, from the room's answer, or from a run (r, n): the run replaces
      // whatever led to it, so q from a run always lands on home.
      return { ...s, stack: ["home", "run"], run: { id: a.id, result: null, steps: [], at: 0 }, autoplay: false, xml: false, xmlScroll: 0, error: null, notice: null };
    case "finished": {
      if (!s.run || s.run.id !== a.result.scenario.id) return s;
      const steps = a.steps;
      return { ...s, run: { ...s.run, result: a.result, steps, at: Math.min(1, steps.length) }, results: { ...s.results, [a.result.scenario.id]: a.result } };
    }
    case "recorded":
      return { ...s, results: { ...s.results, [a.result.scenario.id]: a.result } };
    case "filling":
      return { ...s, filling: a.left };
    case "failed":
      return { ...s, error: a.message };
    case "notice":
      return { ...s, notice: a.text };
    case "next":
      if (!s.run?.result) return s;
      if (s.run.at >= s.run.steps.length) return { ...s, autoplay: false };
      return at(s, s.run.at + 1);
    case "prev":
      if (!s.run?.result) return s;
      return { ...at(s, Math.max(1, s.run.at - 1)), autoplay: false };
    case "first":
      if (!s.run?.result) return s;
      return { ...at(s, Math.min(1, s.run.steps.length)), autoplay: false };
    case "end":
      if (!s.run?.result) return s;
      return { ...at(s, s.run.steps.length), autoplay: false };
    case "toggle-autoplay":
      return { ...s, autoplay: !s.autoplay };
    case "speed":
      return { ...s, speed: Math.min(3000, Math.max(150, Math.round(s.speed * (a.faster ? 0.66 : 1.5)))) };
    case "toggle-xml":
    case "scroll-xml":
    case "scroll-page":
      return reducePanes(s, a);
    case "compare":
      return push(s, "compare");
    case "help":
      return push(s, "help");
    case "exercises":
      return push(s, "exercises");
    case "exercise":
      return { ...push(s, "exercise"), exercises: { ...s.exercises, input: null } };
    case "exercise-move": {
      const n = Math.max(1, a.count);
      return { ...s, exercises: { ...s.exercises, selected: (s.exercises.selected + a.by + n) % n } };
    }
    case "progress":
      return { ...s, exercises: { ...s.exercises, progress: a.progress } };
    case "check-input":
      return { ...s, exercises: { ...s.exercises, input: a.text } };
    case "check-running":
      return { ...s, pageScroll: 0, exercises: { ...s.exercises, input: null, checks: { ...s.exercises.checks, [a.id]: null } } };
    case "check-done":
      return { ...s, pageScroll: 0, exercises: { ...s.exercises, checks: { ...s.exercises.checks, [a.id]: a.text } } };
    case "back":
      if (s.stack.length <= 1) return s;
      return { ...s, stack: s.stack.slice(0, -1), pageScroll: 0, autoplay: false };
  }
}


/** Is the run at its last step (the verdict is on screen)? */
export function atEnd(s: State): boolean {
  return !!s.run?.result && s.run.at >= s.run.steps.length;
}

/** The room's record so far: predictions checked against the runs that followed them. */
export function tally(s: State): { right: number; of: number } {
  let right = 0;
  let of = 0;
  for (const [id, answer] of Object.entries(s.predictions)) {
    const r = s.results[id];
    if (!r) continue;
    of++;
    if (r.outcome === answer) right++;
  }
  return { right, of };
}

/** Has this scenario's outcome been shown in this session (so predict mode may show it)? */
export function revealed(s: State, id: string): boolean {
  return !s.predictMode || !!s.results[id];
}
