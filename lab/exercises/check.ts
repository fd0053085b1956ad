import type { Exercise } from "../../exercises/index.js";
import { UsageError } from "../core/errors.js";
import type { MaterialRecord } from "./progress.js";
import type { CheckResult } from "./result.js";

export interface CheckInput {
  sets: string[];
  tactic?: string;
  answer?: string;
  /** The student's generated material (investigate). */
  material?: MaterialRecord;
}

/** Each kind takes its own kind of answer; anything else is a usage error, said before running. */
export function checkInputFits(e: Exercise, input: CheckInput): void {
  const given = [input.sets.length ? "--set" : "", input.tactic !== undefined ? "--tactic" : "", input.answer !== undefined ? "--answer" : ""].filter(Boolean);
  const wants = { defend: "--set", attack: "--tactic", investigate: "--answer" }[e.kind];
  const stray = given.filter((g) => g !== wants);
  if (stray.length) throw new UsageError(`${e.id} is a ${e.kind} exercise: it takes ${wants}, not ${stray.join(" or ")}`);
  if (e.kind === "attack" && input.tactic === undefined) throw new UsageError(`${e.id} wants your tactic file: --tactic FILE (mitm-lab exercise ${e.id} --starter FILE writes one to start from)`);
}

/** Run the check of one exercise. The modules of each kind load only when used. */
export async function runCheck(e: Exercise, input: CheckInput): Promise<CheckResult> {
  checkInputFits(e, input);
  switch (e.kind) {
    case "defend": {
      const { checkDefend } = await import("./defend.js");
      return checkDefend(e, input.sets);
    }
    case "investigate": {
      const { checkAnswer } = await import("./investigate.js");
      if (!input.material) throw new UsageError(`${e.id} has no material for you yet: mitm-lab exercise ${e.id} makes it`);
      return checkAnswer(e, input.answer, input.material);
    }
    case "attack": {
      const { checkAttack } = await import("./attack.js");
      return checkAttack(e, input.tactic!);
    }
  }
}
