import crypto from "node:crypto";
import path from "node:path";
import type { AttackExercise, AttackGoal } from "../../exercises/types.js";
import { findScenario } from "../../scenarios/index.js";
import { accountsFrom } from "../../victim-server/index.js";
import { createRunContext, type RunContext, type RunResult, runScenario } from "../runner.js";
import { applySettings } from "../settings.js";
import { type LoadedTactic, loadTactic, TacticFileError } from "../tactic-file.js";
import type { CheckResult } from "./result.js";
import { delivered, runCommand } from "./runs.js";

/**
 * An attack check: the student's tactic file in mallory, against the exercise's fixed victim,
 * judged by the witness. alice's password is made afresh for each check, so a tactic cannot
 * hard-code the answer (the lab's default password is in its bundle, for anyone to read).
 */
export async function checkAttack(ex: AttackExercise, file: string, ctx?: RunContext): Promise<CheckResult> {
  const t0 = performance.now();
  const done = (solved: boolean, summary: string, details: string[], runs: CheckResult["runs"] = []): CheckResult => ({
    id: ex.id, kind: "attack", solved, summary, details, runs, durationMs: Math.round(performance.now() - t0),
  });
  let tactic: LoadedTactic;
  try {
    tactic = await loadTactic(file);
  } catch (err) {
    if (!(err instanceof TacticFileError)) throw err;
    return done(false, `not yet: ${err.message}`, [err.explain]);
  }
  const sets = victimSets(ex);
  const scenario = applySettings(findScenario(ex.victim)!, sets);
  const context = ctx ?? (await createRunContext());
  const password = `check-${crypto.randomBytes(9).toString("base64url")}`;
  const passwords = { alice: password, bob: context.passwords.bob };
  const r = await runScenario(scenario, { ...context, passwords, accounts: accountsFrom(passwords), custom: tactic.edit });
  const reached = goalReached(ex.goal, r);
  const command = `${runCommand(ex.victim, sets)} --tactic ${path.basename(file)}`;
  const run = { role: "attacker" as const, name: `with ${path.basename(file)}`, ok: reached !== null, outcome: r.outcome, reason: r.reason, headline: r.headline, delivered: delivered(r), command, durationMs: r.durationMs };
  if (reached) return done(true, `solved: ${reached}`, [], [run]);

  const details: string[] = [];
  const stuck = tactic.stuck;
  if (stuck) {
    details.push(`mallory stopped your tactic when it did not return, on ${stuck.element} (${stuck.where.dir}, ${stuck.where.context}), and forwarded every element unchanged from then on. Look for a loop whose condition never changes (el.getChild(...) finds the same child until you remove it).`);
    details.push(`What the witness saw: ${r.reason.replace(/\.$/, "")}.`);
    details.push(`  See it step by step: ${command}`);
    return done(false, `not yet: your tactic ${stuck.error}`, details, [run]);
  }
  for (const f of tactic.faults.slice(0, 3)) details.push(`Your tactic threw on ${f.element} (${f.where.dir}, ${f.where.context}): ${f.error} - the element passed unchanged.`);
  if (tactic.calls === 0) details.push("mallory never handed your tactic an element: she could not read the stream (it was TLS she did not terminate).");
  else if (tactic.changed === 0) details.push(`Your tactic was given ${tactic.calls} elements and changed none of them.`);
  details.push(`What the witness saw: ${r.reason.replace(/\.$/, "")}.`);
  const chose = r.events.find((e) => e.node === "alice" && e.kind === "decision" && e.decision.type === "mechanism");
  if (chose?.kind === "decision" && chose.decision.type === "mechanism") details.push(`alice chose ${chose.decision.chosen} from [${chose.decision.offered.join(", ")}].`);
  details.push(`  See it step by step: ${command}`);
  return done(false, `not yet: ${GOALS[ex.goal].missing}`, details, [run]);
}

/** mallory's own moves besides the student's tactic; nothing else of hers runs. */
export function victimSets(ex: AttackExercise): string[] {
  return [...(ex.victimSet ?? []), `mallory.tactics=${ex.builtins.join(",")}`];
}

const GOALS: Record<AttackGoal, { missing: string }> = {
  password: { missing: "alice's password never crossed where mallory could read it" },
  "message-altered": { missing: "bob received exactly what alice sent" },
  injection: { missing: "the server never processed bytes of mallory's as if they came inside alice's TLS" },
};

/** The goal as the witness and the endpoints prove it, in words; null when not reached. */
function goalReached(goal: AttackGoal, r: RunResult): string | null {
  const w = r.witness;
  if (goal === "password") {
    const p = w.passwordExposed[0];
    if (p) return `alice's password crossed ${p.how === "cleartext" ? "in cleartext" : "inside TLS that mallory terminated"} (${p.mechanism}), on the ${p.leg} leg`;
    const x = w.scramExposed.find((s) => s.cracked);
    if (x) return `alice's ${x.mechanism} exchange crossed where mallory could read it, and the wordlist recovers the password`;
    return null;
  }
  if (goal === "message-altered") {
    const m = w.messagesAltered[0];
    return m ? `bob received "${m.delivered}", which alice never sent` : null;
  }
  // The witness's rule: the server read something of mallory's (a stream header, a command) as
  // if alice had sent it inside TLS. Bytes it could not read as a stream (a bare <presence/>)
  // end the stream with an error: nothing was acted on, as the run's verdict says too.
  const i = w.injected[0];
  return i ? `the server read ${i.read.join(", ")} (${i.bytes} bytes of mallory's) as if alice had sent them inside her TLS` : null;
}
