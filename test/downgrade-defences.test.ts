import { decisionText } from "../lab/sentences.js";
import { describe, expect, it } from "vitest";
import { createAttacker, type TacticName } from "../attacker/index.js";
import type { LabEvent } from "../lab/core/events.js";
import { ssdpHash } from "../lab/core/sasl/ssdp.js";
import { type ClientOptions, createClient } from "../victim-client/index.js";
import { missingPinned } from "../victim-client/mechanisms.js";
import { createServer, type ServerOptions } from "../victim-server/index.js";
import { labFixtures, PASSWORDS, recorder } from "./helpers.js";
import { placeNarration } from "../lab/facts.js";
import { createRunContext, runScenario } from "../lab/runner.js";
import { applySettings } from "../lab/settings.js";
import { SCENARIOS } from "../scenarios/index.js";

describe("XEP-0474 v0.5.0 §4.1 hash", () => {
  it("gives the XEP's example value, whatever order the lists come in (i;octet sort)", () => {
    expect(ssdpHash(["SCRAM-SHA-1-PLUS", "SCRAM-SHA-1"], ["tls-server-end-point", "tls-exporter"], "sha1")).toBe("G6k/rBLDqgOhRRaCuuatSDFkJ08=");
  });
  it("tells a list without XEP-0440 from one with an empty type list, and SHA-256 from SHA-1", () => {
    const none = ssdpHash(["SCRAM-SHA-1"], null, "sha1");
    expect(none).not.toBe(ssdpHash(["SCRAM-SHA-1"], [], "sha1"));
    expect(ssdpHash(["SCRAM-SHA-1"], null, "sha256")).toHaveLength(44);
  });
});

describe("mechanism pinning", () => {
  const remembered = ["SCRAM-SHA-256-PLUS", "SCRAM-SHA-1-PLUS", "SCRAM-SHA-256", "SCRAM-SHA-1", "PLAIN"];
  it("misses what alice would have used: SCRAM when only PLAIN is left; -PLUS only if she binds", () => {
    expect(missingPinned(remembered, ["PLAIN"], { channelBinding: false })).toEqual(["SCRAM-SHA-256", "SCRAM-SHA-1"]);
    expect(missingPinned(remembered, ["SCRAM-SHA-256", "SCRAM-SHA-1", "PLAIN"], { channelBinding: true })).toEqual(["SCRAM-SHA-256-PLUS", "SCRAM-SHA-1-PLUS"]);
    expect(missingPinned(remembered, ["SCRAM-SHA-256", "SCRAM-SHA-1", "PLAIN"], { channelBinding: false })).toEqual([]);
    expect(missingPinned(remembered, remembered, { channelBinding: true })).toEqual([]);
  });
});

/**
 * alice → mallory → server on real sockets; mallory edits the mechanism list in the clear (the
 * server offers SCRAM before TLS here), which is XEP-0474's attack model 2.
 */
async function login(server: Partial<ServerOptions>, alice: Partial<ClientOptions>, tactics: TacticName[], strip?: (m: string) => boolean) {
  const { pki, accounts } = await labFixtures();
  const rec = recorder();
  const srv = createServer({ tls: "none", identity: pki.server, accounts, emit: rec.emit, ...server });
  const { port } = await srv.start();
  const mallory = createAttacker({ upstream: { host: "127.0.0.1", port }, tactics, stripMechanism: strip, emit: rec.emit });
  const { port: mport } = await mallory.start();
  try {
    const session = await createClient({
      jid: "alice@lab.example", password: PASSWORDS.alice, connect: { host: "127.0.0.1", port: mport }, tls: "off", verify: { mode: "none" }, timeoutMs: 3000, emit: rec.emit, ...alice,
    }).start();
    await session.close();
    return { error: null, events: rec.events };
  } catch (e) {
    return { error: e as { code: string; explain: string }, events: rec.events };
  } finally {
    await mallory.stop();
    await srv.stop();
  }
}

const serverAuth = (events: LabEvent[]) => events.filter((e) => e.node === "server" && e.kind === "auth");
const notes = (events: LabEvent[]) => events.flatMap((e) => (e.node === "alice" && e.kind === "decision" ? [decisionText(e.decision, e.node)] : []));
const SCRAM_ONLY = { mechanisms: ["SCRAM-SHA-256", "SCRAM-SHA-1"], downgradeProtection: true };
const dropSha256 = (m: string) => m === "SCRAM-SHA-256";

