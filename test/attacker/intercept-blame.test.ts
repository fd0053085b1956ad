import net from "node:net";
import { Duplex } from "node:stream";
import tls from "node:tls";
import { expect, it } from "vitest";
import { createAttacker } from "../../attacker/index.js";
import { labFixtures, rawExchange, recorder } from "../helpers.js";

/** A real TLS ClientHello, as the first bytes a direct-TLS client (XEP-0368) sends. */
function clientHello(): Promise<Buffer> {
  return new Promise((resolve) => {
    const wire = new Duplex({
      read() {},
      write(chunk, _enc, cb) {
        resolve(Buffer.from(chunk));
        cb();
        setImmediate(() => t.destroy()); // the hello is all we want of this client
      },
    });
    const t = tls.connect({ socket: wire as net.Socket, servername: "lab.example", rejectUnauthorized: false });
    t.on("error", () => {});
  });
}

it("when her TLS to the server fails while the client's handshake with her is still open, she blames her own TLS, not the client", async () => {
  // The upstream is a STARTTLS port: it answers a ClientHello with a stream error in XML and
  // closes (as Prosody does, RFC 6120 §4.9.3.13), so her TLS fails at once. The client sent its
  // ClientHello and never answers her ServerHello: its handshake is still open when hers fails.
  // She used to report "the client hung up" - the close of the server's socket tore the client
  // down, and that failure was read as the client's (a race the interop test lost half the time).
  const upstream = net.createServer((s) => {
    s.on("error", () => {});
    s.once("data", () => s.end("<?xml version='1.0'?><stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams' version='1.0'><stream:error><not-well-formed xmlns='urn:ietf:params:xml:ns:xmpp-streams'/></stream:error></stream:stream>"));
  });
  await new Promise<void>((r) => upstream.listen(0, "127.0.0.1", () => r()));
  const { pki } = await labFixtures();
  const rec = recorder();
  const mallory = createAttacker({ upstream: { host: "127.0.0.1", port: (upstream.address() as net.AddressInfo).port }, tactics: ["intercept-tls"], identity: pki.server, emit: rec.emit });
  const { port } = await mallory.start();
  try {
    await rawExchange(port, [await clientHello()], 5000);
    await mallory.stop();
    const moves = rec.events.flatMap((e) => (e.kind === "move" ? [e.move.type] : []));
    expect(moves).toEqual(["tls-answered", "server-tls-failed"]);
  } finally {
    await mallory.stop();
    upstream.close();
  }
});
