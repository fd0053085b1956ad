import { spawn } from "node:child_process";
import net from "node:net";
import tls from "node:tls";
import { afterAll, describe, expect, it } from "vitest";
import { createClient, type ClientOptions } from "../victim-client/index.js";
import { fakeServer, mechanismFeatures, type Peer, SERVER_HEADER, STARTTLS_FEATURES } from "./fake-server.js";
import { labFixtures, PASSWORDS, recorder } from "./helpers.js";

/** Issue 13: alice against servers that lie, stall or overflow. Every wait ends by her deadline. */

const SASL = "xmlns='urn:ietf:params:xml:ns:xmpp-sasl'";
const TIMEOUT = 400; // alice's --timeout here: every refusal below must come by then (or at once)
const closers: Array<() => Promise<void>> = [];
afterAll(async () => {
  for (const c of closers) await c();
});

async function against(script: (p: Peer) => Promise<void>, opts: Partial<ClientOptions> = {}) {
  const srv = await fakeServer(script);
  closers.push(srv.close);
  const rec = recorder();
  const err = await createClient({
    jid: "alice@lab.example", password: PASSWORDS.alice, connect: { host: "127.0.0.1", port: srv.port },
    tls: "off", verify: { mode: "none" }, allowPlainWithoutTls: true, timeoutMs: TIMEOUT, emit: rec.emit, ...opts,
  })
    .start()
    .then(() => null, (e) => e);
  return { err, rec };
}

/** A PLAIN-free cleartext login up to the SCRAM challenge, with the server-first the test chooses. */
const scramUpTo = (serverFirst: (clientNonce: string) => string) => async (p: Peer) => {
  await p.until("<stream:stream");
  p.write(SERVER_HEADER() + mechanismFeatures("SCRAM-SHA-256"));
  const heard = await p.until("</auth>");
  const first = Buffer.from(/>([^<]+)<\/auth>/.exec(heard)![1], "base64").toString();
  const nonce = /r=([^,]+)/.exec(first)![1];
  p.write(`<challenge ${SASL}>${Buffer.from(serverFirst(nonce)).toString("base64")}</challenge>`);
  await p.until("</response>", 3000).catch(() => {});
};

describe("the STARTTLS-injection defence (item 5)", () => {
  it("a <proceed/> in a foreign namespace is not a proceed: alice stops, starts no TLS and sends no password", async () => {
    const { pki } = await labFixtures();
    let sawClientHello = false;
    let afterTls = "";
    const { err } = await against(
      async (p) => {
        await p.until("<stream:stream");
        p.write(SERVER_HEADER() + STARTTLS_FEATURES);
        await p.until("<starttls");
        // The bypass: a look-alike <proceed/>, then features of mallory's choosing before TLS.
        p.write("<proceed xmlns='urn:evil'/>" + SERVER_HEADER("s2") + mechanismFeatures("PLAIN"));
        p.socket.once("data", (d) => {
          if (d[0] !== 0x16) return;
          sawClientHello = true;
          p.socket.pause();
          p.socket.unshift(d);
          p.socket.removeAllListeners("data");
          const s = new tls.TLSSocket(p.socket, { isServer: true, secureContext: tls.createSecureContext({ cert: pki.server.cert, key: pki.server.key }) });
          s.on("error", () => {});
          s.on("data", (x) => (afterTls += x));
        });
        await p.until("never", 1500).catch(() => {});
      },
      { tls: "required", verify: { mode: "ca", ca: [pki.ca.cert] }, timeoutMs: 1500 },
    );
    expect(err).toMatchObject({ code: "UNEXPECTED" });
    expect(sawClientHello).toBe(false);
    expect(afterTls).not.toContain("<auth");
  });
});

