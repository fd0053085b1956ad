import { expect, it } from "vitest";
import { createAttacker } from "../../attacker/index.js";
import { createClient } from "../../victim-client/index.js";
import { createServer } from "../../victim-server/index.js";
import { labFixtures, PASSWORDS, recorder } from "../helpers.js";

it("offer-plain harvests the password from a server that requires TLS, and the login then fails", async () => {
  const { pki, accounts } = await labFixtures();
  const rec = recorder();
  const server = createServer({ tls: "starttls-required", identity: pki.server, accounts, emit: rec.emit });
  const { port } = await server.start();
  const mallory = createAttacker({ upstream: { host: "127.0.0.1", port }, tactics: ["strip-starttls", "offer-plain", "loot"], emit: rec.emit });
  const m = await mallory.start();
  try {
    const err = await createClient({
      jid: "alice@lab.example", password: PASSWORDS.alice, connect: { host: "127.0.0.1", port: m.port },
      tls: "opportunistic", verify: { mode: "ca", ca: [pki.ca.cert] }, allowPlainWithoutTls: true, emit: rec.emit,
    }).start().catch((e) => e);
    expect(err).toMatchObject({ code: "AUTH_FAILED" }); // the server answers <encryption-required/>
    const loot = rec.events.filter((e) => e.kind === "loot").map((e) => (e as any).loot);
    expect(loot).toContainEqual({ type: "credential", mechanism: "PLAIN", username: "alice", password: PASSWORDS.alice });
    expect(rec.events.some((e) => e.node === "alice" && e.kind === "stanza" && e.label === "SASL failure <encryption-required/>")).toBe(true);
  } finally {
    await mallory.stop();
    await server.stop();
  }
});
