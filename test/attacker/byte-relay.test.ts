import { expect, it } from "vitest";
import { createAttacker } from "../../attacker/index.js";
import { createClient } from "../../victim-client/index.js";
import { createServer } from "../../victim-server/index.js";
import { labFixtures, PASSWORDS, recorder } from "../helpers.js";

it("with nothing left to read or change after SASL, mallory becomes a plain byte relay", async () => {
  const { pki, accounts } = await labFixtures();
  const rec = recorder();
  const server = createServer({ tls: "starttls", identity: pki.server, accounts, allowPlainCleartext: true, emit: rec.emit });
  const { port } = await server.start();
  const mallory = createAttacker({ upstream: { host: "127.0.0.1", port }, tactics: ["strip-starttls"], emit: rec.emit });
  const m = await mallory.start();
  try {
    const bob = await createClient({ jid: "bob@lab.example", password: PASSWORDS.bob, connect: { host: "127.0.0.1", port }, tls: "required", verify: { mode: "ca", ca: [pki.ca.cert] } }).start();
    const alice = await createClient({
      jid: "alice@lab.example", password: PASSWORDS.alice, connect: { host: "127.0.0.1", port: m.port },
      tls: "opportunistic", verify: { mode: "ca", ca: [pki.ca.cert] }, emit: rec.emit,
    }).start();
    alice.send("bob@lab.example", "hello through a plain relay");
    expect((await bob.waitForMessages(1))[0].body).toBe("hello through a plain relay");
    await alice.close();
    await bob.close();
    const mine = rec.events.filter((e) => e.node === "mallory");
    const switched = mine.findIndex((e) => e.kind === "move" && e.move.type === "byte-relay");
    expect(switched).toBeGreaterThan(0);
    // Nothing after the switch was parsed: no stanza of the session shows up in mallory's trace.
    expect(mine.slice(switched).filter((e) => e.kind === "relay")).toEqual([]);
    expect(mine.some((e) => e.kind === "relay" && e.edits.some((x) => x.op === "removed-starttls"))).toBe(true);
  } finally {
    await mallory.stop();
    await server.stop();
  }
});