describe("a deadline on every wait (item 3)", () => {
  it("<proceed/> then silence: the TLS handshake times out", async () => {
    const { pki } = await labFixtures();
    const { err } = await against(
      async (p) => {
        await p.until("<stream:stream");
        p.write(SERVER_HEADER() + STARTTLS_FEATURES);
        await p.until("<starttls");
        p.write("<proceed xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>");
        await p.until("never", 5000).catch(() => {});
      },
      { tls: "required", verify: { mode: "ca", ca: [pki.ca.cert] } },
    );
    expect(err).toMatchObject({ code: "TIMEOUT" });
    expect(err.message).toMatch(/TLS handshake/);
  });

  it("--tls direct to a server that never speaks: the TLS handshake times out", async () => {
    const { pki } = await labFixtures();
    const { err } = await against(async (p) => void (await p.until("never", 5000).catch(() => {})), { tls: "direct", verify: { mode: "ca", ca: [pki.ca.cert] } });
    expect(err).toMatchObject({ code: "TIMEOUT" });
    expect(err.message).toMatch(/TLS handshake/);
  });

  it("a TCP connection that never completes times out", async () => {
    // A listener whose process never accepts: after one queued connection the kernel drops SYNs.
    // (backlog 1: Linux queues two; the fillers take those places.)
    const child = spawn(process.execPath, ["-e", "require('net').createServer().listen({port:0,host:'127.0.0.1',backlog:1},function(){console.log(this.address().port);Atomics.wait(new Int32Array(new SharedArrayBuffer(4)),0,0)})"]);
    const fillers: net.Socket[] = [];
    try {
      const port = await new Promise<number>((r) => child.stdout.once("data", (d) => r(Number(String(d)))));
      for (let i = 0; i < 3; i++) fillers.push(net.connect(port, "127.0.0.1").on("error", () => {}));
      const err = await createClient({ jid: "alice@lab.example", password: "x", connect: { host: "127.0.0.1", port }, tls: "off", verify: { mode: "none" }, timeoutMs: TIMEOUT })
        .start()
        .then(() => null, (e) => e);
      expect(err).toMatchObject({ code: "TIMEOUT" });
      expect(err.message).toMatch(/connect/);
    } finally {
      for (const f of fillers) f.destroy();
      child.kill();
    }
  });

  it.each([
    ["10^8 iterations", "100000000"],
    ["10^9 iterations", "1000000000"],
    ["fewer than 4096 iterations (an attacker lowering the cost of an offline guess)", "1"],
  ])("a SCRAM challenge asking for %s is refused at once, with the reason", async (_n, i) => {
    const { err } = await against(scramUpTo((n) => `r=${n}srv,s=QSXCR+Q6sek8bf92,i=${i}`));
    expect(err).toMatchObject({ code: "SCRAM_ITERATIONS" });
    expect(err.explain).toMatch(/iteration/);
  });
});

describe("smaller points (item 11)", () => {
  it.each([
    ["a hexadecimal iteration count", "i=0x1000"],
    ["an iteration count with a sign", "i=+4096"],
    ["an iteration count with leading zeros", "i=04096"],
  ])("%s is a malformed challenge, not a number", async (_n, attr) => {
    const { err } = await against(scramUpTo((n) => `r=${n}srv,s=QSXCR+Q6sek8bf92,${attr}`));
    expect(err).toMatchObject({ code: "SCRAM_BAD_CHALLENGE" });
  });

  it("another user's JID in the bind result is refused", async () => {
    const { err } = await against(async (p) => {
      await p.until("<stream:stream");
      p.write(SERVER_HEADER() + mechanismFeatures("PLAIN"));
      await p.until("</auth>");
      p.write(`<success ${SASL}/>`);
      await p.until(/<stream:stream[^]*<stream:stream/);
      p.write(SERVER_HEADER("s2") + "<stream:features><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'/></stream:features>");
      await p.until("</iq>");
      p.write("<iq type='result' id='bind-1'><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'><jid>bob@lab.example/lab</jid></bind></iq>");
      await p.until("never", 1000).catch(() => {});
    });
    expect(err).toMatchObject({ code: "BIND_FAILED" });
    expect(err.message).toMatch(/bob@lab.example/);
  });

  it("a 300 KiB features element breaks alice's 256 KiB limit", async () => {
    const { err } = await against(async (p) => {
      await p.until("<stream:stream");
      p.write(SERVER_HEADER() + `<stream:features><x xmlns='urn:x'>${"y".repeat(300 * 1024)}</x></stream:features>`);
      await p.until("never", 1000).catch(() => {});
    });
    expect(err).toMatchObject({ code: "STREAM_POLICY_VIOLATION" });
  });

  it.each([
    ["no version (a pre-1.0 server)", ""],
    ["version 0.9", "version='0.9'"],
  ])("a response header with %s gets <unsupported-version/> (RFC 6120 §4.7.5)", async (_n, extra) => {
    let heard: Promise<string> = Promise.resolve("");
    const { err } = await against(async (p) => {
      await p.until("<stream:stream");
      p.write(SERVER_HEADER("s1", extra) + mechanismFeatures("PLAIN"));
      heard = p.until("</stream:stream>", 2000).catch(() => p.heard());
    });
    expect(err).toMatchObject({ code: "STREAM_UNSUPPORTED_VERSION" });
    expect(await heard).toContain("<unsupported-version");
  });
});
