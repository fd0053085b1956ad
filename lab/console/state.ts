import type { RunResult } from "../runner.js";
import { SCENARIOS } from "../../scenarios/index.js";
import { type Step, toSteps } from "./steps.js";

/** All of the console's state, in one place; the reducer is pure and tested without a terminal. */
export interface RunView {
  id: string;
  result: RunResult | null;
  steps: Step[];
  /** How many steps are shown (1..steps.length). */
  at: number;
}

export interface State {
  screen: "home" | "predict" | "run" | "compare" | "help";
  /** The screen to return to from help. */
  back: "home" | "run" | "compare";
  selected: number;
  run: RunView | null;
  autoplay: boolean;
  /** Milliseconds between steps in autoplay. */
  speed: number;
  showXml: boolean;
  predictMode: boolean;
  /** What the room predicted per scenario: "succeeds" | "fails". */
  predictions: Record<string, "attack-succeeds" | "attack-fails">;
  /** The latest result per scenario id, for the compare view. */
  results: Record<string, RunResult>;
  error: string | null;
  /** Scenarios still to run for the compare view; 0 when idle. */
  filling: number;
}

export const initialState = (predictMode = false): State => ({
  screen: "home", back: "home", selected: 0, run: null, autoplay: false, speed: 900, showXml: false,
  predictMode, predictions: {}, results: {}, error: null, filling: 0,
});

export type Action =
  | { type: "move"; by: number }
  | { type: "open" } // Enter on home: predict first, or start the run
  | { type: "predict"; answer: "attack-succeeds" | "attack-fails" }
  | { type: "started"; id: string }
  | { type: "finished"; result: RunResult }
  /** A run made for the compare view (`a` there): recorded, not shown step by step. */
  | { type: "recorded"; result: RunResult }
  | { type: "filling"; left: number }
  | { type: "failed"; message: string }
  | { type: "next" }
  | { type: "prev" }
  | { type: "end" }
  | { type: "toggle-autoplay" }
  | { type: "speed"; faster: boolean }
  | { type: "toggle-xml" }
  | { type: "compare" }
  | { type: "help" }
  | { type: "back" };

export function selectedId(s: State): string {
  return SCENARIOS[s.selected].id;
}

export function reduce(s: State, a: Action): State {
  switch (a.type) {
    case "move": {
      const n = SCENARIOS.length;
      return { ...s, selected: (s.selected + a.by + n) % n };
    }
    case "open":
      return s.predictMode ? { ...s, screen: "predict" } : s;
    case "predict":
      return { ...s, predictions: { ...s.predictions, [selectedId(s)]: a.answer } };
    case "started":
      return { ...s, screen: "run", run: { id: a.id, result: null, steps: [], at: 0 }, autoplay: false, showXml: false, error: null };
    case "finished": {
      if (!s.run || s.run.id !== a.result.scenario.id) return s;
      const steps = toSteps(a.result.scenario, a.result.events);
      return { ...s, run: { ...s.run, result: a.result, steps, at: Math.min(1, steps.length) }, results: { ...s.results, [a.result.scenario.id]: a.result } };
    }
    case "recorded":
      return { ...s, results: { ...s.results, [a.result.scenario.id]: a.result } };
    case "filling":
      return { ...s, filling: a.left };
    case "failed":
      return { ...s, error: a.message };
    case "next":
      if (!s.run?.result) return s;
      if (s.run.at >= s.run.steps.length) return { ...s, autoplay: false };
      return { ...s, run: { ...s.run, at: s.run.at + 1 } };
    case "prev":
      if (!s.run?.result) return s;
      return { ...s, run: { ...s.run, at: Math.max(1, s.run.at - 1) }, autoplay: false };
    case "end":
      if (!s.run?.result) return s;
      return { ...s, run: { ...s.run, at: s.run.steps.length }, autoplay: false };
    case "toggle-autoplay":
      return { ...s, autoplay: !s.autoplay };
    case "speed":
      return { ...s, speed: Math.min(3000, Math.max(150, Math.round(s.speed * (a.faster ? 0.66 : 1.5)))) };
    case "toggle-xml":
      return { ...s, showXml: !s.showXml };
    case "compare":
      return { ...s, screen: "compare", back: s.screen === "run" ? "run" : "home", autoplay: false };
    case "help":
      if (s.screen === "help") return s;
      return { ...s, screen: "help", back: s.screen === "predict" ? "home" : s.screen, autoplay: false };
    case "back":
      if (s.screen === "help" || s.screen === "compare") return { ...s, screen: s.back === "run" && s.run ? "run" : "home" };
      return { ...s, screen: "home", autoplay: false };
  }
}

/** Is the run at its last step (the verdict is on screen)? */
export function atEnd(s: State): boolean {
  return !!s.run?.result && s.run.at >= s.run.steps.length;
}
