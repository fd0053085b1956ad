import net from "node:net";
import tls from "node:tls";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { encodePlain } from "../lab/core/sasl/plain.js";
import { createClient } from "../victim-client/index.js";
import { Accounts, createServer, type ServerOptions, type VictimServer } from "../victim-server/index.js";
import { HEADER, labFixtures, PASSWORDS, recorder } from "./helpers.js";

/** Issue 13, items 8, 9 and 11 (server): SASL retries and conditions, timeouts, a per-address cap, the offline queue. */

const SASL = "xmlns='urn:ietf:params:xml:ns:xmpp-sasl'";
const auth = (b64: string, mech = "PLAIN") => `<auth ${SASL} mechanism='${mech}'>${b64}</auth>`;
const streamError = (cond: string) => new RegExp(`<stream:error><${cond} xmlns="urn:ietf:params:xml:ns:xmpp-streams"/>`);

/** A raw client: write, read until a pattern or close (bounded), never relying on timing for the verdict. */
async function rawClient(port: number) {
  const s = net.connect(port, "127.0.0.1");
  s.on("error", () => {});
  let got = "";
  let closed = false;
  const waiters = new Set<() => void>();
  s.on("data", (d) => {
    got += d;
    for (const w of [...waiters]) w();
  });
  s.on("close", () => {
    closed = true;
    for (const w of [...waiters]) w();
  });
  await new Promise((r) => s.once("connect", r));
  return {
    socket: s,
    write: (d: string) => s.write(d),
    got: () => got,
    /** Until `re` matches what was read, or the socket closed, or `ms` passed. */
    until: (re: RegExp, ms = 5000) =>
      new Promise<string>((resolve) => {
        const check = () => {
          if (re.test(got) || closed) done();
        };
        const timer = setTimeout(() => done(), ms);
        const done = () => {
          clearTimeout(timer);
          waiters.delete(check);
          resolve(got);
        };
        waiters.add(check);
        check();
      }),
    closed: () => closed,
  };
}

async function labServer(extra: Partial<ServerOptions> = {}) {
  const { pki, accounts } = await labFixtures();
  const rec = recorder();
  const server = createServer({ tls: "none", allowPlainCleartext: true, mechanisms: ["SCRAM-SHA-256", "PLAIN"], identity: pki.server, accounts, emit: rec.emit, ...extra });
  const { port, directTlsPort } = await server.start();
  return { server, port, directTlsPort, rec };
}

describe("SASL (item 8, item 11)", () => {
  let srv: Awaited<ReturnType<typeof labServer>>;
  beforeAll(async () => (srv = await labServer()));
  afterAll(() => srv.server.stop());

  it("limits retries (RFC 6120 §6.4.5, §13.9.4): after 3 retries the next attempt gets <policy-violation/>", async () => {
    const c = await rawClient(srv.port);
    c.write(HEADER);
    await c.until(/<\/stream:features>/);
    let failures = 0;
    for (let i = 0; i < 10 && !c.closed(); i++) {
      c.write(auth(encodePlain("alice", `guess ${i}`)));
      await c.until(new RegExp(`(<failure[^]*){${failures + 1}}|</stream:stream>`));
      failures = (c.got().match(/<failure /g) ?? []).length;
    }
    expect(failures).toBe(4);
    expect(c.got()).toMatch(streamError("policy-violation"));
    await c.until(/$^/, 2000); // the server closes
    expect(c.closed()).toBe(true);
  });

  it("counts only guesses: a client trying mechanisms in turn (as slixmpp does) still logs in", async () => {
    const c = await rawClient(srv.port);
    c.write(HEADER);
    await c.until(/<\/stream:features>/);
    for (let i = 0; i < 5; i++) c.write(auth("=", `X-NOT-OFFERED-${i}`)); // five refusals before any credentials
    c.write(auth(encodePlain("alice", PASSWORDS.alice)));
    const got = await c.until(/<success |<stream:error>/);
    c.socket.destroy();
    expect((got.match(/<invalid-mechanism\/>/g) ?? []).length).toBe(5);
    expect(got).toMatch(/<success /);
  });

  it("answers a made-up account exactly as a wrong password, with the same work (no account probing)", async () => {
    const answers: string[] = [];
    for (const user of ["alice", "nobody-here"]) {
      const c = await rawClient(srv.port);
      c.write(HEADER);
      await c.until(/<\/stream:features>/);
      c.write(auth(encodePlain(user, "wrong")));
      answers.push((await c.until(/<\/failure>|<failure[^>]*\/>/)).replace(/^[^]*<\/stream:features>/, ""));
      c.socket.destroy();
    }
    expect(answers[0]).toMatch(/<not-authorized\/>/);
    expect(answers[1]).toBe(answers[0]);
    // The same key derivation runs for both: one PBKDF2 of the account's iteration count each.
    const counted = new CountingAccounts();
    counted.add("alice", "pw");
    counted.derived = 0;
    counted.verifyPlain("alice", "nope");
    counted.verifyPlain("nobody-here", "nope");
    expect(counted.derived).toBe(2);
  });

  it.each([
    ["a PLAIN response that is not base64", "incorrect-encoding", auth("not base64!")],
    ["base64 with whitespace inside", "incorrect-encoding", auth("AGFs aWNl")],
    ["a SCRAM first message that is not base64", "incorrect-encoding", auth("@@@", "SCRAM-SHA-256")],
    ["PLAIN for another account's authzid", "invalid-authzid", auth(encodePlain("alice", PASSWORDS.alice, "bob@lab.example"))],
    ["SCRAM for another account's authzid", "invalid-authzid", auth(Buffer.from("n,a=bob@lab.example,n=alice,r=abcdef").toString("base64"), "SCRAM-SHA-256")],
    ["an <auth/> without a mechanism", "invalid-mechanism", `<auth ${SASL}>=</auth>`],
    ["a <response/> with no exchange under way", "malformed-request", `<response ${SASL}>=</response>`],
  ])("%s gets <%s/> (RFC 6120 §6.5)", async (_n, cond, xml) => {
    const c = await rawClient(srv.port);
    c.write(HEADER);
    await c.until(/<\/stream:features>/);
    c.write(xml);
    const got = await c.until(/<\/failure>|<stream:error>/);
    c.socket.destroy();
    expect(got).toMatch(new RegExp(`<failure xmlns="urn:ietf:params:xml:ns:xmpp-sasl"><${cond}/>`));
  });
});

