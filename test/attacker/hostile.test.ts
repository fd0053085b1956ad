import net from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAttacker, type Attacker } from "../../attacker/index.js";
import type { LabEvent } from "../../lab/core/events.js";
import { createClient, type ClientSession } from "../../victim-client/index.js";
import { createServer, type VictimServer } from "../../victim-server/index.js";
import { HEADER, labFixtures, PASSWORDS, recorder } from "../helpers.js";

/**
 * Issue 13 for mallory: a stream split anywhere, bounded memory, a malformed or odd element
 * that never switches her tactics off, and her own caps and timeouts. Real sockets: a raw
 * client, mallory, and a fake server that records exactly the bytes that reach it.
 */

const SERVER_OPEN =
  "<?xml version='1.0'?><stream:stream from='lab.example' id='s1' version='1.0' xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams'>" +
  "<stream:features><mechanisms xmlns='urn:ietf:params:xml:ns:xmpp-sasl'><mechanism>PLAIN</mechanism></mechanisms></stream:features>";
const IBAN_MSG = (i: number) => `<message to='bob@lab.example' id='m${i}'><body>pay DE89 3704 0044 0532 0130 00 #${i}</body></message>`;

/** A fake server recording bytes; mallory in front; the client writes raw chunks, each its own read. */
async function through(tactics: Parameters<typeof createAttacker>[0]["tactics"], chunks: Array<string | Buffer>, extra: Partial<Parameters<typeof createAttacker>[0]> = {}) {
  const got: Buffer[] = [];
  let serverClosed!: () => void;
  const closed = new Promise<void>((r) => (serverClosed = r));
  const srv = net.createServer((s) => {
    s.write(SERVER_OPEN);
    s.on("data", (d) => got.push(d));
    s.on("error", () => {});
    s.on("close", () => serverClosed());
  });
  await new Promise<void>((r) => srv.listen(0, "127.0.0.1", () => r()));
  const rec = recorder();
  const mallory = createAttacker({ upstream: { host: "127.0.0.1", port: (srv.address() as net.AddressInfo).port }, tactics, emit: rec.emit, ...extra });
  const { port } = await mallory.start();
  const c = net.connect(port, "127.0.0.1");
  c.on("error", () => {});
  await new Promise<void>((r) => c.once("connect", () => r()));
  for (const ch of chunks) {
    await new Promise<void>((r) => c.write(ch, () => r()));
    await new Promise((r) => setTimeout(r, 5)); // separate reads, most of the time
  }
  c.end(); // the client is done: mallory passes the close on, and the server sees everything first
  const bound = setTimeout(() => serverClosed(), 10_000);
  await closed;
  clearTimeout(bound);
  await mallory.stop();
  srv.close();
  return { atServer: Buffer.concat(got), events: rec.events };
}

const moves = (events: LabEvent[], type: string) => events.filter((e) => e.kind === "move" && e.move.type === type);
const tampered = (events: LabEvent[]) => events.filter((e) => e.kind === "loot" && e.loot.type === "message-tampered").length;

describe("mallory keeps working past an element that trips a tactic (item 6)", () => {
  it("an <auth/> without a mechanism: reported, forwarded as it came, and loot and tamper go on", async () => {
    const odd = "<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl'>=</auth>";
    const { atServer, events } = await through(["loot", "tamper"], [HEADER, odd, IBAN_MSG(1)]);
    expect(atServer.toString()).toContain(odd);
    expect(atServer.toString()).toContain("GB33");
    expect(tampered(events)).toBe(1);
  });

  it("10,000-deep nesting: reported as unreadable, relayed as bytes, no stack overflow", async () => {
    const deep = "<a>".repeat(10_000);
    const { atServer, events } = await through(["loot", "tamper"], [HEADER, deep]);
    expect(atServer.toString()).toBe(HEADER + deep);
    const m = moves(events, "unreadable");
    expect(m).toHaveLength(1);
    expect(JSON.stringify(m[0])).toMatch(/policy-violation/);
    expect(JSON.stringify(events)).not.toMatch(/call stack/);
  });

  it("bytes that are not UTF-8 are relayed exactly as they came (and reported), never repaired", async () => {
    const bad = Buffer.concat([Buffer.from("<message><body>"), Buffer.from([0xff, 0xc0, 0x80]), Buffer.from("</body></message>")]);
    const { atServer, events } = await through(["observe"], [HEADER, bad]);
    expect(atServer.equals(Buffer.concat([Buffer.from(HEADER), bad]))).toBe(true);
    expect(JSON.stringify(moves(events, "unreadable"))).toMatch(/unsupported-encoding/);
  });
});

describe("bounded memory in mallory (item 4)", () => {
  it("a stanza over her limit goes by unread, byte for byte, and the next one is tampered again", async () => {
    const big = `<message to='bob@lab.example'><body>${"x".repeat(600 * 1024)}</body></message>`;
    const chunks = [HEADER, ...Array.from({ length: 20 }, (_, i) => big.slice(i * 32 * 1024, (i + 1) * 32 * 1024)), big.slice(20 * 32 * 1024) + IBAN_MSG(2)];
    const { atServer, events } = await through(["loot", "tamper"], chunks, { limits: { maxStanza: 256 * 1024 } });
    const s = atServer.toString();
    expect(s.startsWith(HEADER + big)).toBe(true);
    expect(s.slice((HEADER + big).length)).toContain("GB33");
    expect(moves(events, "stanza-too-large")).toHaveLength(1);
    expect(tampered(events)).toBe(1);
  });

  it("an endless header before any stream is cut off at her limit", async () => {
    const { events } = await through(["observe"], ["<stream:stream xmlns:stream='http://etherx.jabber.org/streams' to='", ...Array(40).fill("a".repeat(16 * 1024))], { limits: { maxStanza: 256 * 1024 } });
    expect(JSON.stringify(moves(events, "unreadable"))).toMatch(/policy-violation/);
  });
});

