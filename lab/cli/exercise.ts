import fs from "node:fs";
import { type Exercise, findExercise } from "../../exercises/index.js";
import { UsageError } from "../core/errors.js";
import { runCheck } from "../exercises/check.js";
import { materialDir, ProgressStore } from "../exercises/progress.js";
import { buildReport, reportMarkdown } from "../exercises/report.js";
import { checkText, listJson, listText, taskText } from "../exercises/text.js";
import { style } from "../style.js";
import { VERSION } from "../version.js";
import { parseArgs, str } from "./args.js";

/**
 * The student's commands (DESIGN §4):
 *   mitm-lab exercises [--json]
 *   mitm-lab exercise <id> [--hint] [--fresh]
 *   mitm-lab exercise check <id> [--set ...] [--tactic FILE] [--answer TEXT] [--json]
 *   mitm-lab exercise report [--json]
 * Progress lives in the student's XDG config dir (lab/exercises/progress.ts).
 */

function exerciseOrUsage(id: string | undefined, how: string): Exercise {
  if (!id) throw new UsageError(`name an exercise: ${how} (mitm-lab exercises lists them)`);
  const e = findExercise(id);
  if (!e) throw new UsageError(`no exercise "${id}"; mitm-lab exercises lists them`);
  return e;
}

export function exercisesCommand(argv: string[]): number {
  const p = parseArgs(argv, { json: "bool" }, "exercises");
  if (p.positional.length) throw new UsageError(`mitm-lab exercises takes no argument; to read one: mitm-lab exercise ${p.positional[0]}`);
  const progress = new ProgressStore().read();
  if (p.flags.json) console.log(JSON.stringify(listJson(progress)));
  else console.log(listText(progress, style()));
  return 0;
}

export async function exerciseCommand(argv: string[]): Promise<number> {
  if (argv[0] === "check") return checkCommand(argv.slice(1));
  if (argv[0] === "report") return reportCommand(argv.slice(1));
  return showCommand(argv);
}

async function showCommand(argv: string[]): Promise<number> {
  const p = parseArgs(argv, { hint: "bool", fresh: "bool", json: "bool", starter: "string" }, "exercise");
  if (p.positional.length > 1) throw new UsageError(`one exercise at a time: mitm-lab exercise <id> [--hint]`);
  const e = exerciseOrUsage(p.positional[0], "mitm-lab exercise <id>");
  const starter = str(p, "starter");
  if (starter !== undefined) {
    if (e.kind !== "attack") throw new UsageError(`--starter writes a tactic file for attack exercises; ${e.id} is a ${e.kind} exercise`);
    if (fs.existsSync(starter)) throw new UsageError(`--starter: ${starter} exists; name a new file (nothing was overwritten)`);
    const { starterTactic } = await import("../exercises/starter.js");
    const text = starterTactic(e.id);
    fs.writeFileSync(starter, starter.endsWith(".ts") || starter.endsWith(".mts") ? text : stripStarterTypes(text));
    console.log(`wrote ${starter}: a tactic that does nothing yet. Check it with: mitm-lab exercise check ${e.id} --tactic ${starter}`);
    return 0;
  }
  const store = new ProgressStore();
  const now = new Date().toISOString();
  let prog = store.exercise(e.id, (x) => {
    x.openedAt ??= now;
  });
  let newHint = false;
  if (p.flags.hint) {
    newHint = prog.hintsUsed < e.hints.length;
    prog = store.exercise(e.id, (x) => {
      x.hintsUsed = Math.min(x.hintsUsed + 1, e.hints.length);
    });
  }
  let material = store.read().material[e.id];
  if (e.kind === "investigate") {
    const { generateMaterial, materialPresent } = await import("../exercises/investigate.js");
    if (p.flags.fresh || !materialPresent(material)) {
      const { createRunContext } = await import("../runner.js");
      const made = await generateMaterial(e, materialDir(e.id), await createRunContext());
      store.update((f) => {
        f.material[e.id] = made;
      });
      material = made;
    }
  } else if (p.flags.fresh) {
    throw new UsageError(`--fresh makes new material for investigate exercises; ${e.id} has none`);
  }
  if (p.flags.json) {
    // What the text shows, no more: the reference solution, the wrong answers and the teaching
    // notes are the instructor's (docs/exercises-instructor.md); the lesson comes once solved.
    const { solution: _s, wrong: _w, teaching: _t, lesson, ...task } = e as Exercise & { solution?: unknown; wrong?: unknown };
    console.log(JSON.stringify({ ...task, lesson: prog.solvedAt ? lesson : undefined, hints: e.hints.slice(0, prog.hintsUsed), hintsTotal: e.hints.length, progress: prog, material: material ? { generatedAt: material.generatedAt, files: material.files, facts: material.facts } : undefined }));
    return 0;
  }
  const st = style();
  console.log(taskText(e, prog, st, material));
  if (p.flags.hint && !newHint) console.log(st.dim("That was the last hint: there are no more."));
  return 0;
}

async function checkCommand(argv: string[]): Promise<number> {
  const p = parseArgs(argv, { set: "list", tactic: "string", answer: "string", json: "bool" }, "exercise check");
  if (p.positional.length > 1) throw new UsageError(`one exercise at a time: mitm-lab exercise check <id> ...`);
  const e = exerciseOrUsage(p.positional[0], "mitm-lab exercise check <id> ...");
  const tactic = str(p, "tactic");
  if (tactic !== undefined && !fs.existsSync(tactic)) throw new UsageError(`--tactic: no such file ${tactic}`);
  const store = new ProgressStore();
  // A student's tactic may console.log as it works: with --json, stdout is the JSON alone.
  const restore = p.flags.json ? quietStdout() : () => {};
  let result;
  try {
    result = await runCheck(e, { sets: (p.flags.set as string[] | undefined) ?? [], tactic, answer: str(p, "answer"), material: store.read().material[e.id] });
  } finally {
    restore();
  }
  const prog = store.recordCheck(e.id, result.solved, result.summary);
  if (p.flags.json) console.log(JSON.stringify({ ...result, status: prog.solvedAt ? "solved" : "tried", attempts: prog.attempts, hintsUsed: prog.hintsUsed }));
  else console.log(checkText(e, result, style()));
  // Exit 0 solved, 1 not (a usage error, thrown above, is 2).
  return result.solved ? 0 : 1;
}

function reportCommand(argv: string[]): number {
  const p = parseArgs(argv, { json: "bool" }, "exercise report");
  if (p.positional.length) throw new UsageError("mitm-lab exercise report takes no argument (it reports every exercise)");
  const report = buildReport(new ProgressStore().read(), VERSION);
  console.log(p.flags.json ? JSON.stringify(report, null, 2) : reportMarkdown(report));
  return 0;
}

/** console.log and friends to stderr until the returned function is called. */
function quietStdout(): () => void {
  const saved = { log: console.log, info: console.info, debug: console.debug };
  console.log = console.info = console.debug = console.error;
  return () => Object.assign(console, saved);
}

/** The starter as JavaScript, for a .js file: the same text without its two type annotations. */
function stripStarterTypes(ts: string): string {
  return ts.replace(/^type Where = .*\n\n/m, "").replace("(el: any, where: Where, lab: any)", "(el, where, lab)");
}
