import fs from "node:fs";
import type { InvestigateExercise, MaterialKind } from "../../exercises/types.js";
import { UsageError } from "../core/errors.js";
import type { RunContext } from "../runner.js";
import type { MaterialRecord } from "./progress.js";
import type { CheckResult } from "./result.js";
import { DEFENCES } from "./material/defences.js";
import { matches } from "./material/truth.js";
import { findScenario } from "../../scenarios/index.js";

/**
 * Investigate exercises: material generated for each student (lab/exercises/material/), and an
 * answer checked against that material's ground truth. A wrong answer is told what is wrong
 * about it - never what the right one is.
 */
type Generate = (dir: string, ctx: RunContext) => Promise<MaterialRecord>;

const GENERATORS: Record<MaterialKind, () => Promise<Generate>> = {
  "capture-password": async () => (await import("./material/capture-password.js")).generateCapturePassword,
  "scram-crack": async () => (await import("./material/scram-crack.js")).generateScramCrack,
  "which-scenario": async () => (await import("./material/which-scenario.js")).generateWhichScenario,
};

export async function generateMaterial(ex: InvestigateExercise, dir: string, ctx: RunContext): Promise<MaterialRecord> {
  fs.rmSync(dir, { recursive: true, force: true });
  return (await GENERATORS[ex.material]())(dir, ctx);
}

/** Whether the material a record names is still all there (a student may have deleted it). */
export function materialPresent(m: MaterialRecord | undefined): m is MaterialRecord {
  return !!m && m.files.every((f) => fs.existsSync(f));
}

const unquote = (s: string) => s.trim().replace(/^(["'])(.*)\1$/s, "$2");

export function checkAnswer(ex: InvestigateExercise, answer: string | undefined, m: MaterialRecord): CheckResult {
  const t0 = performance.now();
  if (answer === undefined || !answer.trim()) throw new UsageError(`${ex.id} wants an answer: mitm-lab exercise check ${ex.id} --answer ${ex.answer.split(" ")[0] === "SCENARIO" ? "'SCENARIO DEFENCE'" : "TEXT"}`);
  const verdict = ex.material === "which-scenario" ? judgeWhich(unquote(answer), m) : judgePassword(unquote(answer), m, ex.material);
  return {
    id: ex.id,
    kind: "investigate",
    solved: verdict.ok,
    summary: verdict.ok ? "solved: that is the ground truth of your material" : `not yet: ${verdict.why}`,
    details: verdict.ok ? [] : verdict.more,
    runs: [],
    durationMs: Math.round(performance.now() - t0),
  };
}

type Judged = { ok: true } | { ok: false; why: string; more: string[] };

function judgePassword(answer: string, m: MaterialRecord, kind: MaterialKind): Judged {
  if (matches(m.salt, answer, m.truth.password)) return { ok: true };
  const more: string[] = [];
  // Near misses worth naming: the PLAIN payload itself, or "user:password".
  const decoded = tryBase64(answer);
  if (decoded !== null) {
    const parts = decoded.split("\0");
    if (parts.some((p) => matches(m.salt, p, m.truth.password))) {
      return { ok: false, why: "that is the base64 payload of the <auth>, not the password", more: ["PLAIN's payload is base64 of authzid NUL username NUL password (RFC 4616): decode it, and give only the part after the second NUL."] };
    }
  }
  for (const sep of [":", "\0", " ", "/"]) {
    const at = answer.lastIndexOf(sep);
    if (at > 0 && matches(m.salt, answer.slice(at + 1), m.truth.password)) {
      return { ok: false, why: "give the password alone, without the username", more: [] };
    }
  }
  if (answer !== answer.trim() || /\s$/.test(answer)) more.push("Your answer has spaces around it; the password has none.");
  // Where to look depends on the material: a PLAIN login in a capture, or a SCRAM exchange to crack.
  if (kind === "capture-password") more.push("The password is the one inside the <auth mechanism='PLAIN'> alice sent: find that element in the capture and decode it, not a guess from elsewhere.");
  else more.push("A password is alice's only if it is the one her login used: mitm-lab crack says \"found\" only when a guess reproduces her proof.");
  return { ok: false, why: "that is not the password alice used", more };
}

function tryBase64(s: string): string | null {
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(s) || s.length % 4 !== 0) return null;
  const text = Buffer.from(s, "base64").toString("utf8");
  return text.includes("\0") ? text : null;
}

function judgeWhich(answer: string, m: MaterialRecord): Judged {
  const [scenario, defence, ...rest] = answer.split(/[\s,;:/]+/).filter(Boolean);
  if (!scenario || !defence || rest.length) {
    throw new UsageError(`answer with a scenario id and what stopped mallory, for example --answer 'starttls-strip required-tls'`);
  }
  if (!findScenario(scenario)) throw new UsageError(`no scenario "${scenario}"; mitm-lab list shows the ids`);
  if (!(defence in DEFENCES)) throw new UsageError(`say what stopped mallory with one of: ${Object.keys(DEFENCES).join(", ")}`);
  const scenarioOk = matches(m.salt, scenario, m.truth.scenario);
  const defenceOk = matches(m.salt, defence, m.truth.defence);
  if (scenarioOk && defenceOk) return { ok: true };
  if (scenarioOk) return { ok: false, why: "the scenario is right; what stopped mallory is not", more: ["Find the last thing alice (or the server) did before the run ended: a refusal names its reason."] };
  if (defenceOk) return { ok: false, why: "what stopped mallory is right; the scenario is not", more: ["Look at how alice starts TLS (STARTTLS or from the first byte), which certificate mallory answers with (its issuer), and how alice checks it. docs/scenarios.md lists each scenario's settings."] };
  return { ok: false, why: "neither the scenario nor what stopped mallory", more: ["Read the trace from the top: who offered what, who started TLS, whose certificate alice saw, and the last error."] };
}
