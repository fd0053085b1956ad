import { describe, expect, it } from "vitest";
import type { LabEvent } from "../lab/core/events.js";
import { spkiPin } from "../lab/core/tls.js";
import { type ClientOptions, createClient } from "../victim-client/index.js";
import { createServer, type ServerOptions } from "../victim-server/index.js";
import { labFixtures, PASSWORDS, recorder } from "./helpers.js";

async function chat(server: Omit<ServerOptions, "accounts" | "identity">, client: Partial<ClientOptions>) {
  const { pki, accounts } = await labFixtures();
  const rec = recorder();
  const srv = createServer({ identity: pki.server, accounts, emit: rec.emit, ...server });
  const { port } = await srv.start();
  const base = { connect: { host: "127.0.0.1", port }, tls: "required" as const, verify: { mode: "ca" as const, ca: [pki.ca.cert] } };
  try {
    const bob = await createClient({ ...base, ...client, jid: "bob@lab.example", password: PASSWORDS.bob, emit: rec.emit }).start();
    const alice = await createClient({ ...base, ...client, jid: "alice@lab.example", password: PASSWORDS.alice, emit: rec.emit }).start();
    alice.send("bob@lab.example", "Please wire 100 EUR");
    const got = await bob.waitForMessages(1);
    await alice.close();
    await bob.close();
    return { got, events: rec.events };
  } finally {
    await srv.stop();
  }
}

const authOf = (events: LabEvent[]) => events.find((e) => e.node === "alice" && e.kind === "auth");
const tlsOf = (events: LabEvent[]) => events.find((e) => e.node === "alice" && e.kind === "tls");

describe("victim client ↔ victim server on real sockets", () => {
  it("plaintext, PLAIN allowed in the clear: delivers the message", async () => {
    const { got, events } = await chat({ tls: "none", allowPlainCleartext: true, mechanisms: ["PLAIN"] }, { tls: "off", allowPlainWithoutTls: true, verify: { mode: "none" } });
    expect(got).toEqual([{ from: "alice@lab.example/lab", body: "Please wire 100 EUR" }]);
    expect(authOf(events)).toMatchObject({ mechanism: "PLAIN", ok: true });
  });

  it("STARTTLS required, CA-verified, SCRAM-SHA-256-PLUS with tls-exporter", async () => {
    const { got, events } = await chat({ tls: "starttls-required" }, { channelBinding: true });
    expect(got[0].body).toBe("Please wire 100 EUR");
    expect(tlsOf(events)).toMatchObject({ how: "starttls", protocol: "TLSv1.3", authorized: true });
    expect(authOf(events)).toMatchObject({ mechanism: "SCRAM-SHA-256-PLUS", ok: true });
  });

  it("direct TLS with an SPKI pin and no CA", async () => {
    const { pki } = await labFixtures();
    const { got, events } = await chat({ tls: "direct" }, { tls: "direct", verify: { mode: "pin", pins: [spkiPin(pki.server.cert)] } });
    expect(got).toHaveLength(1);
    expect(tlsOf(events)).toMatchObject({ how: "direct", peerCert: { pin: spkiPin(pki.server.cert), issuer: "xmpp-mitm-lab CA" } });
  });

  it("SCRAM-SHA-1 and tls-server-end-point when those are all that is offered", async () => {
    const { events } = await chat(
      { tls: "direct", mechanisms: ["SCRAM-SHA-1-PLUS", "SCRAM-SHA-1"], channelBindingTypes: ["tls-server-end-point"] },
      { tls: "direct", channelBinding: true },
    );
    expect(authOf(events)).toMatchObject({ mechanism: "SCRAM-SHA-1-PLUS", ok: true });
  });
});

describe("alice's refusals, each with a reason", () => {
  async function refusal(server: Omit<ServerOptions, "accounts" | "identity">, client: Partial<ClientOptions>) {
    const { pki, accounts } = await labFixtures();
    const srv = createServer({ identity: pki.server, accounts, ...server });
    const { port } = await srv.start();
    try {
      await createClient({
        connect: { host: "127.0.0.1", port }, tls: "required", verify: { mode: "ca", ca: [pki.ca.cert] },
        jid: "alice@lab.example", password: PASSWORDS.alice, timeoutMs: 3000, ...client,
      }).start();
      return null;
    } catch (e) {
      return e as { code: string; explain: string };
    } finally {
      await srv.stop();
    }
  }

  it("refuses PLAIN on a cleartext stream (RFC 6120 §13.8.3)", async () => {
    const err = await refusal({ tls: "none", allowPlainCleartext: true, mechanisms: ["PLAIN"] }, { tls: "off", verify: { mode: "none" } });
    expect(err).toMatchObject({ code: "NO_SAFE_MECHANISM" });
  });

  it("refuses a server that cannot do TLS when TLS is required", async () => {
    const err = await refusal({ tls: "none", allowPlainCleartext: true }, {});
    expect(err).toMatchObject({ code: "STARTTLS_UNAVAILABLE" });
  });

  it("refuses a certificate from a CA it does not trust", async () => {
    const { pki } = await labFixtures();
    const err = await refusal({ tls: "direct" }, { tls: "direct", verify: { mode: "ca", ca: [pki.rogueCa.cert] } });
    expect(err).toMatchObject({ code: "CERT_UNTRUSTED" });
  });

  it("refuses a key that is not the pinned one, naming both pins", async () => {
    const { pki } = await labFixtures();
    const err = await refusal({ tls: "direct" }, { tls: "direct", verify: { mode: "pin", pins: [spkiPin(pki.rogue.cert)] } });
    expect(err).toMatchObject({ code: "PIN_MISMATCH" });
    expect((err as unknown as Error).message).toContain(spkiPin(pki.server.cert));
    expect((err as unknown as Error).message).toContain(spkiPin(pki.rogue.cert));
  });

  it("reports a wrong password as AUTH_FAILED", async () => {
    const err = await refusal({ tls: "direct" }, { tls: "direct", password: "wrong" });
    expect(err).toMatchObject({ code: "AUTH_FAILED" });
  });
});

