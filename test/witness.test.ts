import { beforeAll, describe, expect, it } from "vitest";
import { createRunContext, type RunContext, runScenario } from "../lab/runner.js";
import { applySettings } from "../lab/settings.js";
import { accountsFrom } from "../victim-server/index.js";
import { findScenario, MESSAGE, SCENARIOS } from "../scenarios/index.js";

let ctx: RunContext;
beforeAll(async () => {
  ctx = await createRunContext();
});

const run = (id: string, sets: string[] = [], extra: Partial<RunContext> = {}) => runScenario(applySettings(findScenario(id)!, sets), { ...ctx, ...extra });
const ROGUE_IBAN = "Please wire 100 EUR to GB33 BUKB 2020 1555 5555 55";

describe("the witness decides the verdict, not mallory's reports", () => {
  it("starttls-strip with strip-starttls,tamper (no loot): the attack succeeds with the altered message", async () => {
    const r = await run("starttls-strip", ["mallory.tactics=strip-starttls,tamper"]);
    expect(r.outcome).toBe("attack-succeeds");
    expect(r.loot.messagesTampered).toEqual([{ sent: MESSAGE, delivered: ROGUE_IBAN }]);
    // The password crossed alice's leg in clear: it counts although mallory never noted it.
    expect(r.loot.credentials).toEqual([{ mechanism: "PLAIN", username: "alice", password: ctx.passwords.alice }]);
    expect(r.events.some((e) => e.node === "mallory" && e.kind === "loot")).toBe(false);
    expect(r.witness.passwordExposed).toMatchObject([{ leg: "alice-mallory", how: "cleartext" }]);
  });

  it("plaintext with observe only: the password and the message are exposed", async () => {
    const r = await run("plaintext", ["mallory.tactics=observe"]);
    expect(r.outcome).toBe("attack-succeeds");
    expect(r.loot.credentials.map((c) => c.password)).toEqual([ctx.passwords.alice]);
    expect(r.loot.messagesRead).toEqual([MESSAGE]);
    expect(r.witness.loginRelayed).toMatchObject([{ stream: "cleartext" }]);
  });

  it("starttls-passive: alice's TLS session is the server's own; nothing is exposed", async () => {
    const r = await run("starttls-passive");
    expect(r.witness.sessions).toMatchObject([{ reachedServer: true }]);
    expect(r.witness).toMatchObject({ passwordExposed: [], scramExposed: [], messagesRead: [], messagesAltered: [], loginRelayed: [], attackSucceeded: false });
  });

  it("stolen-key: alice's session ends at mallory; what alice sent inside it was readable, and the login was relayed", async () => {
    const r = await run("stolen-key");
    expect(r.witness.sessions).toMatchObject([{ reachedServer: false }]);
    expect(r.witness.messagesRead).toMatchObject([{ how: "terminated-tls", body: MESSAGE }]);
    expect(r.witness.loginRelayed).toMatchObject([{ stream: "other-tls" }]);
    // SCRAM: material for an offline guess - alice's strong password is not on the bundled list.
    expect(r.witness.scramExposed).toMatchObject([{ how: "terminated-tls", iterations: 4096, cracked: false }]);
  });

  it("channel-binding: the SCRAM exchange is exposed but not cracked, nothing else: the attack fails", async () => {
    const r = await run("channel-binding");
    expect(r.outcome).toBe("attack-fails");
    expect(r.witness.scramExposed).toMatchObject([{ mechanism: "SCRAM-SHA-256-PLUS", cracked: false }]);
    expect(r.loot.credentials).toEqual([]);
    expect(r.reason).toMatch(/bundled wordlist does not recover the password/);
  });

  it("channel-binding with a weak password: the recorded exchange is cracked offline, and that is a success", async () => {
    const weak = { alice: "sunshine", bob: ctx.passwords.bob };
    const r = await run("channel-binding", [], { passwords: weak, accounts: accountsFrom(weak) });
    expect(r.witness.scramExposed).toMatchObject([{ cracked: true, password: "sunshine" }]);
    expect(r.outcome).toBe("attack-succeeds");
    expect(r.loot.credentials).toEqual([{ mechanism: "SCRAM-SHA-256-PLUS", username: "alice", password: "sunshine" }]);
  });

  it("strip-mechanisms inside the TLS mallory terminated: alice, shown only PLAIN, sends her password to her", async () => {
    const r = await run("channel-binding", ["mallory.tactics=intercept-tls,strip-mechanisms"]);
    expect(r.events.some((e) => e.node === "mallory" && e.kind === "relay" && e.context === "inside-tls" && e.edits.some((x) => x.op === "removed-mechanisms"))).toBe(true);
    expect(r.witness.passwordExposed).toMatchObject([{ how: "terminated-tls", mechanism: "PLAIN" }]);
    expect(r.outcome).toBe("attack-succeeds");
  });

  it("strip-plus inside her TLS: alice's 'y' flag tells the server, which refuses the login", async () => {
    const r = await run("channel-binding", ["mallory.tactics=intercept-tls,strip-plus"]);
    expect(r.events.find((e) => e.node === "server" && e.kind === "auth" && !e.ok)).toMatchObject({ mechanism: "SCRAM-SHA-256", reason: "plus-stripped" });
    expect(r.outcome).toBe("attack-fails");
  });
});

describe("mallory's claims", () => {
  it.each(SCENARIOS.map((s) => [s.id]))("%s: every claim is supported by the witness or the endpoints", async (id) => {
    const r = await run(id);
    expect(r.claims.length).toBeGreaterThan(0);
    expect(r.claims.filter((c) => !c.supported)).toEqual([]);
  });

  it("a tactic that never acted says why, once per connection", async () => {
    const r = await run("starttls-passive", ["mallory.tactics=observe,loot,tamper,strip-mechanisms,intercept-tls", "mallory.identity=self-signed"]);
    const told = r.events.flatMap((e) => (e.node === "mallory" && e.kind === "tactic" ? [`${e.tactic}:${e.status}:${e.why}`] : []));
    // No SCRAM to strip before TLS; then alice refuses mallory's certificate: nothing more to do.
    expect(told.sort()).toEqual(["loot:unused:nothing-readable", "strip-mechanisms:unused:nothing-to-edit", "tamper:unused:no-message"]);
    const sealed = await run("starttls-passive", ["mallory.tactics=observe,loot,tamper"]);
    const said = sealed.events.flatMap((e) => (e.node === "mallory" && e.kind === "tactic" ? [`${e.tactic}:${e.status}:${e.why}`] : []));
    expect(said.sort()).toEqual(["loot:inapplicable:sealed", "tamper:inapplicable:sealed"]);
    expect(sealed.claims.filter((c) => !c.supported)).toEqual([]);
    expect(r.claims.filter((c) => !c.supported)).toEqual([]);
  });
});
