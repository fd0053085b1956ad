import { useApp, useInput } from "ink";
import { useCallback, useEffect, useReducer, useRef } from "react";
import type { RunResult } from "../runner.js";
import { SCENARIOS, type Scenario } from "../../scenarios/index.js";
import { type Command, commandsFor } from "./keys.js";
import { LinesView } from "./LinesView.js";
import { frameFor } from "./frame.js";
import { atEnd, type ExercisesView, initialState, reduce, screen, type State } from "./state.js";
import { EXERCISES } from "../../exercises/index.js";
import { type ProgressFile, ProgressStore, statusOf } from "../exercises/progress.js";
import { useTerminalSize } from "./useTerminalSize.js";

/** Timers for autoplay, injected so tests step the clock instead of waiting on it. */
export interface Clock {
  setTimeout(f: () => void, ms: number): unknown;
  clearTimeout(t: unknown): void;
}
const realClock: Clock = { setTimeout: (f, ms) => setTimeout(f, ms), clearTimeout: (t) => clearTimeout(t as NodeJS.Timeout) };

export interface AppProps {
  /** The session's scenarios, with any --set applied (default: as shipped). */
  catalogue?: Scenario[];
  /** Runs one scenario on real sockets (injected so UI tests can hand in recorded runs). */
  runScenario: (s: Scenario) => Promise<RunResult>;
  predict?: boolean;
  /** Open straight into this scenario (`mitm-lab console <id>`). */
  startWith?: string;
  /** The student's exercise progress (default: their XDG config dir; injected in UI tests). */
  progress?: ProgressAccess;
  clock?: Clock;
  /** Where `m` writes handouts (default: the folder the console was started in). */
  handoutDir?: string;
}

/** Where the exercises screens read progress and count hints: the student's own store. */
export interface ProgressAccess {
  read(): ExercisesView["progress"];
  /** Count one more hint for this exercise; the progress after it. */
  hint(id: string): ExercisesView["progress"];
  /**
   * Check an exercise with the line the student typed (settings, a tactic file or an answer),
   * counted as `exercise check` counts it; the check's text and the progress after it.
   */
  check?(id: string, typed: string): Promise<{ text: string; progress: ExercisesView["progress"] }>;
}

/** Progress through a ProgressStore: the student's XDG config dir by default. */
export function storeProgress(open: () => ProgressStore = () => new ProgressStore()): ProgressAccess {
  return {
    read: () => summarise(open().read()),
    hint(id) {
      const store = open();
      const total = EXERCISES.find((e) => e.id === id)?.hints.length ?? 0;
      store.exercise(id, (x) => {
        x.hintsUsed = Math.min(x.hintsUsed + 1, total);
      });
      return summarise(store.read());
    },
    async check(id, typed) {
      const { checkTyped } = await import("../exercises/typed-check.js");
      const store = open();
      const text = await checkTyped(store, id, typed);
      return { text, progress: summarise(store.read()) };
    },
  };
}
const xdgProgress = storeProgress();

function summarise(p: ProgressFile): ExercisesView["progress"] {
  return Object.fromEntries(Object.entries(p.exercises).map(([id, x]) => [id, { status: statusOf(x), hintsUsed: x.hintsUsed ?? 0 }]));
}

