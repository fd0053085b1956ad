import { useApp, useInput } from "ink";
import { useEffect, useMemo, useReducer, useRef } from "react";
import type { EventFeed as LiveFeed } from "../../live/feed.js";
import type { Step } from "../../story/index.js";
import type { Clock } from "../App.js";
import type { Line } from "../lines.js";
import { LinesView } from "../LinesView.js";
import { useTerminalSize } from "../useTerminalSize.js";
import { liveHelpLines } from "./help.js";
import { type LiveCommand, liveCommandsFor } from "./keys.js";
import { listLines, stepsOf } from "./list.js";
import { sessionLines } from "./session.js";
import type { LiveSource } from "./source.js";
import { initialLiveState, type LiveAction, reduceLive, liveScreen, type LiveState, viewedSession } from "./state.js";

/** Batches of events as they happen: mallory in this process, or her log file followed. */
export type { EventFeed as LiveFeed } from "../../live/feed.js";

export interface LiveAppProps {
  feed: LiveFeed;
  source: LiveSource;
  /** Where `m` writes handouts (default: the folder the console was started in). */
  handoutDir?: string;
  /** The time a handout is written (injected in tests). */
  now?: () => Date;
  clock?: Clock;
}

const realClock: Clock = { setTimeout: (f, ms) => setTimeout(f, ms), clearTimeout: (t) => clearTimeout(t as NodeJS.Timeout) };

/** The whole live screen for a state at a size: pure, like the scenario console's frames. */
export function liveFrame(s: LiveState, steps: Step[], src: LiveSource, w: number, rows: number): { lines: Line[]; maxScroll: number } {
  const x = viewedSession(s);
  const here = liveScreen(s);
  if (here === "help") return liveHelpLines(s, w, rows);
  if (here === "session" && x) return sessionLines(s, x, steps, src, w, rows);
  return { lines: listLines(s, src, w, rows), maxScroll: 0 };
}

/**
 * The live console: sessions through a standalone mallory, drawn as the scenarios' sequence
 * diagram as they happen. State lives in one reducer; the steps of the session on screen are
 * built from its events by the one story builder (lab/story/).
 */
export function LiveApp({ feed, source, clock = realClock, handoutDir = ".", now = () => new Date() }: LiveAppProps) {
  const [s, dispatch] = useReducer(reduceLive, undefined, initialLiveState);
  const { exit } = useApp();
  const { columns, rows } = useTerminalSize();
  const latest = useRef(s);
  latest.current = s;
  const session = viewedSession(s);
  const steps = useMemo(() => (session ? stepsOf(session) : []), [session?.events]);
  const stepsRef = useRef(steps);
  stepsRef.current = steps;
  const height = Math.max(1, rows);
  const frame = liveFrame(s, steps, source, Math.max(20, columns - 1), height);
  const maxScroll = useRef(frame.maxScroll);
  maxScroll.current = frame.maxScroll;

  useEffect(() => feed.subscribe((batch) => dispatch({ type: "events", batch }), (text) => dispatch({ type: "notice", text })), [feed]);

  // Following: one step per `speed` ms up to the latest, and on as new steps arrive.
  useEffect(() => {
    if (liveScreen(s) !== "session" || !s.view?.following || s.view.at >= steps.length) return;
    const t = clock.setTimeout(() => dispatch({ type: "tick", max: stepsRef.current.length }), s.speed);
    return () => clock.clearTimeout(t);
  }, [s.view?.following, s.view?.at, s.view?.key, steps.length, s.speed, s.stack]);

  /** `m`: the session on screen as a Markdown page, as far as it has gone. */
  const writeHandout = async () => {
    const st = latest.current;
    const x = viewedSession(st);
    if (!x) return;
    try {
      const [{ liveHandout, liveHandoutName }, fs, path] = await Promise.all([import("../../handout/live.js"), import("node:fs"), import("node:path")]);
      const when = now();
      const listener = st.log.listeners.filter((l) => l.run === x.run).at(-1) ?? null;
      const file = path.join(handoutDir, liveHandoutName(x, when));
      fs.writeFileSync(file, liveHandout(x, stepsRef.current, source, listener, when));
      dispatch({ type: "notice", text: `wrote ${file}: this session as a handout (diagram, XML, her notes)` });
    } catch (err) {
      dispatch({ type: "notice", text: `✘ no handout written: ${err instanceof Error ? err.message : String(err)}` });
    }
  };

  const perform = (c: LiveCommand) => {
    if (c.type === "quit") return exit();
    if (c.type === "handout") return void writeHandout();
    act(c.type === "scroll-xml" || c.type === "scroll-page" ? { ...c, max: maxScroll.current } : c);
  };
  /** Dispatch, and let the next key of the same chunk see the result (the reducer is pure). */
  const act = (a: LiveAction) => {
    latest.current = reduceLive(latest.current, a);
    dispatch(a);
  };

  useInput((input, key) => {
    act({ type: "touch" });
    // Keys typed fast (or a key held down) reach us as one chunk: each is a key press.
    const presses = input.length > 1 && !/[\x00-\x1f\x7f]/.test(input) ? [...input] : [input];
    for (const one of presses) for (const c of liveCommandsFor(latest.current, { input: one, key, rows: height, steps: stepsRef.current.length })) perform(c);
  });

  return <LinesView lines={frame.lines} width={columns} height={height} />;
}
