import net from "node:net";
import { describe, expect, it } from "vitest";
import { createAttacker } from "../../attacker/index.js";
import { HEADER, recorder } from "../helpers.js";

const SERVER_OPEN =
  "<?xml version='1.0'?><stream:stream from='lab.example' id='s1' version='1.0' xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams'>" +
  "<stream:features><starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'/><mechanisms xmlns='urn:ietf:params:xml:ns:xmpp-sasl'><mechanism>PLAIN</mechanism></mechanisms></stream:features>";

/** A fake server that records what reaches it; mallory in between; the client writes raw chunks. */
async function through(tactics: Parameters<typeof createAttacker>[0]["tactics"], chunks: string[]) {
  let atServer = "";
  const srv = net.createServer((s) => {
    s.write(SERVER_OPEN);
    s.on("data", (d) => (atServer += d));
  });
  await new Promise<void>((r) => srv.listen(0, "127.0.0.1", () => r()));
  const rec = recorder();
  const mallory = createAttacker({ upstream: { host: "127.0.0.1", port: (srv.address() as net.AddressInfo).port }, tactics, emit: rec.emit });
  const { port } = await mallory.start();
  const c = net.connect(port, "127.0.0.1");
  let atClient = "";
  c.on("data", (d) => (atClient += d));
  await new Promise<void>((r) => c.once("connect", () => r()));
  for (const ch of chunks) {
    c.write(ch);
    await new Promise((r) => setTimeout(r, 15)); // separate reads on mallory's side
  }
  await new Promise((r) => setTimeout(r, 50));
  c.destroy();
  await mallory.stop();
  srv.close();
  return { atServer, atClient, events: rec.events };
}

describe("mallory's relay on real sockets", () => {
  it("forwards what no tactic changed byte for byte, odd quoting and whitespace included", async () => {
    const odd = `<message  to="bob@lab.example"   type='chat'><body>hé &amp; "quotes"</body></message>\n  <presence/>`;
    const { atServer } = await through(["observe", "loot"], [HEADER, odd]);
    expect(atServer).toBe(HEADER + odd);
  });

  it("rewrites a message split across reads, and only the changed stanza is re-serialised", async () => {
    const before = "<presence xmlns='jabber:client'  />";
    const { atServer, events } = await through(["tamper", "loot"], [
      HEADER + before + "<message to='bob@lab.example'><body>pay DE89 3704 00",
      "44 0532 0130 00 now</body></mess",
      "age>",
    ]);
    expect(atServer.startsWith(HEADER + before)).toBe(true); // the earlier chunk went out as it came
    expect(atServer).toContain("<body>pay GB33 BUKB 2020 1555 5555 55 now</body>");
    expect(atServer).not.toContain("DE89");
    expect(events.filter((e) => e.kind === "loot").map((e) => (e as any).loot.type)).toEqual(["message-read", "message-tampered"]);
  });

  it("strips the self-closing <starttls/> and tells alice so", async () => {
    const { atClient, events } = await through(["strip-starttls"], [HEADER]);
    expect(atClient).toContain("<mechanism>PLAIN</mechanism>");
    expect(atClient).not.toContain("starttls");
    expect(events.some((e) => e.kind === "relay" && e.edits.some((x) => x.op === "removed-starttls" && !x.required))).toBe(true);
  });

  it("block drops the connection without touching the server", async () => {
    const { atServer, events } = await through(["block"], [HEADER]);
    expect(atServer).toBe("");
    expect(events.some((e) => e.kind === "move" && e.tactic === "block" && e.move.type === "blocked")).toBe(true);
  });
});