/** The presenter console: state lives in one reducer; each screen is a pure function to lines. */
export function App({ runScenario, predict = false, startWith, clock = realClock, catalogue = SCENARIOS, progress = xdgProgress, handoutDir = "." }: AppProps) {
  const [s, dispatch] = useReducer(reduce, undefined, () => initialState(predict, catalogue));
  const { exit } = useApp();
  const { columns, rows } = useTerminalSize();
  const runToken = useRef(0);
  // Input reads the latest state: Ink re-subscribes the handler in an effect, so a key pressed
  // right after a render would otherwise see the state before it (space right after Enter).
  const latest = useRef(s);
  latest.current = s;
  // The frame fills the terminal exactly (see useTerminalSize: that is what makes every resize
  // repaint in full).
  const height = Math.max(1, rows);
  const frame = frameFor(s, Math.max(20, columns - 1), height);
  const maxScroll = useRef(frame.maxScroll);
  maxScroll.current = frame.maxScroll;

  const start = useCallback(
    (index: number) => {
      const sc = latest.current.catalogue[index];
      const token = ++runToken.current;
      dispatch({ type: "started", id: sc.id });
      runScenario(sc).then(
        async (result) => {
          const { buildStory } = await import("../story/index.js");
          if (token === runToken.current) dispatch({ type: "finished", result, steps: buildStory(result) });
        },
        (err) => dispatch({ type: "failed", message: err instanceof Error ? err.message : String(err) }),
      );
    },
    [runScenario],
  );

  /** Compare view, `a`: run every scenario not run yet, one after another, for the full matrix. */
  const fillMatrix = useCallback(async () => {
    const todo = latest.current.catalogue.filter((x) => !latest.current.results[x.id]);
    for (let i = 0; i < todo.length; i++) {
      dispatch({ type: "filling", left: todo.length - i });
      try {
        dispatch({ type: "recorded", result: await runScenario(todo[i]) });
      } catch (err) {
        dispatch({ type: "failed", message: err instanceof Error ? err.message : String(err) });
      }
    }
    dispatch({ type: "filling", left: 0 });
  }, [runScenario]);

  useEffect(() => {
    const i = startWith ? catalogue.findIndex((x) => x.id === startWith) : -1;
    if (i < 0) return;
    dispatch({ type: "select", index: i });
    if (predict) dispatch({ type: "ask" });
    else start(i);
  }, []);

  // Autoplay: pacing belongs to the console only; the run itself already finished.
  useEffect(() => {
    if (!s.autoplay || screen(s) !== "run") return;
    if (atEnd(s)) return void dispatch({ type: "toggle-autoplay" });
    const t = clock.setTimeout(() => dispatch({ type: "next" }), s.speed);
    return () => clock.clearTimeout(t);
  }, [s.autoplay, s.speed, s.stack, s.run?.at, s.run?.result]);

  /** `m`: the run on screen as a Markdown page, beside where the console was started. */
  const writeHandout = async (st: State) => {
    const r = st.run?.result;
    if (!r) return;
    const name = `${r.scenario.id}.md`;
    try {
      const [{ handoutPage }, fs, path] = await Promise.all([import("../handout/run.js"), import("node:fs"), import("node:path")]);
      const file = path.join(handoutDir, name);
      fs.writeFileSync(file, handoutPage([r]));
      dispatch({ type: "notice", text: `wrote ${name === file ? name : file}: this run as a handout (diagram, XML, verdict and evidence, lesson)` });
    } catch (err) {
      dispatch({ type: "notice", text: `✘ no handout written: ${err instanceof Error ? err.message : String(err)}` });
    }
  };

  const perform = (c: Command) => {
    if (c.type === "quit") return exit();
    if (c.type === "start") return start(c.index);
    if (c.type === "fill") return void fillMatrix();
    if (c.type === "read-progress") return dispatch({ type: "progress", progress: progress.read() });
    if (c.type === "handout") return void writeHandout(latest.current);
    if (c.type === "check") {
      const run = progress.check?.(c.id, c.text) ?? Promise.resolve({ text: "✘ checks are not available here", progress: latest.current.exercises.progress });
      return void run.then(
        (r) => (dispatch({ type: "progress", progress: r.progress }), dispatch({ type: "check-done", id: c.id, text: r.text })),
        (err) => dispatch({ type: "check-done", id: c.id, text: `✘ the check could not run: ${err instanceof Error ? err.message : String(err)}` }),
      );
    }
    if (c.type === "hint") {
      dispatch({ type: "progress", progress: progress.hint(c.id) });
      return dispatch({ type: "scroll-page", by: -Infinity }); // the new hint is at the top
    }
    // Scrolling stops where the content ends, which only the drawn frame knows.
    const a = c.type === "scroll-xml" || c.type === "scroll-page" ? { ...c, max: maxScroll.current } : c;
    // The next key of the same chunk sees this one's effect (the reducer is pure).
    latest.current = reduce(latest.current, a);
    dispatch(a);
  };

  useInput((input, key) => {
    // Keys typed fast (or a key held down) reach us as one chunk ("   "): each is a key press.
    const presses = input.length > 1 && !/[\x00-\x1f\x7f]/.test(input) ? [...input] : [input];
    for (const one of presses) for (const c of commandsFor(latest.current, { input: one, key, rows: height })) perform(c);
  });

  return <LinesView lines={frame.lines} width={columns} height={height} />;
}
