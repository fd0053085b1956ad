import { compareLines } from "./compare.js";
import { exerciseLines, exercisesLines } from "./exercises.js";
import { helpLines } from "./help.js";
import { homeLines } from "./home.js";
import type { Line } from "./lines.js";
import { predictLines } from "./predict.js";
import { runLines } from "./run.js";
import { screen, type State } from "./state.js";

export interface Frame {
  lines: Line[];
  /** How far the scrollable part of this screen can scroll (XML pane, help, compare). */
  maxScroll: number;
}

/** The whole screen for a state at a size: pure, so tests and `mitm-lab record` draw it too. */
export function frameFor(s: State, w: number, rows: number): Frame {
  switch (screen(s)) {
    case "home":
      return { lines: homeLines(s, w, rows), maxScroll: 0 };
    case "predict":
      return { lines: predictLines(s, w, rows), maxScroll: 0 };
    case "run":
      return runLines(s, w, rows);
    case "compare":
      return compareLines(s, w, rows);
    case "help":
      return helpLines(s, w, rows);
    case "exercises":
      return { lines: exercisesLines(s, w, rows), maxScroll: 0 };
    case "exercise":
      return exerciseLines(s, w, rows);
  }
}
