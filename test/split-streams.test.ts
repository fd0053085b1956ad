import net from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAttacker } from "../attacker/index.js";
import { createClient, type ClientSession } from "../victim-client/index.js";
import { createServer, type VictimServer } from "../victim-server/index.js";
import { HEADER, labFixtures, PASSWORDS, recorder } from "./helpers.js";

/**
 * Issue 13, item 1: a valid stream split at any byte offset logs in, on real sockets. Each
 * offset is one connection whose bytes are written in two pieces with a pause between them
 * (so the peer reads them apart); the parser tests check the same cuts deterministically.
 */

const SASL = "xmlns='urn:ietf:params:xml:ns:xmpp-sasl'";
const pause = () => new Promise((r) => setTimeout(r, 2));

/** Run `f` over `items`, `width` at a time. */
async function inBatches<T>(items: T[], width: number, f: (t: T) => Promise<void>): Promise<void> {
  for (let i = 0; i < items.length; i += width) await Promise.all(items.slice(i, i + width).map(f));
}

describe("a valid client stream split at every byte offset logs in to the lab server", () => {
  let server: VictimServer;
  let port: number;
  let bob: ClientSession;
  const rec = recorder();

  beforeAll(async () => {
    const { pki, accounts } = await labFixtures();
    server = createServer({ tls: "none", allowPlainCleartext: true, mechanisms: ["PLAIN"], identity: pki.server, accounts, emit: rec.emit });
    ({ port } = await server.start());
    bob = await createClient({ jid: "bob@lab.example", password: PASSWORDS.bob, connect: { host: "127.0.0.1", port }, tls: "off", verify: { mode: "none" }, allowPlainWithoutTls: true }).start();
  });
  afterAll(async () => {
    await bob.close();
    await server.stop();
  });

  const stream = (n: number) => {
    const auth = Buffer.from("\0alice\0" + PASSWORDS.alice).toString("base64");
    return Buffer.from(
      HEADER +
        `<auth ${SASL} mechanism='PLAIN'>${auth}</auth>` +
        HEADER +
        "<iq type='set' id='b'><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'><resource>r</resource></bind></iq>" +
        `<message to='bob@lab.example' type='chat'><body>cut ${String(n).padStart(3, "0")} · ünïcödé</body></message>` +
        "</stream:stream>",
    );
  };

  it("at every offset: authenticated, bound, and the message reached bob", async () => {
    const length = stream(0).length;
    const cuts = Array.from({ length: length - 1 }, (_, i) => i + 1);
    const replies = new Map<number, string>();
    await inBatches(cuts, 8, async (cut) => {
      const bytes = stream(cut);
      replies.set(cut, await new Promise<string>((resolve) => {
        const s = net.connect(port, "127.0.0.1");
        s.setNoDelay(true);
        const bound = setTimeout(() => s.destroy(), 5000); // a server that never answers fails, never hangs
        let got = "";
        s.on("data", (d) => (got += d));
        s.on("error", () => {});
        s.on("close", () => (clearTimeout(bound), resolve(got)));
        s.on("connect", async () => {
          s.write(bytes.subarray(0, cut));
          await pause();
          s.write(bytes.subarray(cut));
        });
      }));
    });
    const failed = cuts.filter((c) => !/<success [^>]*\/>/.test(replies.get(c)!) || !replies.get(c)!.includes("<jid>alice@lab.example/r</jid>"));
    expect(failed).toEqual([]);
    const got = await bob.waitForMessages(cuts.length);
    const bodies = new Set(got.map((m) => m.body));
    expect(cuts.filter((c) => !bodies.has(`cut ${String(c).padStart(3, "0")} · ünïcödé`))).toEqual([]);
  });
});

