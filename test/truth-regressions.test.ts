import { beforeAll, describe, expect, it } from "vitest";
import { narrate, verdictTable } from "../lab/narration.js";
import { createRunContext, type RunContext, runScenario } from "../lab/runner.js";
import { applySettings } from "../lab/settings.js";
import { SCENARIOS } from "../scenarios/index.js";

/**
 * Lines the lab printed under one changed setting that were not true (issue 8's sweep), each
 * run as a student would (`mitm-lab run ID --set ...`) and read as printed.
 */
let ctx: RunContext;
beforeAll(async () => {
  ctx = await createRunContext();
});

async function told(id: string, ...sets: string[]) {
  const r = await runScenario(applySettings(SCENARIOS.find((s) => s.id === id)!, sets), ctx);
  return { r, text: narrate(r, SCENARIOS.length) };
}

describe("what a changed setting used to make the lab say", () => {
  it("mallory removed every mechanism: alice's refusal says what she received, not what the server offered", async () => {
    const { text } = await told("starttls-strip-server-requires", "server.mechanisms=SCRAM-SHA-256");
    expect(text).toContain("mallory ✂ removed SCRAM-SHA-256");
    expect(text).not.toMatch(/The server offered no SASL mechanism/);
    expect(text).toContain("The features alice received offered no SASL mechanism at all");
  });

  it("a rogue CA alice does not trust is not called 'trusted by mistake'", async () => {
    const { text } = await told("directtls-rogue-ca", "alice.trustsRogueCa=false");
    expect(text).toContain("by Rogue CA");
    expect(text).not.toMatch(/trusted by mistake/);
  });

  it("tls-server-end-point binds the certificate, not the session; its mismatch is not 'this TLS session's'", async () => {
    const { text } = await told("channel-binding-endpoint", "mallory.identity=public-ca", "alice.trustsPublicCa=true", "alice.verify=ca");
    expect(text).toContain("binds the login to the server's certificate (not this TLS session) with tls-server-end-point");
    expect(text).toContain("the channel binding in the proof is not the one the server computes for this connection");
    expect(text).not.toMatch(/TLS session's/);
  });

  it("the login mallory pipelines behind <starttls/> is a login as alice, not alice's", async () => {
    const { text } = await told("starttls-injection", "alice.verify=none");
    expect(text).toContain("The server refuses a PLAIN login as alice: wrong password");
    expect(text).not.toMatch(/refuses alice's/);
  });

  it("with bob kept out, the server still gets alice's message before the run ends, and the verdict names the server, not bob", async () => {
    const { r, text } = await told("channel-binding-endpoint", "server.mechanisms=SCRAM-SHA-256-PLUS");
    expect(r.events.some((e) => e.node === "bob" && e.kind === "bound")).toBe(false);
    expect(r.claims.every((c) => c.supported)).toBe(true);
    expect(text).not.toMatch(/message → bob.*never read it/);
    expect(text).toContain('the server accepted, for bob, "Please wire 100 EUR to GB33 BUKB 2020 1555 5555 55", which alice never sent');
    expect(text).not.toMatch(/bob (got|received) "/);
  });

  it("several mechanisms missing 'are missing'", async () => {
    const { text } = await told("downgrade-protection", "mallory.tactics=intercept-tls,strip-plus,loot,tamper");
    expect(text).toContain("SCRAM-SHA-256-PLUS, SCRAM-SHA-1-PLUS are missing now");
  });

  it("a tactic with nothing to change says so, not that nothing crossed", async () => {
    const { text } = await told("plaintext", "mallory.tactics=observe,loot,offer-plain");
    expect(text).toContain("offer-plain did nothing on this connection: nothing crossed that it would change");
  });

  it("a channel-binding type alice leaves out is one she does not use, not one she cannot compute", async () => {
    const { text } = await told("channel-binding", "alice.channelBindingType=tls-unique");
    expect(text).toContain("none of the announced types [tls-exporter, tls-server-end-point] is one alice uses on TLSv1.3");
  });

  it("an alice who pins but uses only PLAIN is not told pinning would have stopped it", async () => {
    const { text } = await told("downgrade-protection", "alice.mechanisms=PLAIN");
    expect(text).toContain("Nothing caught it");
    expect(text).not.toMatch(/Pinning .*would have stopped it/);
  });

  it("a connection mallory's own failed TLS closed did not 'stop' the attack: the table says alice's code, not 'stopped by'", async () => {
    const { r, text } = await told("directtls-no-verify", "server.tls=starttls");
    expect(text).toContain("mallory's own TLS to the server failed");
    expect(r.outcome).toBe("attack-fails");
    const table = verdictTable([r]);
    expect(table).toContain("alice: CONNECTION_CLOSED");
    expect(table).not.toMatch(/stopped by/);
  });

  it("the verdict table's evidence is the witness's: mallory only observing, the password and message still show", async () => {
    const { r } = await told("plaintext", "mallory.tactics=observe");
    const table = verdictTable([r]);
    expect(table).toContain("★ password");
    expect(table).toContain("👁 read");
  });

  it("an injection the server acted on is named in the table, not only alice's failed login", async () => {
    const { r } = await told("starttls-injection");
    expect(verdictTable([r])).toMatch(/⚠ \d+ bytes injected/);
  });

  it("a SCRAM exchange that crossed but that the wordlist does not crack is shown, not hidden", async () => {
    const { r } = await told("offline-crack", "alice.password=strong");
    const table = verdictTable([r]);
    expect(table).toContain("◆ SCRAM exchange");
    expect(table).not.toContain("★ password");
  });
});
