import fs from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { spkiPin } from "../lab/core/tls.js";
import { createRunContext, type RunContext, type RunResult, runScenario } from "../lab/runner.js";
import { ACT_NUMBERS, findScenario, MESSAGE, SCENARIOS } from "../scenarios/index.js";
import { byteTap } from "./tap.js";

let ctx: RunContext;
beforeAll(async () => {
  ctx = await createRunContext();
});

const run = (id: string, extra: Partial<RunContext> = {}) => runScenario(findScenario(id)!, { ...ctx, ...extra });
const bobGot = (r: RunResult) => r.events.filter((e) => e.node === "bob" && e.kind === "message" && e.what === "received").map((e) => (e as { body: string }).body);
const IBAN_MALLORY = "GB33 BUKB 2020 1555 5555 55";

describe("the catalogue", () => {
  it("has the ids of DESIGN §2, in order, one file each", () => {
    expect(SCENARIOS.map((s) => s.id)).toEqual([
      "plaintext", "starttls-passive", "starttls-strip", "starttls-strip-server-requires", "sasl-downgrade",
      "starttls-required-client", "starttls-no-verify", "starttls-verified", "directtls-no-verify", "directtls-verified",
      "directtls-rogue-ca", "directtls-pinned", "directtls-tamper", "directtls-fallback", "stolen-key", "channel-binding",
      "offline-crack", "starttls-injection", "starttls-injection-refused", "wrong-name", "directtls-fallback-required",
      "jabber-ru-2023", "jabber-ru-channel-binding", "channel-binding-endpoint", "downgrade-inside-tls", "downgrade-protection",
    ]);
    const files = fs.readdirSync(path.join(__dirname, "../scenarios")).filter((f) => !["index.ts", "types.ts", "acts.ts", "facts.ts"].includes(f));
    expect(files.map((f) => f.replace(/\.ts$/, "")).sort()).toEqual(SCENARIOS.map((s) => s.id).sort());
  });
});

describe("numbers and acts are data", () => {
  it("a scenario's number is its place in the catalogue, and each act's scenarios stand together, in act order", () => {
    expect(SCENARIOS.map((s) => s.n)).toEqual(SCENARIOS.map((_, i) => i + 1));
    const acts = SCENARIOS.map((s) => s.act);
    expect(acts).toEqual([...acts].sort((a, b) => a - b));
    expect([...new Set(acts)]).toEqual([...ACT_NUMBERS]);
    for (const f of fs.readdirSync(path.join(__dirname, "../scenarios"))) {
      expect(fs.readFileSync(path.join(__dirname, "../scenarios", f), "utf8"), f).not.toMatch(/^\s+n: \d+,/m);
    }
  });
});

describe("every scenario's verdict, judged from the trace, is as expected", () => {
  it.each(SCENARIOS.map((s) => [s.id, s.expected]))("%s → %s", async (id) => {
    const r = await run(id);
    expect(r.outcome, r.reason).toBe(findScenario(id)!.expected);
    expect(r.asExpected).toBe(true);
  });
});

