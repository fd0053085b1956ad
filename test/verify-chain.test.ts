import { decisionText } from "../lab/sentences.js";
import { describe, expect, it } from "vitest";
import type { LabEvent } from "../lab/core/events.js";
import { createClient } from "../victim-client/index.js";
import { createServer } from "../victim-server/index.js";
import { labFixtures, PASSWORDS, recorder } from "./helpers.js";

/**
 * A server presenting a valid lab-CA certificate for mallory.example - what mallory holds in
 * wrong-name - and alice checking it as CVE-2014-5075's Smack did (chain only) or properly.
 */
async function connect(mode: "chain" | "ca", how: "direct" | "required") {
  const { pki, accounts } = await labFixtures();
  const rec = recorder();
  const srv = createServer({ tls: how === "direct" ? "direct" : "starttls", identity: pki.otherDomain, accounts, emit: rec.emit });
  const { port } = await srv.start();
  try {
    const s = await createClient({
      jid: "alice@lab.example", password: PASSWORDS.alice, connect: { host: "127.0.0.1", port }, tls: how, verify: { mode, ca: [pki.ca.cert] }, timeoutMs: 3000, emit: rec.emit,
    }).start();
    await s.close();
    return { error: null, events: rec.events };
  } catch (e) {
    return { error: e as { code: string; explain: string }, events: rec.events };
  } finally {
    await srv.stop();
  }
}

const aliceNotes = (events: LabEvent[]) => events.flatMap((e) => (e.node === "alice" && e.kind === "decision" ? [decisionText(e.decision, e.node)] : [])).join("\n");

describe("verify chain but not name (CVE-2014-5075)", () => {
  it.each(["direct", "required"] as const)("%s: a trusted CA's certificate for mallory.example passes a chain-only check, and alice says so", async (how) => {
    const r = await connect("chain", how);
    expect(r.error).toBeNull();
    const tls = r.events.find((e) => e.node === "alice" && e.kind === "tls");
    expect(tls).toMatchObject({ authorized: true, peerCert: { subject: "mallory.example", issuer: "xmpp-mitm-lab CA" } });
    expect(aliceNotes(r.events)).toContain("the certificate is for DNS:mallory.example, not lab.example; alice checks the chain only, not the name, and carries on (the bug of CVE-2014-5075)");
  });

  it.each(["direct", "required"] as const)("%s: with the name checked (RFC 6120 §13.7.2.1) alice refuses with CERT_NAME_MISMATCH", async (how) => {
    const r = await connect("ca", how);
    expect(r.error).toMatchObject({ code: "CERT_NAME_MISMATCH" });
    expect(r.events.some((e) => e.node === "alice" && e.kind === "auth")).toBe(false);
  });

  it("chain-only still refuses a certificate no trusted CA issued", async () => {
    const { pki, accounts } = await labFixtures();
    const srv = createServer({ tls: "direct", identity: pki.rogue, accounts });
    const { port } = await srv.start();
    const err = await createClient({ jid: "alice@lab.example", password: "x", connect: { host: "127.0.0.1", port }, tls: "direct", verify: { mode: "chain", ca: [pki.ca.cert] }, timeoutMs: 3000 })
      .start()
      .catch((e) => e);
    await srv.stop();
    expect(err).toMatchObject({ code: "CERT_UNTRUSTED" });
  });
});
