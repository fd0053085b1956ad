import { findExercise } from "../../exercises/index.js";
import { LabError, UsageError } from "../core/errors.js";
import { plain } from "../style.js";
import { runCheck } from "./check.js";
import { generateMaterial, materialPresent } from "./investigate.js";
import type { ProgressStore } from "./progress.js";
import { checkText } from "./text.js";

/**
 * A check from one typed line (the console's `c`, where there may be no shell): settings for a
 * defend exercise (`alice.tls=required alice.verify=pin`, `--set` optional), a tactic file's path
 * for an attack, the answer for an investigation. Judged and counted exactly as `mitm-lab
 * exercise check` does; a usage mistake is one line, as on the command line (and not counted).
 */
export async function checkTyped(store: ProgressStore, id: string, typed: string): Promise<string> {
  const e = findExercise(id);
  if (!e) return `✘ no exercise "${id}"`;
  const text = typed.trim();
  if (e.kind === "investigate" && !materialPresent(store.read().material[e.id])) {
    // `mitm-lab exercise <id>` makes it on first view; here (perhaps no shell) the first check does.
    const path = await import("node:path");
    const { createRunContext } = await import("../runner.js");
    const made = await generateMaterial(e, path.join(store.materialRoot, e.id), await createRunContext());
    store.update((f) => {
      f.material[e.id] = made;
    });
    return [`✘ you had no material for ${e.id} yet: it is made now, for you alone (this check was not counted):`, ...made.files.map((f) => `  ${f}`), "Read it, then check your answer."].join("\n");
  }
  const input =
    e.kind === "defend" ? { sets: text.split(/\s+/).filter((t) => t && t !== "--set").map((t) => t.replace(/^--set=/, "")) }
    : e.kind === "attack" ? { sets: [], tactic: text.replace(/^--tactic[=\s]+/, "").replace(/^(["'])(.*)\1$/, "$2") }
    : { sets: [], answer: text.replace(/^--answer[=\s]+/, ""), material: store.read().material[e.id] };
  try {
    const { existsSync } = await import("node:fs");
    if (input.tactic !== undefined && !existsSync(input.tactic)) return `✘ no such file ${input.tactic} (the path is from the folder the console was started in)`;
    const result = await runCheck(e, input);
    store.recordCheck(e.id, result.solved, result.summary);
    // On the console a hint is a key away, not a command.
    return checkText(e, result, plain).replace(`A hint: mitm-lab exercise ${e.id} --hint`, "A hint: press h");
  } catch (err) {
    if (err instanceof UsageError || err instanceof LabError) return `✘ ${err.message}`;
    throw err;
  }
}
