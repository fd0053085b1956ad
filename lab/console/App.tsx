import { useApp, useInput, useStdout } from "ink";
import { useCallback, useEffect, useReducer, useRef } from "react";
import type { RunResult } from "../runner.js";
import { SCENARIOS, type Scenario } from "../../scenarios/index.js";
import { Compare, Help, Home, Predict, Run } from "./screens.js";
import { atEnd, initialState, reduce } from "./state.js";

export interface AppProps {
  /** Runs one scenario on real sockets (injected so UI tests can hand in recorded runs). */
  runScenario: (s: Scenario) => Promise<RunResult>;
  predict?: boolean;
  /** Open straight into this scenario (`mitm-lab console <id>`). */
  startWith?: string;
  /** Fixed size for tests; otherwise the terminal's. */
  size?: { columns: number; rows: number };
}

/** The presenter console: state lives in one reducer; screens are props in, frame out. */
export function App({ runScenario, predict = false, size, startWith }: AppProps) {
  const [s, dispatch] = useReducer(reduce, predict, initialState);
  const { exit } = useApp();
  const { stdout } = useStdout();
  const width = Math.max(60, Math.min(size?.columns ?? stdout.columns ?? 80, 200));
  const height = Math.max(20, size?.rows ?? stdout.rows ?? 24);
  const runToken = useRef(0);
  // Input reads the latest state: Ink re-subscribes the handler in an effect, so a key pressed
  // right after a render would otherwise see the state before it (space right after Enter).
  const latest = useRef(s);
  latest.current = s;

  const start = useCallback(
    (index: number) => {
      const sc = SCENARIOS[index];
      const token = ++runToken.current;
      dispatch({ type: "started", id: sc.id });
      runScenario(sc).then(
        (result) => token === runToken.current && dispatch({ type: "finished", result }),
        (err) => dispatch({ type: "failed", message: err instanceof Error ? err.message : String(err) }),
      );
    },
    [runScenario],
  );

  /** Compare view, `a`: run every scenario not run yet, one after another, for the full matrix. */
  const fillMatrix = useCallback(async () => {
    const todo = SCENARIOS.filter((x) => !latest.current.results[x.id]);
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
    const i = startWith ? SCENARIOS.findIndex((x) => x.id === startWith) : -1;
    if (i < 0) return;
    dispatch({ type: "move", by: i });
    if (predict) dispatch({ type: "open" });
    else start(i);
  }, []);

  // Autoplay: pacing belongs to the console only; the run itself already finished.
  useEffect(() => {
    if (!s.autoplay || s.screen !== "run") return;
    if (atEnd(s)) return void dispatch({ type: "toggle-autoplay" });
    const t = setTimeout(() => dispatch({ type: "next" }), s.speed);
    return () => clearTimeout(t);
  }, [s.autoplay, s.speed, s.screen, s.run?.at, s.run?.result]);

  useInput((input, key) => {
    const s = latest.current;
    if (input === "?") return dispatch({ type: "help" });
    if (key.escape || input === "q") {
      if (s.screen === "home") return exit();
      return dispatch({ type: "back" });
    }
    switch (s.screen) {
      case "home":
        if (key.upArrow || input === "k") dispatch({ type: "move", by: -1 });
        else if (key.downArrow || input === "j") dispatch({ type: "move", by: 1 });
        else if (key.return) {
          if (s.predictMode) dispatch({ type: "open" });
          else start(s.selected);
        } else if (input === "c") dispatch({ type: "compare" });
        return;
      case "predict":
        if (input === "y" || input === "n") {
          dispatch({ type: "predict", answer: input === "y" ? "attack-succeeds" : "attack-fails" });
          start(s.selected);
        }
        return;
      case "run":
        if (input === " " || key.rightArrow) dispatch({ type: "next" });
        else if (key.leftArrow) dispatch({ type: "prev" });
        else if (input === "e") dispatch({ type: "end" });
        else if (input === "a") dispatch({ type: "toggle-autoplay" });
        else if (input === "+" || input === "=") dispatch({ type: "speed", faster: true });
        else if (input === "-") dispatch({ type: "speed", faster: false });
        else if (input === "x") dispatch({ type: "toggle-xml" });
        else if (input === "r") start(SCENARIOS.findIndex((x) => x.id === s.run!.id));
        else if (input === "c") dispatch({ type: "compare" });
        else if (input === "n") {
          dispatch({ type: "move", by: 1 });
          const next = (SCENARIOS.findIndex((x) => x.id === s.run!.id) + 1) % SCENARIOS.length;
          if (s.predictMode) dispatch({ type: "back" }), dispatch({ type: "open" });
          else start(next);
        }
        return;
      case "compare":
        if (input === "a" && s.filling === 0) void fillMatrix();
        return;
      default:
        return;
    }
  });

  switch (s.screen) {
    case "home":
      return <Home s={s} width={width} height={height} />;
    case "predict":
      return <Predict s={s} width={width} />;
    case "run":
      return <Run s={s} width={width} height={height} />;
    case "compare":
      return <Compare s={s} width={width} />;
    case "help":
      return <Help width={width} />;
  }
}
