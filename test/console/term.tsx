import { EventEmitter } from "node:events";
import { render } from "ink";
import stringWidth from "string-width";
import { expect, vi } from "vitest";
import { App, type AppProps, type Clock } from "../../lab/console/App.js";
import { CLEAR } from "../../lab/console/useTerminalSize.js";
import type { RunResult } from "../../lab/runner.js";

/** A terminal of a chosen size that records what is written to it (ink-testing-library's is fixed at 100 columns). */
export class Term extends EventEmitter {
  writes: string[] = [];
  constructor(public columns: number, public rows: number, public isTTY = false) {
    super();
  }
  write = (s: string) => {
    this.writes.push(s);
    return true;
  };
}

export class Keyboard extends EventEmitter {
  isTTY = true;
  data: string | null = null;
  write = (data: string) => {
    this.data = data;
    this.emit("readable");
    this.emit("data", data);
  };
  setEncoding() {}
  setRawMode() {}
  resume() {}
  pause() {}
  ref() {}
  unref() {}
  read = () => {
    const d = this.data;
    this.data = null;
    return d;
  };
}

/** A clock whose timers fire only when the test says so. */
export function manualClock(): Clock & { tick(): void; pending(): number } {
  const timers = new Set<() => void>();
  return {
    setTimeout: (f) => (timers.add(f), f),
    clearTimeout: (t) => void timers.delete(t as () => void),
    tick() {
      const now = [...timers];
      timers.clear();
      for (const f of now) f();
    },
    pending: () => timers.size,
  };
}

export const KEY = {
  down: "\u001B[B", up: "\u001B[A", left: "\u001B[D", right: "\u001B[C", enter: "\r", esc: "\u001B",
  pageDown: "\u001B[6~", pageUp: "\u001B[5~", home: "\u001B[H", end: "\u001B[F",
};

export const strip = (s: string) => s.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, "");

/**
 * The console in a terminal of `columns`×`rows`, fed recorded real runs (the runs themselves are
 * tested elsewhere). Frames are unstyled; keys are written as a terminal sends them.
 */
export function openConsole(recorded: Record<string, RunResult>, opts: { columns?: number; rows?: number; tty?: boolean } & Partial<AppProps> = {}) {
  const term = new Term(opts.columns ?? 80, opts.rows ?? 24, opts.tty);
  const keyboard = new Keyboard();
  const runs: string[] = [];
  const clock = opts.clock ?? manualClock();
  let exited = false;
  const app = render(
    <App
      predict={opts.predict}
      startWith={opts.startWith}
      catalogue={opts.catalogue}
      progress={opts.progress}
      clock={clock}
      handoutDir={opts.handoutDir}
      runScenario={async (s) => {
        runs.push(s.id);
        return recorded[s.id];
      }}
    />,
    { stdout: term as never, stdin: keyboard as never, stderr: new Term(80, 24) as never, debug: true, exitOnCtrlC: false, patchConsole: false },
  );
  void app.waitUntilExit().then(() => (exited = true));
  const frames = () => term.writes.filter((w) => w !== CLEAR);
  const frame = () => strip(frames().at(-1) ?? "");
  const press = async (...keys: string[]) => {
    for (const k of keys) {
      const before = term.writes.length;
      keyboard.write(k);
      // Let React render; a key that changes nothing writes nothing, so do not insist.
      await vi.waitFor(() => expect(term.writes.length).toBeGreaterThan(before), { timeout: 300 }).catch(() => {});
    }
  };
  const see = (text: string | RegExp) =>
    vi.waitFor(() => (typeof text === "string" ? expect(frame()).toContain(text) : expect(frame()).toMatch(text)), { timeout: 3000 });
  const resize = (columns: number, rows: number) => {
    term.columns = columns;
    term.rows = rows;
    term.emit("resize");
  };
  return { app, term, frame, press, see, resize, runs, clock, exited: () => exited };
}

/** Width in cells of the widest line of a frame, and its height. */
export function measure(frame: string) {
  const lines = frame.split("\n");
  return { width: Math.max(...lines.map((l) => stringWidth(l))), height: lines.length };
}
