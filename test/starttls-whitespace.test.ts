import net from "node:net";
import tls from "node:tls";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createClient } from "../victim-client/index.js";
import { createServer, type VictimServer } from "../victim-server/index.js";
import { HEADER, labFixtures, PASSWORDS, recorder } from "./helpers.js";

/**
 * Issue 11 (go-sendxmpp): whitespace after <starttls/> or <proceed/> carries no command. RFC 6120
 * §5.3.3 forbids sending it, Prosody tolerates it, and so does the lab: it is discarded, in
 * the same read or in a later one. Anything else pipelined there stays an injection (see
 * server-hostile.test.ts and starttls-buffering-bug.test.ts).
 */

const STARTTLS = "<starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>";
const PROCEED = "<proceed xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>";

function readUntil(s: net.Socket, done: (t: string) => boolean, ms = 5000): Promise<string> {
  return new Promise((resolve) => {
    let got = "";
    const finish = () => {
      clearTimeout(timer);
      s.off("data", onData);
      resolve(got);
    };
    const timer = setTimeout(finish, ms);
    const onData = (d: Buffer) => {
      got += d.toString("utf8");
      if (done(got)) finish();
    };
    s.on("data", onData);
    s.once("close", finish);
  });
}

describe("the lab server discards whitespace after <starttls/>", () => {
  let server: VictimServer;
  let port: number;
  const rec = recorder();
  beforeAll(async () => {
    const { pki, accounts } = await labFixtures();
    server = createServer({ tls: "starttls", identity: pki.server, accounts, emit: rec.emit });
    ({ port } = await server.start());
  });
  afterAll(() => server.stop());

  it.each([
    ["a newline in the same read (go-sendxmpp)", ["\n"]],
    ["spaces, CR and LF in the same read", [" \r\n\t "]],
    ["a newline in a later read", ["", "\n"]],
  ])("%s: <proceed/>, then TLS, then the post-TLS features", async (_n, after) => {
    const { pki } = await labFixtures();
    const raw = net.connect(port, "127.0.0.1");
    raw.on("error", () => {});
    await new Promise((r) => raw.once("connect", r));
    raw.write(HEADER);
    await readUntil(raw, (t) => t.includes("</stream:features>"));
    const proceed = readUntil(raw, (t) => t.includes("<proceed"));
    raw.write(STARTTLS + after[0]);
    if (after.length > 1) {
      await new Promise((r) => setTimeout(r, 20)); // a separate read, before the handshake
      raw.write(after[1]);
    }
    const answer = await proceed;
    expect(answer).toContain("<proceed");
    const secure = tls.connect({ socket: raw, servername: "lab.example", ca: [pki.ca.cert] });
    await new Promise((resolve, reject) => {
      secure.once("secureConnect", resolve);
      secure.once("error", reject); // a handshake that fails fails the test, never hangs it
    });
    secure.write(HEADER);
    const inside = await readUntil(secure, (t) => t.includes("</stream:features>"));
    expect(inside).toContain("<mechanisms");
    secure.destroy();
  });
});

describe("alice discards whitespace after <proceed/>", () => {
  it.each([
    ["in the same read", false],
    ["in a later read", true],
  ])("a server that sends a newline after <proceed/> %s: alice logs in over TLS", async (_n, later) => {
    const { pki, accounts } = await labFixtures();
    // Behind the STARTTLS front: a lab server without TLS, reached through the front's TLS.
    const inner = createServer({ tls: "none", identity: pki.server, accounts });
    const innerPort = (await inner.start()).port;
    const front = net.createServer(async (raw) => {
      raw.on("error", () => {});
      await readUntil(raw, (t) => t.includes(">"));
      raw.write(
        "<?xml version='1.0'?><stream:stream from='lab.example' id='f1' version='1.0' xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams'>" +
          `<stream:features><starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'><required/></starttls></stream:features>`,
      );
      await readUntil(raw, (t) => t.includes("<starttls"));
      raw.pause(); // alice's ClientHello waits in the socket for the TLSSocket below
      if (later) {
        raw.write(PROCEED);
        await new Promise((r) => setTimeout(r, 20));
        raw.write("\r\n");
      } else raw.write(PROCEED + "\r\n");
      const secure = new tls.TLSSocket(raw, { isServer: true, secureContext: tls.createSecureContext({ cert: pki.server.cert, key: pki.server.key }) });
      secure.on("error", () => {});
      const up = net.connect(innerPort, "127.0.0.1");
      up.on("error", () => {});
      secure.pipe(up).pipe(secure);
    });
    await new Promise<void>((r) => front.listen(0, "127.0.0.1", () => r()));
    const rec = recorder();
    try {
      const alice = await createClient({
        jid: "alice@lab.example", password: PASSWORDS.alice, connect: { host: "127.0.0.1", port: (front.address() as net.AddressInfo).port },
        tls: "required", verify: { mode: "ca", ca: [pki.ca.cert] }, emit: rec.emit, timeoutMs: 5000,
      }).start();
      expect(alice.jid).toBe("alice@lab.example/lab");
      expect(rec.events.find((e) => e.kind === "tls")).toMatchObject({ authorized: true, how: "starttls" });
      await alice.close();
    } finally {
      front.close();
      await inner.stop();
    }
  });
});