describe("downgrade defences on real sockets", () => {
  it("XEP-0474: nothing changed, the hash matches and the login goes through", async () => {
    const r = await login(SCRAM_ONLY, { downgradeProtection: true }, ["observe"]);
    expect(r.error).toBeNull();
    expect(notes(r.events)).toContain("the server's XEP-0474 hash matches the mechanisms alice saw: nobody changed the list");
  });

  it("XEP-0474: mallory removes SCRAM-SHA-256, the hash does not match, alice aborts before any proof", async () => {
    const r = await login(SCRAM_ONLY, { downgradeProtection: true }, ["strip-mechanisms"], dropSha256);
    expect(r.error).toMatchObject({ code: "DOWNGRADE_DETECTED" });
    // She used what was left (SCRAM-SHA-1) up to server-first, then aborted: no client-final.
    const out = r.events.filter((e) => e.node === "alice" && e.kind === "stanza" && e.dir === "out").map((e) => (e as { label: string }).label);
    expect(out.some((l) => /response/i.test(l))).toBe(false);
    expect(out).toContain("SASL abort");
    expect(serverAuth(r.events).filter((e) => (e as { ok: boolean }).ok)).toEqual([]);
  });

  it("without XEP-0474 on alice's side the same edit goes unnoticed (the control)", async () => {
    const r = await login(SCRAM_ONLY, {}, ["strip-mechanisms"], dropSha256);
    expect(r.error).toBeNull();
    expect(serverAuth(r.events)).toEqual([expect.objectContaining({ mechanism: "SCRAM-SHA-1", ok: true })]);
  });

  it("a server without XEP-0474 sends no h=: alice says she cannot check, and logs in", async () => {
    const r = await login({ mechanisms: ["SCRAM-SHA-256"] }, { downgradeProtection: true }, ["observe"]);
    expect(r.error).toBeNull();
    expect(notes(r.events).join("\n")).toMatch(/carries no XEP-0474 hash/);
  });

  it("pinning: what lab.example offered before is missing, alice refuses before authenticating", async () => {
    const r = await login(SCRAM_ONLY, { rememberedMechanisms: ["SCRAM-SHA-256", "SCRAM-SHA-1"] }, ["strip-mechanisms"], dropSha256);
    expect(r.error).toMatchObject({ code: "MECHANISM_DOWNGRADE" });
    expect(r.error?.explain).toContain("SCRAM-SHA-256 is missing now");
    expect(serverAuth(r.events)).toEqual([]);
  });
});

describe("falling back from blocked direct TLS", () => {
  async function fallback(fallbackTls: "opportunistic" | "required") {
    const { pki, accounts } = await labFixtures();
    const rec = recorder();
    const srv = createServer({ tls: "starttls", identity: pki.server, accounts, emit: rec.emit });
    const { port } = await srv.start();
    const blocker = createAttacker({ upstream: { host: "127.0.0.1", port }, tactics: ["block"], emit: rec.emit });
    const mallory = createAttacker({ upstream: { host: "127.0.0.1", port }, tactics: ["strip-starttls", "loot"], emit: rec.emit });
    const [{ port: blocked }, { port: mport }] = [await blocker.start(), await mallory.start()];
    try {
      const s = await createClient({
        jid: "alice@lab.example", password: PASSWORDS.alice, connect: { host: "127.0.0.1", port: blocked }, fallback: { host: "127.0.0.1", port: mport },
        fallbackTls, tls: "direct", verify: { mode: "ca", ca: [pki.ca.cert] }, timeoutMs: 3000, emit: rec.emit,
      }).start();
      await s.close();
      return { error: null, events: rec.events };
    } catch (e) {
      return { error: e as { code: string }, events: rec.events };
    } finally {
      await Promise.all([blocker.stop(), mallory.stop()]);
      await srv.stop();
    }
  }

  it("to STARTTLS-if-offered: stripped, alice logs in in the clear", async () => {
    const r = await fallback("opportunistic");
    expect(r.error).toBeNull();
    expect(notes(r.events).join("\n")).toMatch(/falls back to STARTTLS-if-offered/);
  });

  it("to required STARTTLS (as Gajim does): stripped, alice stops before authenticating", async () => {
    const r = await fallback("required");
    expect(r.error).toMatchObject({ code: "STARTTLS_UNAVAILABLE" });
    expect(notes(r.events).join("\n")).toMatch(/falls back to STARTTLS .* but requires it/);
    expect(r.events.filter((e) => e.node === "mallory" && e.kind === "loot")).toEqual([]);
  });
});

describe("downgrade-protection says what caught the downgrade, from the run's own events", () => {
  const catchers = ["What caught it: mechanism pinning", "What caught it: RFC 5802's 'y' flag", "What caught it: XEP-0474", "Nothing caught it: the XEP-0474 hash", "Nothing caught it: alice does not bind"];
  const plus = "mallory.tactics=intercept-tls,strip-plus,loot,tamper";
  const cases: Array<[string[], string]> = [
    [[], catchers[0]],
    [[plus], catchers[0]],
    [[plus, "alice.rememberedMechanisms="], catchers[1]],
    [[plus, "alice.rememberedMechanisms=", "alice.channelBinding=false"], catchers[2]],
    [["alice.rememberedMechanisms="], catchers[3]],
    [[plus, "alice.rememberedMechanisms=", "alice.channelBinding=false", "alice.downgradeProtection=false"], catchers[4]],
  ];
  it.each(cases)("--set %j: exactly the line for what acted", async (sets, expected) => {
    const s = applySettings(SCENARIOS.find((x) => x.id === "downgrade-protection")!, sets);
    const r = await runScenario(s, await createRunContext());
    const said = placeNarration({ scenario: s, events: r.events, witness: r.witness }).map((l) => l.say);
    expect(catchers.filter((c) => said.some((l) => l.startsWith(c)))).toEqual([expected]);
  });
});
