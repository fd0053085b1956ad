import { UsageError } from "../../lab/core/errors.js";
import { applySettings, effectiveSettings, formatValue, SCHEMA, SETTING_PATHS } from "../../lab/settings.js";
import type { Scenario } from "../../scenarios/index.js";
// The fuzz campaign's seeded generator (mulberry32): a failing pair is run again by its seed.
import { rng } from "../../fuzz/inputs.js";

/**
 * The "what if" runs of the property test: every scenario with each single setting changed to
 * each of its other values, and seeded random pairs. A variant the command line would refuse
 * (exit 2) is not a run.
 */

/** Meaningful other values for the list settings (a list has too many subsets to try them all). */
const LIST_VALUES: Record<string, string[][]> = {
  // Empty lists too: legal settings (nobody logs in), and the only ones that fail bob's login
  // before a name is read - whose session must stay out of alice's story.
  "alice.mechanisms": [[], ["PLAIN"], ["SCRAM-SHA-256"], ["SCRAM-SHA-256-PLUS", "SCRAM-SHA-256"], ["SCRAM-SHA-1", "PLAIN"]],
  "server.mechanisms": [[], ["PLAIN"], ["SCRAM-SHA-1", "PLAIN"], ["SCRAM-SHA-256-PLUS", "SCRAM-SHA-256"], ["SCRAM-SHA-256-PLUS"]],
  "alice.rememberedMechanisms": [[], ["SCRAM-SHA-256-PLUS", "SCRAM-SHA-1-PLUS", "SCRAM-SHA-256", "SCRAM-SHA-1", "PLAIN"]],
};

type Spec = { kind: string; values?: readonly string[]; optional?: boolean; unset?: string };
const specOf = (path: string) => {
  const [sec, key] = path.split(".");
  return (SCHEMA as unknown as Record<string, Record<string, Spec>>)[sec][key];
};

/** Every other value of one setting, as --set strings. */
export function alternatives(s: Scenario, path: string): string[] {
  const spec = specOf(path);
  const now = formatValue(effectiveSettings(s)[path]);
  let values: string[];
  if (spec.kind === "bool") values = ["true", "false"];
  else if (path === "mallory.tactics") {
    const have = effectiveSettings(s)[path] as string[];
    // Each tactic toggled: taken away if she has it, added if not.
    values = spec.values!.map((t) => (have.includes(t) ? have.filter((x) => x !== t) : [...have, t]).join(","));
  } else if (spec.kind === "list") values = (LIST_VALUES[path] ?? []).map((v) => v.join(","));
  else values = [...new Set([...spec.values!, ...(spec.optional ? [spec.unset ?? "none"] : [])])];
  return values.filter((v) => v !== now).map((v) => `${path}=${v}`);
}

function tryApply(s: Scenario, sets: string[]): Scenario | null {
  try {
    return applySettings(s, sets);
  } catch (e) {
    if (e instanceof UsageError) return null;
    throw e;
  }
}

export interface Variant {
  scenario: Scenario;
  sets: string[];
}

export function singleChanges(catalogue: readonly Scenario[]): Variant[] {
  const out: Variant[] = [];
  for (const s of catalogue) {
    for (const path of SETTING_PATHS) {
      for (const set of alternatives(s, path)) {
        const v = tryApply(s, [set]);
        if (v) out.push({ scenario: v, sets: [set] });
      }
    }
  }
  return out;
}


export function randomPairs(catalogue: readonly Scenario[], n: number, seed: number): Variant[] {
  const next = rng(seed);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(next() * xs.length)];
  const out: Variant[] = [];
  for (let tries = 0; out.length < n && tries < n * 20; tries++) {
    const s = pick(catalogue);
    const [p1, p2] = [pick(SETTING_PATHS), pick(SETTING_PATHS)];
    if (p1 === p2) continue;
    const a1 = alternatives(s, p1);
    const a2 = alternatives(s, p2);
    if (!a1.length || !a2.length) continue;
    const sets = [pick(a1), pick(a2)];
    const v = tryApply(s, sets);
    if (v) out.push({ scenario: v, sets });
  }
  return out;
}
