import { beforeAll, describe, expect, it } from "vitest";
import type { LabEvent } from "../lab/core/events.js";
import { spkiPin } from "../lab/core/tls.js";
import { BUNDLED_WORDLIST } from "../lab/crack/wordlist.js";
import { ALICE_PASSWORDS } from "../lab/passwords.js";
import { createRunContext, type RunContext, runScenario } from "../lab/runner.js";
import { findScenario, MESSAGE } from "../scenarios/index.js";

/** Key evidence for the second wave's scenarios (issue 9), each from the trace of a real run. */
let ctx: RunContext;
beforeAll(async () => {
  ctx = await createRunContext();
});

const run = (id: string) => runScenario(findScenario(id)!, ctx);
const of = <K extends LabEvent["kind"]>(events: LabEvent[], node: string, kind: K) => events.filter((e) => e.node === node && e.kind === kind) as Extract<LabEvent, { kind: K }>[];
const bobGot = (events: LabEvent[]) => of(events, "bob", "message").filter((e) => e.what === "received").map((e) => e.body);

describe("the ten lessons from the real world", () => {
  it("offline-crack: SCRAM crossed in the clear, no PLAIN; mallory's dictionary recovers alice's weak password, with guesses and iterations", async () => {
    const r = await run("offline-crack");
    expect(of(r.events, "alice", "auth")[0]).toMatchObject({ mechanism: "SCRAM-SHA-256", ok: true });
    const guess = of(r.events, "mallory", "move").map((e) => e.move).find((m) => m.type === "offline-guess");
    expect(guess).toMatchObject({ password: ALICE_PASSWORDS.weak, guesses: BUNDLED_WORDLIST.indexOf(ALICE_PASSWORDS.weak) + 1, iterations: 4096, words: BUNDLED_WORDLIST.length });
    expect(r.loot.credentials).toEqual([{ mechanism: "SCRAM-SHA-256", username: "alice", password: ALICE_PASSWORDS.weak }]);
    expect(r.reason).toContain("the bundled wordlist recovers the password (guess 108)");
  });

  it("starttls-injection: the buggy server reads mallory's stream and login inside alice's TLS and answers them there", async () => {
    const r = await run("starttls-injection");
    const piped = of(r.events, "mallory", "relay").flatMap((e) => e.edits).find((e) => e.op === "appended");
    expect(piped).toMatchObject({ tactic: "inject-after-starttls" });
    expect(r.injection).toEqual({ bytes: piped!.op === "appended" ? piped!.bytes : -1, processed: ["stream header", "auth PLAIN"] });
    // The login the server judged was mallory's, not alice's: alice never sent PLAIN.
    expect(of(r.events, "server", "auth")).toContainEqual(expect.objectContaining({ mechanism: "PLAIN", username: "alice", ok: false, reason: "wrong-password" }));
    expect(of(r.events, "alice", "stanza").some((e) => e.dir === "out" && e.label === "auth PLAIN")).toBe(false);
    expect(r.client.error?.code).toBe("AUTH_FAILED");
    expect(r.loot.credentials).toEqual([]);
    expect(of(r.events, "mallory", "sealed").length).toBeGreaterThan(0);
  });

  it("starttls-injection-refused: <policy-violation/>, nothing processed, alice never gets to TLS", async () => {
    const r = await run("starttls-injection-refused");
    expect(r.injection).toBeNull();
    expect(of(r.events, "server", "error")).toContainEqual(expect.objectContaining({ code: "STARTTLS_INJECTION" }));
    expect(of(r.events, "server", "auth").filter((e) => e.username === "alice")).toEqual([]);
    expect(r.client.error?.message).toContain("policy-violation");
    expect(of(r.events, "alice", "tls")).toEqual([]);
  });

  it("wrong-name: a lab-CA certificate for mallory.example passes alice's chain-only check, and the IBAN is rewritten", async () => {
    const r = await run("wrong-name");
    expect(r.client.tls).toMatchObject({ authorized: true, peerCert: { subject: "mallory.example", issuer: "xmpp-mitm-lab CA" } });
    expect(of(r.events, "alice", "decision").map((e) => e.decision)).toContainEqual({ type: "name-not-checked", certName: "DNS:mallory.example", domain: "lab.example" });
    expect(r.loot.messagesTampered).toHaveLength(1);
  });

  it("directtls-fallback-required: direct TLS blocked, the fallback requires TLS, mallory's strip ends it", async () => {
    const r = await run("directtls-fallback-required");
    expect(of(r.events, "alice", "decision").map((e) => e.decision)).toContainEqual(expect.objectContaining({ type: "fallback", tls: "required" }));
    expect(r.defence?.code).toBe("STARTTLS_UNAVAILABLE");
    expect(bobGot(r.events)).toEqual([]);
  });

  it("jabber-ru-2023: on the STARTTLS port, a certificate for lab.example the public CA really issued verifies, chain and name", async () => {
    const r = await run("jabber-ru-2023");
    expect(r.client.tls).toMatchObject({ authorized: true, peerCert: { subject: "lab.example", issuer: "Lab Public CA (issues to whoever controls a name)", pin: spkiPin(ctx.pki.publicIssued.cert) } });
    expect(of(r.events, "alice", "tls")[0]).toMatchObject({ how: "starttls" });
    expect(r.loot.messagesTampered).toHaveLength(1);
  });

  it("jabber-ru-channel-binding: tls-server-end-point of mallory's certificate is not the server's: the relayed login fails", async () => {
    const r = await run("jabber-ru-channel-binding");
    expect(of(r.events, "alice", "decision").map((e) => e.decision)).toContainEqual(expect.objectContaining({ type: "channel-binding", binding: "tls-server-end-point" }));
    expect(of(r.events, "server", "auth").filter((e) => e.username === "alice")).toEqual([expect.objectContaining({ mechanism: "SCRAM-SHA-256-PLUS", ok: false, reason: "channel-binding-mismatch" })]);
    expect(r.loot.credentials).toEqual([]);
    expect(r.loot.scramExchanges).toBe(1);
    expect(r.reason).toContain("the bundled wordlist does not recover the password");
  });

  it("channel-binding-endpoint: the stolen certificate makes tls-server-end-point match on both legs; the relay passes", async () => {
    const r = await run("channel-binding-endpoint");
    expect(of(r.events, "server", "auth").filter((e) => e.username === "alice")).toEqual([expect.objectContaining({ mechanism: "SCRAM-SHA-256-PLUS", ok: true })]);
    expect(bobGot(r.events)).toEqual([MESSAGE.replace("DE89 3704 0044 0532 0130 00", "GB33 BUKB 2020 1555 5555 55")]);
  });

  it("downgrade-inside-tls: every SCRAM stripped inside mallory's TLS; alice sends PLAIN and mallory reads it", async () => {
    const r = await run("downgrade-inside-tls");
    const stripped = of(r.events, "mallory", "relay").find((e) => e.context === "inside-tls" && e.edits.some((x) => x.op === "removed-mechanisms"));
    expect(stripped).toBeDefined();
    expect(r.loot.credentials).toEqual([{ mechanism: "PLAIN", username: "alice", password: ctx.passwords.alice }]);
  });

  it("downgrade-protection: the same edit; alice remembers SCRAM was offered and refuses before sending anything", async () => {
    const r = await run("downgrade-protection");
    expect(r.defence?.code).toBe("MECHANISM_DOWNGRADE");
    expect(of(r.events, "alice", "stanza").filter((e) => e.dir === "out").map((e) => e.label)).not.toContain("auth PLAIN");
    expect(r.loot).toMatchObject({ credentials: [], scramExchanges: 0 });
  });
});
