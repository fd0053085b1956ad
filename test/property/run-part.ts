import { beforeAll, expect, it } from "vitest";
import { spkiPin } from "../../lab/core/tls.js";
import { ALICE_PASSWORDS } from "../../lab/passwords.js";
import { createRunContext, type RunContext, runScenario } from "../../lab/runner.js";
import { SCENARIOS } from "../../scenarios/index.js";
import { problems } from "./property.js";
import { randomPairs, singleChanges, type Variant } from "./variants.js";

/** Seeded: a failure names its variant, and the same seed makes the same pairs. */
export const SEED = 20260811;
export const PAIRS = 200;
export const PARTS = 4;

export function variants(): Variant[] {
  return [...singleChanges(SCENARIOS), ...randomPairs(SCENARIOS, PAIRS, SEED)];
}

/** One quarter of the variants (vitest runs the four files in parallel). */
export function propertyPart(part: number): void {
  let ctx: RunContext;
  beforeAll(async () => {
    ctx = await createRunContext();
  });
  const mine = variants().filter((_, i) => i % PARTS === part);
  it(`${mine.length} runs with changed settings: every line true, verdict = witness, claims supported, no tactic silent`, async () => {
    const failures: string[] = [];
    for (const v of mine) {
      const r = await runScenario(v.scenario, ctx);
      const password = ALICE_PASSWORDS[v.scenario.alice.password ?? "strong"];
      for (const p of problems(r, { password, serverPin: spkiPin(ctx.pki.server.cert) })) failures.push(`${v.scenario.id} --set ${v.sets.join(" --set ")}: ${p}`);
    }
    expect(failures).toEqual([]);
  }, 300_000);
}
