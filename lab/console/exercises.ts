import { EXERCISES, KINDS } from "../../exercises/index.js";
import type { ExerciseProgress } from "../exercises/progress.js";
import { taskText } from "../exercises/text.js";
import { plain } from "../style.js";
import { footer } from "./chrome.js";
import { blank, fill, type Line, line, para, span } from "./lines.js";
import type { State } from "./state.js";
import { safe } from "./theme.js";
import { fit, width, wrap } from "./text.js";

/**
 * The exercises in the console (`e` on the list): the same list, status and task text as
 * `mitm-lab exercises` and `mitm-lab exercise <id>`, and hints taken here count as `--hint`
 * does. `c` checks one typed line (settings, a tactic file, an answer) as `exercise check` does,
 * which is how a student without a shell (the classroom's browser console) checks at all.
 */
const MARK = { new: "·", tried: "…", solved: "✔" } as const;

export function exercisesLines(s: State, w: number, rows: number): Line[] {
  const { selected, progress } = s.exercises;
  const top: Line[] = [line(span(fit(" Exercises · defend, attack, investigate", w), { bold: true }))];
  const body: Line[] = [];
  let at = 0;
  const idw = Math.max(...EXERCISES.map((x) => x.id.length));
  for (const kind of ["defend", "attack", "investigate"] as const) {
    body.push(line(span(fit(` ${KINDS[kind]}`, w), { bold: true, underline: true })));
    for (const e of EXERCISES.filter((x) => x.kind === kind)) {
      const i = EXERCISES.indexOf(e);
      if (i === selected) at = body.length;
      const p = progress[e.id];
      const status = p?.status ?? "new";
      const text = fit(`${i === selected ? " ▸" : "  "} ${MARK[status]} ${status.padEnd(6)} ${e.id.padEnd(idw)}  ${e.title}`, w);
      const l = line(span(text, status === "solved" ? { color: safe() } : {}));
      body.push(i === selected ? l.map((x) => ({ ...x, inverse: true, bold: true })) : l);
    }
  }
  const e = EXERCISES[selected];
  // The chosen one's title whole when its row had to cut it (at 80 columns, most of them).
  const rowWidth = 14 + idw + width(e.title);
  const title = rowWidth > w ? para(e.title, w, { bold: true }) : [];
  const detail = [blank(), ...title, ...para(e.task.split("\n\n")[0], w).slice(0, 4)];
  const solved = EXERCISES.filter((x) => progress[x.id]?.status === "solved").length;
  const keys = footer([["↑↓", "choose"], ["enter", "read it"], ["?", "help"], ["q", "back"]], w, `${solved} of ${EXERCISES.length} solved`);
  const room = Math.max(3, rows - top.length - detail.length - 1);
  const start = body.length <= room ? 0 : Math.max(0, Math.min(at - Math.floor(room / 3), body.length - room));
  const shown = body.slice(start, start + room);
  return fill([...top, ...shown, ...detail, keys], rows, top.length + shown.length);
}

export function exerciseLines(s: State, w: number, rows: number): { lines: Line[]; maxScroll: number } {
  const e = EXERCISES[s.exercises.selected];
  const p = s.exercises.progress[e.id];
  const prog: ExerciseProgress = { hintsUsed: p?.hintsUsed ?? 0, attempts: p && p.status !== "new" ? 1 : 0, solvedAt: p?.status === "solved" ? "yes" : undefined };
  const text = taskText(e, prog, plain, undefined, true).split("\n");
  // The task's first line is its title: it heads the screen instead.
  const para1 = (t: string) => (t ? hanging(t, w - 1).map((x) => line(" " + x)) : [blank()]);
  // The last check made here heads the page (its text as `exercise check` prints it), then the task.
  const check = s.exercises.checks[e.id];
  const checked: Line[] = check === undefined ? [] : check === null ? [line(span(" checking…", { bold: true })), blank()]
    : [...check.split("\n").flatMap(para1).map((l, i) => (i === 0 ? l.map((x) => ({ ...x, bold: true })) : l)), blank()];
  const body: Line[] = [...checked, ...text.slice(2).flatMap(para1)];
  if (e.kind === "investigate") body.push(blank(), ...para(`Your material: the first check (c) makes it and shows where it is, as mitm-lab exercise ${e.id} does in a shell.`, w));
  const top: Line[] = [line(span(fit(` ${text[0]}`, w), { bold: true }))];
  const room = Math.max(1, rows - top.length - 1);
  const maxScroll = Math.max(0, body.length - room);
  const scroll = Math.min(s.pageScroll, maxScroll);
  const shown = body.slice(scroll, scroll + room);
  const left = e.hints.length - prog.hintsUsed;
  const typing = s.exercises.input;
  if (typing !== null) {
    // The line being typed, where the keys were: what it is for, and how to send or leave it.
    const what = { defend: "--set", attack: "--tactic", investigate: "--answer" }[e.kind];
    const prompt = line(span(` ${what} `, { bold: true }), span(fit(`${typing}▏`, Math.max(1, w - what.length - 30))), span("  enter check · esc cancel"));
    return { lines: fill([...top, ...shown, prompt], rows, top.length + shown.length), maxScroll };
  }
  const hints: Array<[string, string]> = [["c", "check it"]];
  if (left > 0) hints.push(["h", `next hint (${left} left)`]);
  if (maxScroll > 0) hints.push(["↑↓", `scroll (${scroll + shown.length} of ${body.length})`]);
  hints.push(["?", "help"], ["q", "back"]);
  return { lines: fill([...top, ...shown, footer(hints, w)], rows, top.length + shown.length), maxScroll };
}

/**
 * A line of the task wrapped to `w` cells with a hanging indent: a two-column line
 * (`  mitm-lab run starttls-strip   the attack you are up against`) continues under its second
 * column, any other under its own indent - never back at the margin, where a continuation
 * reads as a line of its own.
 */
export function hanging(t: string, w: number): string[] {
  const lead = /^ */.exec(t)![0].length;
  const gap = /^ *\S.*? {2,}(?=\S)/.exec(t);
  const hang = gap && w - width(gap[0]) >= 20 ? width(gap[0]) : lead;
  const [first] = wrap(t, Math.max(10, w));
  const rest = t.slice(first.length).trimStart();
  if (!rest) return [first];
  return [first, ...wrap(rest, Math.max(10, w - hang)).map((x) => " ".repeat(hang) + x)];
}