describe("alice against a server that sends malformed XML", () => {
  it("answers <not-well-formed/>, and her error says why", async () => {
    const net = await import("node:net");
    const srv = net.createServer((s) => {
      s.on("error", () => {});
      s.once("data", () => s.write("<?xml version='1.0'?><stream:stream from='lab.example' id='x' version='1.0' xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams'><stream:features><x a=1/>"));
    });
    await new Promise<void>((r) => srv.listen(0, "127.0.0.1", () => r()));
    const port = (srv.address() as { port: number }).port;
    const err = await createClient({ jid: "alice@lab.example", password: "x", connect: { host: "127.0.0.1", port }, tls: "off", verify: { mode: "none" }, timeoutMs: 3000 })
      .start()
      .catch((e) => e);
    srv.close();
    expect(err).toMatchObject({ code: "STREAM_NOT_WELL_FORMED" });
  });
});

describe("channel binding across TLS versions (XEP-0440, RFC 9266, RFC 5929)", () => {
  const bindingOf = (events: LabEvent[]) => {
    const e = events.find((x) => x.node === "alice" && x.kind === "decision" && x.decision.type === "channel-binding");
    return e && e.kind === "decision" ? e.decision : undefined;
  };

  it("TLS 1.2: the server announces tls-unique and alice binds with it", async () => {
    const { events } = await chat({ tls: "starttls-required", tlsMaxVersion: "TLSv1.2" }, { channelBinding: true });
    expect(tlsOf(events)).toMatchObject({ protocol: "TLSv1.2" });
    expect(bindingOf(events)).toMatchObject({ binding: "tls-unique", basis: "announced", protocol: "TLSv1.2" });
    expect(authOf(events)).toMatchObject({ mechanism: "SCRAM-SHA-256-PLUS", ok: true });
  });

  it("TLS 1.2, no XEP-0440 list (as ejabberd 23.01): tls-unique by default, and it is accepted", async () => {
    const { events } = await chat({ tls: "starttls-required", tlsMaxVersion: "TLSv1.2", announceChannelBindings: false }, { channelBinding: true });
    expect(bindingOf(events)).toMatchObject({ binding: "tls-unique", basis: "default", announced: [] });
    expect(authOf(events)).toMatchObject({ mechanism: "SCRAM-SHA-256-PLUS", ok: true });
  });

  it("a server that refuses the default type says so at the first message: a refused type, not an attacker", async () => {
    const { pki, accounts } = await labFixtures();
    const rec = recorder();
    // TLS 1.3, no list, and no tls-exporter: alice's default is refused before she sends any proof.
    const srv = createServer({ tls: "starttls-required", identity: pki.server, accounts, emit: rec.emit, channelBindingTypes: ["tls-server-end-point"], announceChannelBindings: false });
    const { port } = await srv.start();
    try {
      const err = await createClient({
        jid: "alice@lab.example", password: PASSWORDS.alice, connect: { host: "127.0.0.1", port }, tls: "required",
        verify: { mode: "ca", ca: [pki.ca.cert] }, channelBinding: true, emit: rec.emit,
      }).start().catch((e) => e);
      expect(err).toMatchObject({ code: "CHANNEL_BINDING_REFUSED", message: expect.stringMatching(/tls-exporter.*unsupported-channel-binding-type/) });
      expect(err.explain).toMatch(/not a sign of anyone in the middle/);
      expect(err.explain).not.toMatch(/man in the middle|attacker/);
      expect(rec.events.filter((e) => e.node === "alice" && e.kind === "stanza" && e.dir === "out" && e.label.startsWith("auth"))).toHaveLength(1);
      expect(rec.events.some((e) => e.node === "alice" && e.kind === "stanza" && e.label.startsWith("response"))).toBe(false);
    } finally {
      await srv.stop();
    }
  });
});
