import { beforeAll, describe, expect, it } from "vitest";
import { spkiPin } from "../../lab/core/tls.js";
import { ALICE_PASSWORDS } from "../../lab/passwords.js";
import { createRunContext, type RunContext, runScenario } from "../../lab/runner.js";
import { applySettings } from "../../lab/settings.js";
import { findScenario } from "../../scenarios/index.js";
import type { Fact } from "../../scenarios/facts.js";
import { Checker } from "./checker.js";

let ctx: RunContext;
beforeAll(async () => {
  ctx = await createRunContext();
});

async function check(id: string, sets: string[] = []) {
  const r = await runScenario(applySettings(findScenario(id)!, sets), ctx);
  return new Checker(r, { password: ALICE_PASSWORDS.strong, serverPin: spkiPin(ctx.pki.server.cert) });
}

/** The property test's checker must be able to say no: a checker that passes everything proves nothing. */
describe("the independent checker", () => {
  it.each<[string, string[], Fact, boolean]>([
    ["stolen-key", [], { fact: "tls", pinMatched: true, reachedServer: false }, true],
    ["stolen-key", ["mallory.identity=rogue", "alice.trustsRogueCa=true"], { fact: "tls", pinMatched: true }, false],
    ["starttls-strip", [], { fact: "decision", decision: "cleartext-without-starttls" }, true],
    ["starttls-strip", ["alice.tls=required"], { fact: "decision", decision: "cleartext-without-starttls" }, false],
    ["starttls-strip", ["alice.tls=required"], { fact: "password-exposed" }, false],
    ["plaintext", ["mallory.tactics=observe"], { fact: "password-exposed", how: "cleartext" }, true],
    ["plaintext", ["mallory.tactics=observe"], { fact: "loot", type: "credential" }, false],
    ["starttls-passive", [], { fact: "sealed" }, true],
    ["starttls-passive", [], { fact: "message-read" }, false],
    ["channel-binding", [], { fact: "auth", ok: false, reason: "channel-binding-mismatch" }, true],
    ["channel-binding", [], { fact: "no-password-exposed" }, true],
    ["channel-binding", ["mallory.tactics=intercept-tls,strip-mechanisms"], { fact: "no-password-exposed" }, false],
    ["directtls-pinned", [], { fact: "error", code: "PIN_MISMATCH" }, true],
    ["directtls-pinned", ["alice.verify=ca"], { fact: "error", code: "PIN_MISMATCH" }, false],
  ])("%s %j: %j holds = %s", async (id, sets, fact, want) => {
    expect((await check(id, sets)).holds(fact)).toBe(want);
  });

  it("reads the verdict's rule from the bytes: succeeds for strip+tamper without loot, fails for a required client", async () => {
    expect((await check("starttls-strip", ["mallory.tactics=strip-starttls,tamper"])).attackSucceeds()).toBe(true);
    expect((await check("starttls-strip", ["alice.tls=required"])).attackSucceeds()).toBe(false);
  });
});