describe("a valid stream split at every byte offset through mallory (item 1)", () => {
  let server: VictimServer;
  let mallory: Attacker;
  let mPort: number;
  let bob: ClientSession;
  const rec = recorder();
  beforeAll(async () => {
    const { pki, accounts } = await labFixtures();
    server = createServer({ tls: "none", allowPlainCleartext: true, mechanisms: ["PLAIN"], identity: pki.server, accounts });
    const { port } = await server.start();
    mallory = createAttacker({ upstream: { host: "127.0.0.1", port }, tactics: ["loot", "tamper"], emit: rec.emit });
    mPort = (await mallory.start()).port;
    bob = await createClient({ jid: "bob@lab.example", password: PASSWORDS.bob, connect: { host: "127.0.0.1", port }, tls: "off", verify: { mode: "none" }, allowPlainWithoutTls: true }).start();
  });
  afterAll(async () => {
    await bob.close();
    await mallory.stop();
    await server.stop();
  });

  it("at every offset of alice's stream: she logs in, mallory reads the password and bob gets the rewritten IBAN", async () => {
    const auth = Buffer.from("\0alice\0" + PASSWORDS.alice).toString("base64");
    const stream = (n: number) =>
      Buffer.from(
        HEADER + `<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='PLAIN'>${auth}</auth>` + HEADER +
          "<iq type='set' id='b'><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'><resource>r</resource></bind></iq>" +
          `<message to='bob@lab.example' type='chat'><body>cut ${String(n).padStart(3, "0")}: pay DE89 3704 0044 0532 0130 00 ü</body></message></stream:stream>`,
      );
    const cuts = Array.from({ length: stream(0).length - 1 }, (_, i) => i + 1);
    for (let i = 0; i < cuts.length; i += 8) {
      await Promise.all(cuts.slice(i, i + 8).map((cut) => new Promise<void>((resolve) => {
        const bytes = stream(cut);
        const s = net.connect(mPort, "127.0.0.1");
        const bound = setTimeout(() => s.destroy(), 5000);
        s.on("data", () => {});
        s.on("error", () => {});
        s.on("close", () => (clearTimeout(bound), resolve()));
        s.on("connect", async () => {
          s.write(bytes.subarray(0, cut));
          await new Promise((r) => setTimeout(r, 2));
          s.write(bytes.subarray(cut));
        });
      })));
    }
    const got = await bob.waitForMessages(cuts.length);
    const bodies = new Set(got.map((m) => m.body));
    const missing = cuts.filter((c) => !bodies.has(`cut ${String(c).padStart(3, "0")}: pay GB33 BUKB 2020 1555 5555 55 ü`));
    expect(missing).toEqual([]);
    const creds = rec.events.filter((e) => e.kind === "loot" && e.loot.type === "credential");
    expect(creds).toHaveLength(cuts.length);
  });
});

describe("mallory's own limits (item 9)", () => {
  it("caps connections per address: beyond it she refuses at once, and says so", async () => {
    const srv = net.createServer((s) => s.on("error", () => {}));
    await new Promise<void>((r) => srv.listen(0, "127.0.0.1", () => r()));
    const rec = recorder();
    const mallory = createAttacker({ upstream: { host: "127.0.0.1", port: (srv.address() as net.AddressInfo).port }, tactics: ["observe"], emit: rec.emit, limits: { maxConnectionsPerAddress: 2 } });
    const { port } = await mallory.start();
    try {
      const open = (): Promise<{ s: net.Socket; closed: Promise<void> }> =>
        new Promise((resolve) => {
          const s = net.connect(port, "127.0.0.1");
          s.on("error", () => {});
          const closed = new Promise<void>((r) => s.once("close", () => r()));
          s.once("connect", () => resolve({ s, closed }));
        });
      const held = [await open(), await open()];
      const third = await open();
      await third.closed; // refused: closed by her, not by this test
      expect(rec.events.some((e) => e.kind === "move" && e.move.type === "too-many-connections")).toBe(true);
      for (const h of held) h.s.destroy();
    } finally {
      await mallory.stop();
      srv.close();
    }
  });

  it("closes a connection idle on both sides past her idle timeout", async () => {
    const srv = net.createServer((s) => s.on("error", () => {}));
    await new Promise<void>((r) => srv.listen(0, "127.0.0.1", () => r()));
    const rec = recorder();
    const mallory = createAttacker({ upstream: { host: "127.0.0.1", port: (srv.address() as net.AddressInfo).port }, tactics: ["observe"], emit: rec.emit, limits: { idleTimeoutMs: 300 } });
    const { port } = await mallory.start();
    try {
      const s = net.connect(port, "127.0.0.1");
      s.on("error", () => {});
      await new Promise((r) => s.once("close", r)); // bounded by the test timeout; she must close it
      expect(rec.events.some((e) => e.kind === "move" && e.move.type === "idle-closed")).toBe(true);
    } finally {
      await mallory.stop();
      srv.close();
    }
  });
});
