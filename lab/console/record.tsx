import fs from "node:fs";
import { renderToString } from "ink";
import type { RunResult } from "../runner.js";
import { frameFor } from "./frame.js";
import { line } from "./lines.js";
import { LinesView } from "./LinesView.js";
import { initialState, reduce, type State } from "./state.js";
import { buildStory } from "../story/index.js";

export interface CastOptions {
  columns: number;
  rows: number;
  /** Seconds between steps: the presenter's pace. */
  pace: number;
  /** Seconds the verdict stays on screen before the cast ends. */
  hold: number;
}

/** One frame as terminal output: drawn from the top left over the last, with no scrolling. */
function paint(s: State, o: CastOptions): string {
  const f = frameFor(s, o.columns - 1, o.rows);
  // A recording takes no keys: its last line says what it is instead of listing them.
  const lines_ = [...f.lines.slice(0, -1), line(` step ${s.run!.at}/${s.run!.steps.length} · recorded with mitm-lab record ${s.run!.id}`)];
  const text = renderToString(<LinesView lines={lines_} width={o.columns} height={o.rows} />, { columns: o.columns });
  const lines = text.split("\n").slice(0, o.rows);
  // Each line erases what is left of the previous frame on it; the last one does not end in a
  // newline, or the terminal would scroll the header away.
  return "\x1b[H" + lines.map((l) => l + "\x1b[K").join("\r\n") + "\x1b[J";
}

/**
 * An asciicast v2 file (asciinema's format: a JSON header, then one `[seconds, "o", text]` line
 * per output) of the console stepping through a recorded run at the presenter's pace, from the
 * first step to the verdict. The same frames the console draws: the same state, the same code.
 */
export function castOf(r: RunResult, o: CastOptions, title: string, timestamp = Math.floor(Date.now() / 1000)): string {
  let s = reduce(initialState(), { type: "select", index: Math.max(0, r.scenario.n - 1) });
  s = reduce(reduce(s, { type: "started", id: r.scenario.id }), { type: "finished", result: r, steps: buildStory(r) });
  const header = { version: 2, width: o.columns, height: o.rows, timestamp, title, env: { TERM: "xterm-256color", SHELL: "/bin/sh" } };
  const events: Array<[number, "o", string]> = [[0, "o", "\x1b[?25l\x1b[2J" + paint(s, o)]];
  let t = 0;
  while (s.run!.at < s.run!.steps.length) {
    s = reduce(s, { type: "next" });
    t += o.pace;
    events.push([round(t), "o", paint(s, o)]);
  }
  // Hold the verdict, then give the cursor back.
  events.push([round(t + o.hold), "o", "\x1b[?25h"]);
  return [JSON.stringify(header), ...events.map((e) => JSON.stringify(e))].join("\n") + "\n";
}

const round = (t: number) => Math.round(t * 1000) / 1000;

export function writeCast(file: string, cast: string): void {
  fs.writeFileSync(file, cast);
}
