import { beforeAll, describe, expect, it } from "vitest";
import { maskVolatile, narrate } from "../lab/narration.js";
import { createRunContext, type RunContext, runScenario } from "../lab/runner.js";
import { SCENARIOS } from "../scenarios/index.js";

let ctx: RunContext;
beforeAll(async () => {
  ctx = await createRunContext();
  let tick = 0;
  ctx.clock = () => tick++; // injected: event times are a counter, not the wall clock
});

describe("the plain narrator", () => {
  it.each(SCENARIOS.map((s) => [s.id, s]))("tells %s the same way every run", async (_id, s) => {
    const r = await runScenario(s, ctx);
    expect(maskVolatile(narrate(r, SCENARIOS.length))).toMatchSnapshot();
  });

  it("shows every scenario narration line it was given (each is keyed to an event that happens)", async () => {
    for (const s of SCENARIOS) {
      const text = narrate(await runScenario(s, ctx), SCENARIOS.length);
      for (const n of s.narration) expect(text, `${s.id}: ${n.on}`).toContain(n.say);
    }
  });
});
