import { beforeAll, describe, expect, it } from "vitest";
import { EXERCISES, type DefendExercise } from "../../exercises/index.js";
import { checkDefend } from "../../lab/exercises/defend.js";
import { createRunContext, type RunContext } from "../../lab/runner.js";
import { UsageError } from "../../lab/core/errors.js";

const DEFEND = EXERCISES.filter((e): e is DefendExercise => e.kind === "defend");

/** A configuration that blocks everything, in the settings the exercise lets the student change. */
function neverConnect(e: DefendExercise): string[] {
  return e.may.some((m) => m === "alice." || m === "alice.mechanisms") ? ["alice.mechanisms="] : ["server.mechanisms="];
}

let ctx: RunContext;
beforeAll(async () => {
  ctx = await createRunContext();
});

describe.each(DEFEND.map((e) => [e.id, e] as const))("defend exercise %s", (_, e) => {
  it("the reference solution stops every attacker and alice still reaches bob", async () => {
    const r = await checkDefend(e, e.solution, ctx);
    expect(r.details).toEqual([]);
    expect(r.solved).toBe(true);
    expect(r.runs.filter((x) => x.role === "attacker")).toHaveLength(e.attackers.length);
    expect(r.runs.filter((x) => x.role === "honest").every((x) => x.delivered)).toBe(true);
  });

  it.each(e.wrong.map((w) => [w.why, w] as const))("rejects a wrong answer: %s", async (_why, w) => {
    const r = await checkDefend(e, w.set, ctx);
    expect(r.solved).toBe(false);
    // Every failure says what happened and gives the command that shows it.
    expect(r.details.length).toBeGreaterThan(0);
    expect(r.details.join("\n")).toMatch(/mitm-lab run /);
  });

  it("rejects a configuration that never connects: the honest path must work", async () => {
    const r = await checkDefend(e, neverConnect(e), ctx);
    expect(r.solved).toBe(false);
    expect(r.runs.find((x) => x.role === "honest")!.ok).toBe(false);
    expect(r.summary).toMatch(/alice/);
  });

  it("refuses settings that are the exercise's, before anything runs", async () => {
    await expect(checkDefend(e, ["mallory.tactics=observe"], ctx)).rejects.toThrow(UsageError);
  });
});
