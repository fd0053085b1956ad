import { EXERCISES, type Exercise, KINDS } from "../../exercises/index.js";
import { checkUsage } from "./text.js";

/**
 * docs/exercises-instructor.md, generated from the exercise files (npm run docs), so the
 * solutions and teaching notes an instructor reads are the ones the tests run.
 */
export function renderInstructorDocs(): string {
  const out: string[] = [
    "# Exercises: solutions and teaching notes (for instructors)",
    "",
    "<!-- Generated from exercises/*.ts by `npm run docs`; test/exercises/docs.test.ts keeps it current. -->",
    "",
    "Students read [exercises.md](exercises.md); this page gives away the answers. Every reference",
    "solution and every wrong answer below is run by the test suite (test/exercises/), so they hold.",
    "",
    "How the checker judges: with the witness (lab/witness/), never with mallory's own reports. A",
    "defend check runs the student's settings against every attacker listed *and* on every honest",
    "network, where alice must log in and bob must receive her message unaltered - so \"never",
    "connect\" fails. An attack check runs the student's tactic file against a fixed victim. An",
    "investigate check compares the answer with the ground truth of material generated for that",
    "student (kept as a salted hash in their progress file). The lab's own victims and attackers come",
    "from the bundle the student runs, so editing files in a checkout changes nothing the checker uses",
    "(students in the classroom image have no sources at all).",
    "",
    "Progress is the student's own record in their config directory: fair against mistakes and lazy",
    "tricks, not a proof against a student who edits the file. `mitm-lab exercise report --json` is",
    "what the classroom's instructor view shows (docs/classroom.md).",
    "",
  ];
  for (const kind of ["defend", "attack", "investigate"] as const) {
    const of = EXERCISES.filter((e) => e.kind === kind);
    if (!of.length) continue;
    out.push(`## ${KINDS[kind]}`, "");
    for (const e of of) out.push(...section(e), "");
  }
  return out.join("\n").replace(/\n+$/, "\n");
}

/** Markdown would swallow <starttls/> as an HTML tag: show element names as code. */
const md = (s: string) => s.replace(/<[^>\s]+\/?>/g, (m) => `\`${m}\``);

function section(e: Exercise): string[] {
  const out = [`### ${e.id}: ${e.title}`, ""];
  if (e.kind === "defend") {
    out.push(`Starts from \`${e.base}\`${e.baseSet?.length ? ` with ${e.baseSet.map((s) => `\`--set ${s}\``).join(" ")}` : ""}. The student may change ${e.may.map((m) => `\`${m.endsWith(".") ? `${m}*` : m}\``).join(", ")}. Protects ${e.protect === "password" ? "alice's password" : "everything (the witness's verdict)"}.`, "");
    out.push("Attackers:", ...e.attackers.map((a) => `- mallory who ${md(a.name)}: ${a.set.map((s) => `\`${s}\``).join(" ")}`));
    out.push("", "Honest paths (alice must reach bob):", ...e.honest.map((h) => `- ${h.name}: ${h.set.map((s) => `\`${s}\``).join(" ")}`));
    out.push("", `Reference solution: \`mitm-lab exercise check ${e.id} ${e.solution.map((s) => `--set ${s}`).join(" ")}\``);
    out.push("", "Wrong answers the tests run:", ...e.wrong.map((w) => `- ${w.set.length ? w.set.map((s) => `\`--set ${s}\``).join(" ") : "no change"}: ${md(w.why)}`));
  }
  if (e.kind === "attack") {
    out.push(`Victim: \`${e.victim}\`${e.victimSet?.length ? ` with ${e.victimSet.map((s) => `\`--set ${s}\``).join(" ")}` : ""}; mallory's own moves: ${e.builtins.length ? e.builtins.map((b) => `\`${b}\``).join(", ") : "none"}. Goal: ${e.goal}.`, "");
    out.push("Reference solutions (exercises/solutions/):", ...e.solution.map((f) => `- \`${f}\``));
    out.push("", "Wrong answers the tests run:", ...e.wrong.map((w) => `- \`${w.file}\`: ${md(w.why)}`));
  }
  if (e.kind === "investigate") {
    out.push(`Material: \`${e.material}\`, made per student by \`mitm-lab exercise ${e.id}\` (\`--fresh\` makes new). Answer: ${e.answer}.`, "");
    out.push(`Check: \`${checkUsage(e)}\``);
  }
  out.push("", "Hints, in order:", ...e.hints.map((h, i) => `${i + 1}. ${md(h)}`));
  out.push("", `Lesson (shown once solved): ${md(e.lesson)}`, "", `Teaching notes: ${md(e.teaching)}`);
  return out;
}
