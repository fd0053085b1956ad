import type { DefendExercise } from "../../exercises/types.js";
import { findScenario } from "../../scenarios/index.js";
import { LabError, UsageError } from "../core/errors.js";
import { createRunContext, type RunContext, type RunResult, runScenario } from "../runner.js";
import { applySettings } from "../settings.js";
import { type CheckResult, RUN_FAILED, type RunCheck } from "./result.js";
import { delivered, runCommand, whyNotDelivered } from "./runs.js";

/** A setting the student may change in this exercise: an exact path, or a section ("alice."). */
export function mayChange(ex: DefendExercise, path: string): boolean {
  return ex.may.some((m) => (m.endsWith(".") ? path.startsWith(m) : path === m));
}

/** Refuse, before anything runs, a setting that is the exercise's and not the student's. */
export function checkAllowed(ex: DefendExercise, sets: readonly string[]): void {
  for (const set of sets) {
    const path = set.slice(0, Math.max(0, set.indexOf("="))).trim();
    if (!path) continue; // applySettings says what a --set wants
    if (!mayChange(ex, path)) {
      const yours = ex.may.map((m) => (m.endsWith(".") ? `${m}*` : m)).join(", ");
      throw new UsageError(`${ex.id}: ${path} is the exercise's to set, not yours; you may change ${yours}`);
    }
  }
}

/**
 * A defend check: the student's settings against every attacker the exercise names, judged by
 * the witness, and on every honest path, where alice must still reach bob. Runs one after
 * another on one PKI, so no two share a moment and the check stays well under two seconds.
 */
export async function checkDefend(ex: DefendExercise, sets: readonly string[], ctx?: RunContext): Promise<CheckResult> {
  const t0 = performance.now();
  checkAllowed(ex, sets);
  const base = findScenario(ex.base);
  if (!base) throw new Error(`exercise ${ex.id}: no scenario ${ex.base}`);
  const mine = [...(ex.baseSet ?? []), ...sets];
  // Every combination is validated before the first socket opens: a bad value is exit 2.
  const plans = [
    ...ex.attackers.map((p) => ({ role: "attacker" as const, path: p, scenario: applySettings(base, [...mine, ...p.set]) })),
    ...ex.honest.map((p) => ({ role: "honest" as const, path: p, scenario: applySettings(base, [...mine, ...p.set]) })),
  ];
  const context = ctx ?? (await createRunContext());
  const runs: RunCheck[] = [];
  const details: string[] = [];
  for (const plan of plans) {
    const command = runCommand(ex.base, [...mine, ...plan.path.set]);
    let r: RunResult;
    try {
      r = await runScenario(plan.scenario, context);
    } catch (err) {
      // Settings can make a node give up before the run has a trace (bob cannot log in to a
      // server that offers no mechanism): that is the student's answer failing, told as such.
      const why = err instanceof LabError ? err.explain : err instanceof Error ? err.message : String(err);
      runs.push({ role: plan.role, name: plan.path.name, ok: false, outcome: "attack-fails", reason: why, headline: RUN_FAILED, delivered: false, command, durationMs: 0 });
      details.push(`${plan.role === "honest" ? `With no attacker, on ${plan.path.name}` : `mallory ${plan.path.name}`}: the lab could not run this - ${why}`);
      details.push(`  See it: ${command}`);
      continue;
    }
    const ok = plan.role === "honest" ? delivered(r) : stopped(ex, r);
    runs.push({ role: plan.role, name: plan.path.name, ok, outcome: r.outcome, reason: r.reason, headline: r.headline, delivered: delivered(r), command, durationMs: r.durationMs });
    if (ok) continue;
    if (plan.role === "honest") {
      details.push(`With no attacker, on ${plan.path.name}, alice did not reach bob: ${whyNotDelivered(r)}`);
      details.push(`  A defence that stops everyone stops alice too. See it: ${command}`);
    } else {
      details.push(`mallory ${plan.path.name}: ${got(ex, r)}`);
      details.push(`  See it step by step: ${command}`);
    }
  }
  const failedAttackers = runs.filter((r) => r.role === "attacker" && !r.ok).length;
  const failedHonest = runs.filter((r) => r.role === "honest" && !r.ok).length;
  const summary = !failedAttackers && !failedHonest
    ? `solved: ${ex.attackers.length === 1 ? "the attacker" : ex.attackers.length === 2 ? "both attackers" : `all ${ex.attackers.length} attackers`} stopped, and alice still reaches bob`
    : failedAttackers
      ? `not yet: ${failedAttackers} of ${ex.attackers.length} attackers still ${ex.protect === "password" ? "get alice's password" : "get something"}${failedHonest ? ", and alice no longer reaches bob" : ""}`
      : `not yet: every attacker is stopped, but so is alice`;
  return { id: ex.id, kind: "defend", solved: !failedAttackers && !failedHonest, summary, details, runs, durationMs: Math.round(performance.now() - t0) };
}

/** Did the student's settings stop this attacker, by the exercise's measure. */
function stopped(ex: DefendExercise, r: RunResult): boolean {
  if (ex.protect === "password") return r.loot.credentials.length === 0;
  return r.outcome === "attack-fails";
}

/** What the attacker still got, in the witness's words. */
function got(ex: DefendExercise, r: RunResult): string {
  if (ex.protect === "password") {
    const p = r.witness.passwordExposed[0];
    if (p) return `alice's password still crosses ${p.how === "cleartext" ? "in cleartext" : "inside TLS that mallory terminated"} (${p.mechanism} <auth>, on the ${p.leg} leg)`;
    const x = r.witness.scramExposed.find((s) => s.cracked);
    if (x) return `the ${x.mechanism} exchange mallory recorded gives the password away to the bundled wordlist (guess ${x.guesses})`;
  }
  return r.reason;
}