describe("key evidence", () => {
  it("plaintext: PLAIN decoded to alice's real password, the message read, bob got it unchanged", async () => {
    const r = await run("plaintext");
    expect(r.loot.credentials).toEqual([{ mechanism: "PLAIN", username: "alice", password: ctx.passwords.alice }]);
    expect(r.loot.messagesRead).toEqual([MESSAGE]);
    expect(bobGot(r)).toEqual([MESSAGE]);
  });

  it.each([
    ["starttls-no-verify", "starttls"],
    ["directtls-no-verify", "direct"],
  ])("%s: alice took mallory's self-signed certificate and bob got the rewritten IBAN", async (id, how) => {
    const r = await run(id);
    const tls = r.events.find((e) => e.node === "alice" && e.kind === "tls");
    expect(tls).toMatchObject({ how, peerCert: { selfSigned: true, pin: spkiPin(ctx.pki.selfSigned.cert) } });
    expect(bobGot(r)).toEqual([MESSAGE.replace("DE89 3704 0044 0532 0130 00", IBAN_MALLORY)]);
  });

  it.each(["starttls-verified", "directtls-verified"])("%s: alice refuses the self-signed certificate, nothing is sent", async (id) => {
    const r = await run(id);
    expect(r.defence?.code).toBe("CERT_UNTRUSTED");
    expect(r.loot).toEqual({ credentials: [], messagesRead: [], messagesTampered: [], scramExchanges: 0 });
    expect(bobGot(r)).toEqual([]);
  });

  it("directtls-rogue-ca: the rogue certificate verifies (chain and name) and the attack succeeds", async () => {
    const r = await run("directtls-rogue-ca");
    expect(r.client.tls).toMatchObject({ authorized: true, peerCert: { issuer: "Rogue CA", pin: spkiPin(ctx.pki.rogue.cert) } });
    expect(r.loot.messagesTampered).toHaveLength(1);
  });

  it("starttls-strip: mallory decoded alice's real password, read the message, and bob got the rewritten IBAN", async () => {
    const r = await run("starttls-strip");
    expect(r.loot.credentials).toEqual([{ mechanism: "PLAIN", username: "alice", password: ctx.passwords.alice }]);
    expect(r.loot.messagesTampered).toEqual([{ sent: MESSAGE, delivered: MESSAGE.replace("DE89 3704 0044 0532 0130 00", IBAN_MALLORY) }]);
    expect(bobGot(r)).toEqual([MESSAGE.replace("DE89 3704 0044 0532 0130 00", IBAN_MALLORY)]);
    const edit = r.events.find((e) => e.node === "mallory" && e.kind === "relay" && e.edits.some((x) => x.op === "removed-starttls"));
    expect(edit).toBeDefined();
  });

  it("directtls-pinned: alice refuses naming both pins, the loot is empty, and no byte on her leg holds the password", async () => {
    const tap = byteTap();
    const r = await run("directtls-pinned", { interpose: tap.interpose });
    tap.close();
    expect(r.defence?.code).toBe("PIN_MISMATCH");
    expect(r.defence?.message).toContain(spkiPin(ctx.pki.server.cert));
    expect(r.defence?.message).toContain(spkiPin(ctx.pki.rogue.cert));
    expect(r.loot).toEqual({ credentials: [], messagesRead: [], messagesTampered: [], scramExchanges: 0 });
    expect(bobGot(r)).toEqual([]);
    const leg = tap.all();
    expect(leg.length).toBeGreaterThan(0); // the tap did see the handshake
    for (const secret of [ctx.passwords.alice, Buffer.from(ctx.passwords.alice).toString("base64"), "DE89"]) {
      expect(leg.includes(secret)).toBe(false);
    }
  });

  it("starttls-passive: after <proceed/> mallory sees only sealed records", async () => {
    const r = await run("starttls-passive");
    expect(r.events.some((e) => e.node === "mallory" && e.kind === "sealed")).toBe(true);
    expect(bobGot(r)).toEqual([MESSAGE]);
  });

  it("starttls-strip-server-requires: mallory did STARTTLS upstream and the server saw TLS", async () => {
    const r = await run("starttls-strip-server-requires");
    expect(r.events.some((e) => e.node === "server" && e.kind === "tls" && e.how === "starttls")).toBe(true);
    expect(r.events.find((e) => e.node === "alice" && e.kind === "tls")).toBeUndefined();
    expect(r.loot.credentials[0]?.password).toBe(ctx.passwords.alice);
  });

  it("sasl-downgrade: alice prefers SCRAM but sends PLAIN because SCRAM was removed", async () => {
    const r = await run("sasl-downgrade");
    const seen = r.events.find((e) => e.node === "alice" && e.kind === "stanza" && e.label.startsWith("features"));
    expect(seen && "label" in seen && seen.label).toBe("features [PLAIN]");
    expect(r.loot.credentials[0]).toMatchObject({ mechanism: "PLAIN", password: ctx.passwords.alice });
  });

  it("starttls-required-client: alice stops before any SASL and mallory has nothing", async () => {
    const r = await run("starttls-required-client");
    expect(r.defence?.code).toBe("STARTTLS_UNAVAILABLE");
    expect(r.events.some((e) => e.node === "alice" && e.kind === "stanza" && e.label.startsWith("auth"))).toBe(false);
  });

  it("directtls-tamper: a TLS integrity error, promptly, and nothing learned", async () => {
    const r = await run("directtls-tamper");
    // TLS_INTEGRITY, not TIMEOUT: alice learned of the alert, she did not wait for her timeout.
    expect(r.defence?.code).toBe("TLS_INTEGRITY");
    expect(r.loot.messagesRead).toEqual([]);
  });

  it("directtls-fallback: the direct port was blocked, then STARTTLS was stripped on the fallback", async () => {
    const r = await run("directtls-fallback");
    expect(r.events.some((e) => e.node === "mallory" && e.kind === "move" && e.move.type === "blocked")).toBe(true);
    expect(r.loot.credentials[0]?.password).toBe(ctx.passwords.alice);
  });

  it("stolen-key: the pin matches (it is the server's own key) and the attack succeeds", async () => {
    const r = await run("stolen-key");
    expect(r.client.tls?.peerCert?.pin).toBe(spkiPin(ctx.pki.server.cert));
    expect(r.loot.messagesTampered).toHaveLength(1);
    expect(r.loot.scramExchanges).toBe(1);
  });

  it("channel-binding: the server rejects the relayed -PLUS proof and no password crosses", async () => {
    const r = await run("channel-binding");
    const auth = r.events.find((e) => e.node === "server" && e.kind === "auth" && e.conn !== undefined && e.username === "alice");
    expect(auth).toMatchObject({ mechanism: "SCRAM-SHA-256-PLUS", ok: false, reason: expect.stringMatching(/channel-binding/) });
    expect(r.defence?.code).toBe("AUTH_FAILED");
    expect(r.loot.credentials).toEqual([]);
    expect(bobGot(r)).toEqual([]);
  });
});
