import attackHarvestNoVerify from "./attack-harvest-no-verify.js";
import attackRewriteIban from "./attack-rewrite-iban.js";
import attackStripChannelBinding from "./attack-strip-channel-binding.js";
import attackStarttlsInjection from "./attack-starttls-injection.js";
import defendDowngrade from "./defend-downgrade.js";
import defendFallback from "./defend-fallback.js";
import defendOnPath from "./defend-on-path.js";
import defendRogueCa from "./defend-rogue-ca.js";
import defendServer from "./defend-server.js";
import defendStolenKey from "./defend-stolen-key.js";
import investigateCapturePassword from "./investigate-capture-password.js";
import investigateCrackScram from "./investigate-crack-scram.js";
import investigateWhichScenario from "./investigate-which-scenario.js";
import type { Exercise, ExerciseKind } from "./types.js";

export type { AttackExercise, DefendExercise, Exercise, ExerciseKind, InvestigateExercise } from "./types.js";

/** The exercises, in the order a class meets them. Adding one: one file, one line here. */
export const EXERCISES: Exercise[] = [
  defendOnPath, defendRogueCa, defendFallback, defendStolenKey, defendDowngrade, defendServer,
  attackRewriteIban, attackHarvestNoVerify, attackStripChannelBinding, attackStarttlsInjection,
  investigateCapturePassword, investigateWhichScenario, investigateCrackScram,
];

export const KINDS: Record<ExerciseKind, string> = {
  defend: "Defend - configure the victims so mallory gets nothing, and alice still gets through",
  attack: "Attack - write a tactic for mallory; the checker runs it against a fixed victim",
  investigate: "Investigate - material made for you alone; answer from what it shows",
};

export function findExercise(id: string): Exercise | undefined {
  return EXERCISES.find((e) => e.id === id);
}
