import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createClient } from "../victim-client/index.js";
import { createServer, type VictimServer } from "../victim-server/index.js";
import { HEADER, labFixtures, PASSWORDS, rawExchange, recorder } from "./helpers.js";

const streamError = (cond: string) => new RegExp(`<stream:error><${cond} xmlns="urn:ietf:params:xml:ns:xmpp-streams"/>.*</stream:error></stream:stream>`);

describe("the lab server against a hostile peer (real sockets)", () => {
  let server: VictimServer;
  let port: number;
  const rec = recorder();

  beforeAll(async () => {
    const { pki, accounts } = await labFixtures();
    server = createServer({ tls: "starttls", identity: pki.server, accounts, emit: rec.emit, maxStanza: 256 * 1024 });
    ({ port } = await server.start());
  });
  afterAll(() => server.stop());

  it.each(([
    ["garbage", ["this is not xml"], "not-well-formed"],
    ["a DOCTYPE", [HEADER, "<!DOCTYPE x [<!ENTITY a 'b'>]>"], "restricted-xml"],
    ["a comment", [HEADER, "<!-- hi -->"], "restricted-xml"],
    ["a processing instruction", [HEADER, "<?php evil ?>"], "restricted-xml"],
    ["an unknown entity", [HEADER, "<message>&lol;</message>"], "restricted-xml"],
    ["a 10 MB stanza", [HEADER, "<message><body>", ...Array(10).fill("x".repeat(1024 * 1024))], "policy-violation"],
    ["a stanza before authentication", [HEADER, "<message to='bob@lab.example'><body>hi</body></message>"], "not-authorized"],
    ["a wrong domain", [HEADER.replace("lab.example", "other.example")], "host-unknown"],
  ] as Array<[string, string[], string]>).map(([name, chunks, cond]) => ({ name, chunks, cond })))("answers $name with <$cond/> and closes the stream", async ({ chunks, cond }) => {
    const got = await rawExchange(port, chunks);
    expect(got).toMatch(streamError(cond));
  });

  it("closes with <policy-violation/> on bytes pipelined after <starttls/> and never answers them (§5.4.3.1, §5.4.3.3)", async () => {
    const got = await rawExchange(port, [HEADER, "<starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'/><iq type='set' id='inj'><query/></iq>"]);
    expect(got).not.toContain("<proceed");
    expect(got).not.toContain("id='inj'");
    expect(got).toMatch(streamError("policy-violation"));
    expect(rec.events.some((e) => e.kind === "error" && e.code === "STARTTLS_INJECTION")).toBe(true);
  });

  it("keeps serving other sessions after all that", async () => {
    const { pki } = await labFixtures();
    const alice = await createClient({
      jid: "alice@lab.example", password: PASSWORDS.alice, connect: { host: "127.0.0.1", port },
      tls: "required", verify: { mode: "ca", ca: [pki.ca.cert] },
    }).start();
    expect(alice.jid).toBe("alice@lab.example/lab");
    await alice.close();
  });
});

describe("split UTF-8 through the real server", () => {
  it("delivers a body whose multibyte characters were cut across TCP writes", async () => {
    const { accounts, pki } = await labFixtures();
    const server = createServer({ tls: "none", allowPlainCleartext: true, mechanisms: ["PLAIN"], identity: pki.server, accounts });
    const { port } = await server.start();
    try {
      const bob = await createClient({ jid: "bob@lab.example", password: PASSWORDS.bob, connect: { host: "127.0.0.1", port }, tls: "off", verify: { mode: "none" }, allowPlainWithoutTls: true }).start();
      const body = "Grüße 😀 €100";
      const bytes = Buffer.from(`<message to='bob@lab.example' type='chat'><body>${body}</body></message>`);
      const cut = bytes.indexOf(Buffer.from("😀")) + 2; // in the middle of the 4-byte emoji
      const auth = Buffer.from("\0alice\0" + PASSWORDS.alice).toString("base64");
      await rawExchange(port, [
        HEADER,
        `<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='PLAIN'>${auth}</auth>`,
        HEADER,
        "<iq type='set' id='b'><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'/></iq>",
        bytes.subarray(0, cut),
        bytes.subarray(cut),
        "</stream:stream>",
      ], 1500);
      const got = await bob.waitForMessages(1);
      expect(got[0]?.body).toBe(body);
      await bob.close();
    } finally {
      await server.stop();
    }
  });
});
