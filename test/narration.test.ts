import { beforeAll, describe, expect, it } from "vitest";
import { placeNarration } from "../lab/facts.js";
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

  it("shows a scenario's line exactly when its facts hold; as shipped, all but the lines kept for other settings", async () => {
    // Lines written for what a changed setting can cause (a weak password, a stripped -PLUS).
    const forOtherSettings = [
      "The recorded SCRAM exchange falls to the bundled wordlist",
      "alice said she supports channel binding but saw no -PLUS",
      // downgrade-protection: what caught the downgrade when pinning did not (or nothing did).
      "What caught it: RFC 5802's 'y' flag",
      "What caught it: XEP-0474",
      "Nothing caught it",
      // wrong-name with alice.verify=ca.
      "alice checks the name too",
    ];
    for (const s of SCENARIOS) {
      const r = await runScenario(s, ctx);
      const text = narrate(r, SCENARIOS.length);
      const shown = new Set(placeNarration(r).map((l) => l.say));
      for (const n of s.narration) {
        expect(text.includes(n.say), `${s.id}: ${n.say}`).toBe(shown.has(n.say));
        expect(shown.has(n.say), `${s.id}: ${n.say}`).toBe(!forOtherSettings.some((x) => n.say.startsWith(x)));
      }
    }
  });
});