describe("a valid server stream split at every byte offset logs alice in", () => {
  /** The server's side of a PLAIN login, turn by turn: what it waits for, then what it says. */
  const TURNS = (cut: number): Array<[string, string]> => [
    [
      "<stream:stream",
      "<?xml version='1.0'?><stream:stream from='lab.example' id='s1' version='1.0' xml:lang='en' xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams'>" +
        `<stream:features><mechanisms ${SASL}><mechanism>PLAIN</mechanism></mechanisms></stream:features>`,
    ],
    ["</auth>", `<success ${SASL}/>`],
    [
      "<stream:stream",
      `<?xml version="1.0"?><stream:stream from="lab.example" id="s2" version="1.0" xmlns="jabber:client" xmlns:stream="http://etherx.jabber.org/streams">` +
        "<stream:features><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'/></stream:features>",
    ],
    [
      "</iq>",
      "<iq type='result' id='bind-1'><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'><jid>alice@lab.example/lab</jid></bind></iq>" +
        `<message from='bob@lab.example/x' to='alice@lab.example/lab' type='chat'><body>cut ${String(cut).padStart(3, "0")}: ¡hola! 𝄞 &amp; €</body></message>`,
    ],
  ];
  const total = Buffer.concat(TURNS(0).map(([, say]) => Buffer.from(say)));
  let fake: net.Server;
  let port: number;
  let nextCut = 1; // each connection takes the next offset; the message body names it

  beforeAll(async () => {
    fake = net.createServer((s) => {
      s.on("error", () => {});
      s.setNoDelay(true);
      const cut = nextCut++;
      const turns = TURNS(cut);
      let heard = "";
      let turn = 0;
      let offset = 0; // bytes of the server stream already written
      s.on("data", async (d) => {
        heard += d;
        while (turn < turns.length) {
          const [waitFor, say] = turns[turn];
          const at = heard.indexOf(waitFor);
          if (at < 0 || !heard.slice(at).includes(">")) return;
          heard = heard.slice(at + waitFor.length);
          turn++;
          const bytes = Buffer.from(say);
          const within = cut - offset;
          offset += bytes.length;
          if (within > 0 && within < bytes.length) {
            s.write(bytes.subarray(0, within));
            await pause();
            s.write(bytes.subarray(within));
          } else s.write(bytes);
        }
      });
    });
    await new Promise<void>((r) => fake.listen(0, "127.0.0.1", () => r()));
    port = (fake.address() as net.AddressInfo).port;
  });
  afterAll(() => new Promise<void>((r) => fake.close(() => r())));

  it(`at every one of the ${total.length - 1} offsets: alice binds and reads bob's message`, async () => {
    const cuts = Array.from({ length: total.length - 1 }, (_, i) => i + 1);
    const outcomes: string[] = [];
    await inBatches(cuts, 8, async () => {
      const client = createClient({
        jid: "alice@lab.example", password: PASSWORDS.alice, connect: { host: "127.0.0.1", port },
        tls: "off", verify: { mode: "none" }, allowPlainWithoutTls: true, timeoutMs: 5000,
      });
      try {
        const session = await client.start();
        const [m] = await session.waitForMessages(1);
        outcomes.push(`${session.jid} ${m?.body}`);
        client.stop();
      } catch (e) {
        outcomes.push((e as Error).message);
      }
    });
    const expected = cuts.map((c) => `alice@lab.example/lab cut ${String(c).padStart(3, "0")}: ¡hola! 𝄞 & €`);
    expect(outcomes.sort()).toEqual(expected);
  });

  it("through mallory too: her parser reads the server's stream cut at every offset, and alice logs in", async () => {
    nextCut = 1;
    const rec = recorder();
    const mallory = createAttacker({ upstream: { host: "127.0.0.1", port }, tactics: ["loot", "tamper"], emit: rec.emit });
    const via = (await mallory.start()).port;
    const cuts = Array.from({ length: total.length - 1 }, (_, i) => i + 1);
    const outcomes: string[] = [];
    try {
      await inBatches(cuts, 8, async () => {
        const client = createClient({
          jid: "alice@lab.example", password: PASSWORDS.alice, connect: { host: "127.0.0.1", port: via },
          tls: "off", verify: { mode: "none" }, allowPlainWithoutTls: true, timeoutMs: 5000,
        });
        try {
          const session = await client.start();
          const [m] = await session.waitForMessages(1);
          outcomes.push(`${session.jid} ${m?.body}`);
          client.stop();
        } catch (e) {
          outcomes.push((e as Error).message);
        }
      });
    } finally {
      await mallory.stop();
    }
    expect(outcomes.sort()).toEqual(cuts.map((c) => `alice@lab.example/lab cut ${String(c).padStart(3, "0")}: ¡hola! 𝄞 & €`));
    // She read every one of them: no cut made the stream unreadable to her, and each login was looted.
    expect(rec.events.filter((e) => e.kind === "move" && e.move.type === "unreadable")).toEqual([]);
    expect(rec.events.filter((e) => e.kind === "loot" && e.loot.type === "credential")).toHaveLength(cuts.length);
  });
});
