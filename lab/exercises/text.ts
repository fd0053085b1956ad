import { EXERCISES, KINDS, type Exercise } from "../../exercises/index.js";
import type { Style } from "../style.js";
import { type ExerciseProgress, type MaterialRecord, type ProgressFile, statusOf } from "./progress.js";
import { type CheckResult, RUN_FAILED } from "./result.js";

/** The student's text: the list, one exercise's task, a check's outcome, the report. */

const MARK = { new: "·", tried: "…", solved: "✔" } as const;

export function listText(p: ProgressFile, st: Style): string {
  const out: string[] = [];
  for (const kind of ["defend", "attack", "investigate"] as const) {
    const of = EXERCISES.filter((e) => e.kind === kind);
    if (!of.length) continue;
    out.push(st.bold(KINDS[kind]));
    for (const e of of) {
      const s = statusOf(p.exercises[e.id]);
      const mark = s === "solved" ? st.good(`${MARK[s]} solved`) : s === "tried" ? st.warn(`${MARK[s]} tried `) : st.dim(`${MARK[s]} new   `);
      const hints = p.exercises[e.id]?.hintsUsed ? st.dim(` (${p.exercises[e.id].hintsUsed} hint${p.exercises[e.id].hintsUsed === 1 ? "" : "s"})`) : "";
      out.push(`  ${mark}  ${e.id.padEnd(30)} ${e.title}${hints}`);
    }
    out.push("");
  }
  const solved = EXERCISES.filter((e) => statusOf(p.exercises[e.id]) === "solved").length;
  out.push(st.dim(`${solved} of ${EXERCISES.length} solved. Read one: mitm-lab exercise <id>    hand in: mitm-lab exercise report`));
  return out.join("\n");
}

export function listJson(p: ProgressFile) {
  return EXERCISES.map((e) => ({ id: e.id, kind: e.kind, title: e.title, status: statusOf(p.exercises[e.id]), hintsUsed: p.exercises[e.id]?.hintsUsed ?? 0, hints: e.hints.length }));
}

/** How to check this exercise, as a command to copy. */
export function checkUsage(e: Exercise): string {
  if (e.kind === "defend") return `mitm-lab exercise check ${e.id} --set ${e.may[0].endsWith(".") ? `${e.may[0]}SETTING` : e.may[0]}=VALUE [--set ...]`;
  if (e.kind === "attack") return `mitm-lab exercise check ${e.id} --tactic my-tactic.ts`;
  return `mitm-lab exercise check ${e.id} --answer '${e.answer.replace(/ \(.*\)$/, "")}'`;
}

/** `hintsFirst`: the console puts the hints taken right under the title, where a new one is seen. */
export function taskText(e: Exercise, prog: ExerciseProgress, st: Style, material?: MaterialRecord, hintsFirst = false): string {
  const out: string[] = [];
  const status = statusOf(prog);
  const hints: string[] = [];
  for (let i = 0; i < Math.min(prog.hintsUsed, e.hints.length); i++) hints.push(st.warn(`Hint ${i + 1} of ${e.hints.length}: `) + e.hints[i]);
  out.push(st.bold(`${e.title}`) + st.dim(`  ·  ${e.kind} · ${e.id} · ${status}`));
  out.push("");
  if (hintsFirst && hints.length) out.push(...hints, "");
  out.push(e.task);
  out.push("");
  if (e.kind === "defend") {
    out.push(`You may change: ${e.may.map((m) => (m.endsWith(".") ? `${m}*` : m)).join(", ")}   (mitm-lab help lists the values)`);
    out.push(`Checked against: ${e.attackers.map((a) => `mallory who ${a.name}`).join("; ")}; and on ${e.honest.map((h) => h.name).join(" and on ")}, alice must still reach bob.`);
    if (e.baseSet?.length) out.push(`Starting point: scenario ${e.base} with ${e.baseSet.map((s) => `--set ${s}`).join(" ")}`);
  }
  if (e.kind === "attack") {
    out.push(`The victim: scenario ${e.victim}${e.victimSet?.length ? ` with ${e.victimSet.map((s) => `--set ${s}`).join(" ")}` : ""}; mallory's own moves: ${e.builtins.length ? e.builtins.join(", ") : "none besides yours"}.`);
    out.push(`The file to edit: your own tactic file. Start from: mitm-lab exercise ${e.id} --starter my-tactic.ts   (docs/exercises.md: the tactic API)`);
  }
  if (e.kind === "investigate") {
    out.push(`Answer: ${e.answer}`);
    if (material) {
      out.push(`Your material (made ${material.generatedAt.slice(0, 16).replace("T", " ")} for you alone):`);
      for (const f of material.files) out.push(`  ${f}`);
    }
  }
  out.push("");
  out.push(st.dim("Look at:"));
  for (const l of e.look) out.push(st.dim(`  ${l}`));
  out.push("");
  if (!hintsFirst && hints.length) out.push(...hints, "");
  out.push(`Check: ${checkUsage(e)}`);
  out.push(st.dim(prog.hintsUsed < e.hints.length ? `Stuck? mitm-lab exercise ${e.id} --hint   (${e.hints.length - prog.hintsUsed} left; hints are counted in your report)` : "No hints left."));
  if (status === "solved") out.push("", st.good("✔ Solved. ") + e.lesson);
  return out.join("\n");
}

export function checkText(e: Exercise, r: CheckResult, st: Style): string {
  const out: string[] = [];
  out.push(r.solved ? st.good(`✔ ${e.id}: ${r.summary}`) : st.bad(`✘ ${e.id}: ${r.summary}`));
  for (const run of r.runs) {
    const mark = run.ok ? st.good("✔") : st.bad("✘");
    const who = run.role === "honest" ? `no attacker, ${run.name}` : `mallory ${run.name}`;
    const what = e.kind === "attack"
      ? `${run.ok ? "got there" : "not there yet"} (the witness: ${run.outcome === "attack-succeeds" ? run.headline : "mallory got nothing"})`
      : run.role === "honest"
      ? run.delivered ? "alice reached bob" : "alice did not reach bob"
      : !run.ok ? (run.headline === RUN_FAILED ? "the lab could not run it" : `still succeeds (${run.headline})`)
        : run.outcome === "attack-succeeds" ? `password safe; she still gets: ${run.headline.replace(/^password exposed, /, "")}` : "stopped";
    out.push(`  ${mark} ${who}: ${what}`);
  }
  if (r.details.length) {
    out.push("");
    for (const d of r.details) out.push(d.startsWith("  ") ? st.dim(d) : d);
  }
  out.push("");
  if (r.solved) out.push(e.lesson);
  else out.push(st.dim(`A hint: mitm-lab exercise ${e.id} --hint`));
  return out.join("\n");
}