class CountingAccounts extends Accounts {
  derived = 0;
  protected override derive(password: string, salt: Buffer, iterations: number): Buffer {
    this.derived++;
    return super.derive(password, salt, iterations);
  }
}

describe("the stream header (item 11)", () => {
  let srv: Awaited<ReturnType<typeof labServer>>;
  beforeAll(async () => (srv = await labServer()));
  afterAll(() => srv.server.stop());

  it.each([
    ["no version (a pre-XMPP-1.0 client)", "unsupported-version", HEADER.replace("version='1.0' xmlns=", "xmlns=")],
    ["<foo:stream> for the stream namespace", "bad-namespace-prefix", HEADER.replace(/stream:stream/, "foo:stream").replace("xmlns:stream=", "xmlns:foo=")],
    ["a header with no stream namespace", "invalid-namespace", HEADER.replace(/ xmlns:stream='[^']*'/, "")],
    ["10,000-deep nesting", "policy-violation", HEADER + "<message>".repeat(10_000)],
  ])("%s gets a response header and <%s/> (RFC 6120 §4.9.1.1)", async (_n, cond, first) => {
    const c = await rawClient(srv.port);
    c.write(first);
    const got = await c.until(/<\/stream:stream>/);
    expect(got).toMatch(/^<\?xml version='1.0'\?><stream:stream [^>]*from="lab.example"/);
    expect(got).toMatch(streamError(cond));
  });

  it("a client announcing version 2.0 gets version 1.0 back and carries on (§4.7.5)", async () => {
    const c = await rawClient(srv.port);
    c.write(HEADER.replace("version='1.0' xmlns=", "version='2.0' xmlns="));
    const got = await c.until(/<\/stream:features>/);
    c.socket.destroy();
    expect(got).toMatch(/<stream:stream [^>]*version="1.0"/);
    expect(got).toContain("<mechanisms");
  });
});

describe("silent and slow peers, and a cap per address (item 9)", () => {
  it("a peer that never finishes negotiating gets <connection-timeout/>", async () => {
    const srv = await labServer({ limits: { negotiationTimeoutMs: 300 } });
    try {
      const c = await rawClient(srv.port);
      c.write(HEADER);
      expect(await c.until(/<\/stream:stream>/)).toMatch(streamError("connection-timeout"));
      const silent = await rawClient(srv.port); // not even a header: it still gets a stream to read the error in
      expect(await silent.until(/<\/stream:stream>/)).toMatch(/<stream:stream [^]*<connection-timeout/);
    } finally {
      await srv.server.stop();
    }
  });

  it("a peer that drips a stanza slower than the stanza deadline gets <policy-violation/>", async () => {
    const srv = await labServer({ limits: { stanzaTimeoutMs: 300, negotiationTimeoutMs: 60_000 } });
    try {
      const c = await rawClient(srv.port);
      c.write(HEADER);
      await c.until(/<\/stream:features>/);
      c.write("<auth ");
      let i = 0;
      const drip = setInterval(() => c.write(i++ % 2 ? " " : "\n"), 20);
      const got = await c.until(/<\/stream:stream>/);
      clearInterval(drip);
      expect(got).toMatch(streamError("policy-violation"));
      expect(got).toMatch(/took longer than/);
    } finally {
      await srv.server.stop();
    }
  });

  it("an authenticated peer idle past the idle timeout gets <policy-violation/> (§4.6.3)", async () => {
    const srv = await labServer({ limits: { idleTimeoutMs: 300 } });
    try {
      const rec = recorder();
      const bob = await createClient({ jid: "bob@lab.example", password: PASSWORDS.bob, connect: { host: "127.0.0.1", port: srv.port }, tls: "off", verify: { mode: "none" }, allowPlainWithoutTls: true, emit: rec.emit });
      await bob.start();
      const closed = await new Promise<boolean>((resolve) => {
        const t = setTimeout(() => resolve(false), 5000);
        const check = setInterval(() => {
          if (rec.events.some((e) => e.kind === "closed")) (clearTimeout(t), clearInterval(check), resolve(true));
        }, 20);
      });
      expect(closed).toBe(true);
      expect(srv.rec.events.some((e) => e.kind === "stanza" && e.dir === "out" && /policy-violation/.test(e.xml) && /idle/.test(e.xml))).toBe(true);
    } finally {
      await srv.server.stop();
    }
  });

  it("caps connections per address: the 4th of 3 allowed is refused at once, the others keep working", async () => {
    const { pki } = await labFixtures();
    const srv = await labServer({ limits: { maxConnectionsPerAddress: 3 }, directTls: { host: "127.0.0.1", port: 0 } });
    try {
      const held = await Promise.all([1, 2, 3].map(() => rawClient(srv.port)));
      for (const h of held) h.write(HEADER);
      await Promise.all(held.map((h) => h.until(/<\/stream:features>/)));
      const fourth = await rawClient(srv.port);
      expect(await fourth.until(/<\/stream:stream>/)).toMatch(streamError("policy-violation"));
      // The direct-TLS listener shares the count; beyond the cap it closes before any TLS.
      const tlsErr = await new Promise<string>((resolve) => {
        const s = tls.connect({ port: srv.directTlsPort!, host: "127.0.0.1", servername: "lab.example", ca: [pki.ca.cert] });
        s.on("secureConnect", () => resolve("handshake completed"));
        s.on("error", (e) => resolve(e.message));
      });
      expect(tlsErr).not.toBe("handshake completed");
      held[0].socket.destroy();
      await held[0].until(/$^/, 2000);
      // One place is free again: a real client logs in.
      let alice = null;
      for (let i = 0; i < 50 && !alice; i++) {
        alice = await createClient({ jid: "alice@lab.example", password: PASSWORDS.alice, connect: { host: "127.0.0.1", port: srv.port }, tls: "off", verify: { mode: "none" }, allowPlainWithoutTls: true })
          .start()
          .catch(() => null); // the server may not have seen the close yet
      }
      expect(alice?.jid).toBe("alice@lab.example/lab");
      await alice!.close();
      for (const h of held) h.socket.destroy();
    } finally {
      await srv.server.stop();
    }
  });
});

describe("the offline queue is bounded (item 9)", () => {
  it("messages to made-up accounts are refused with service-unavailable, not stored", async () => {
    const srv = await labServer();
    try {
      const alice = await createClient({ jid: "alice@lab.example", password: PASSWORDS.alice, connect: { host: "127.0.0.1", port: srv.port }, tls: "off", verify: { mode: "none" }, allowPlainWithoutTls: true }).start();
      for (let i = 0; i < 50; i++) alice.send(`nobody${i}@lab.example`, "x".repeat(1000));
      alice.send("bob@lab.example", "for bob, who is offline");
      await alice.close();
      expect(srv.rec.events.filter((e) => e.kind === "stanza" && e.dir === "out" && /service-unavailable/.test(e.xml))).toHaveLength(50);
      const bob = await createClient({ jid: "bob@lab.example", password: PASSWORDS.bob, connect: { host: "127.0.0.1", port: srv.port }, tls: "off", verify: { mode: "none" }, allowPlainWithoutTls: true }).start();
      expect((await bob.waitForMessages(1)).map((m) => m.body)).toEqual(["for bob, who is offline"]);
      await bob.close();
    } finally {
      await srv.server.stop();
    }
  });

  it("an account's offline queue keeps at most its limit", async () => {
    const srv = await labServer({ limits: { offlinePerAccount: 5 } });
    try {
      const alice = await createClient({ jid: "alice@lab.example", password: PASSWORDS.alice, connect: { host: "127.0.0.1", port: srv.port }, tls: "off", verify: { mode: "none" }, allowPlainWithoutTls: true }).start();
      for (let i = 0; i < 20; i++) alice.send("bob@lab.example", `m${i}`);
      await alice.close();
      const bob = await createClient({ jid: "bob@lab.example", password: PASSWORDS.bob, connect: { host: "127.0.0.1", port: srv.port }, tls: "off", verify: { mode: "none" }, allowPlainWithoutTls: true, timeoutMs: 500 }).start();
      expect((await bob.waitForMessages(20)).map((m) => m.body)).toEqual(["m0", "m1", "m2", "m3", "m4"]);
      await bob.close();
    } finally {
      await srv.server.stop();
    }
  });
});

