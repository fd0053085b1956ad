import type net from "node:net";
import { Duplex } from "node:stream";

/**
 * The bytes between `<starttls/>`/`<proceed/>` and the first TLS record. RFC 6120 §5.3.3 forbids
 * whitespace there, but whitespace carries no command: go-sendxmpp sends a newline after
 * `<starttls/>`, and Prosody discards it. So does the lab, whether the whitespace came in the
 * same read as the element (XmppConnection) or in a later one (here). A TLS record never
 * starts with whitespace (its first byte is a content type, 20-24), so dropping leading
 * whitespace cannot eat TLS. Anything else is left for TLS to refuse.
 */

const isWs = (b: number) => b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09;

/**
 * Server side: wait, discarding whitespace, for the client's first other byte (its
 * ClientHello), and leave it unread so a TLSSocket made now reads it. Resolves false if the
 * socket closed first. Call it in the same tick as removing the socket's other 'data' listener.
 */
export function untilNotWhitespace(raw: net.Socket): Promise<boolean> {
  return new Promise((resolve) => {
    const done = (ok: boolean) => {
      raw.off("data", onData);
      raw.off("close", onClose);
      raw.off("error", onClose);
      resolve(ok);
    };
    const onData = (chunk: Buffer) => {
      let i = 0;
      while (i < chunk.length && isWs(chunk[i])) i++;
      if (i === chunk.length) return;
      raw.pause();
      raw.unshift(chunk.subarray(i)); // Node's TLSSocket reads what the socket already buffered
      done(true);
    };
    const onClose = () => done(false);
    raw.on("data", onData);
    raw.once("close", onClose);
    raw.once("error", onClose);
  });
}

/**
 * Client side: the client speaks first in TLS, so it cannot wait for the server's first byte.
 * This stream hands TLS the server's bytes from the first one that is not whitespace.
 */
export function withoutLeadingWhitespace(raw: net.Socket): Duplex {
  let started = false;
  const d = new Duplex({
    read: () => void raw.resume(),
    write: (chunk: Buffer, _enc, cb) => void raw.write(chunk, cb),
    final: (cb) => {
      raw.end();
      cb();
    },
    destroy: (err, cb) => {
      raw.destroy();
      cb(err);
    },
  });
  raw.on("data", (chunk: Buffer) => {
    if (!started) {
      let i = 0;
      while (i < chunk.length && isWs(chunk[i])) i++;
      if (i === chunk.length) return;
      started = true;
      chunk = chunk.subarray(i);
    }
    if (!d.push(chunk)) raw.pause();
  });
  raw.on("end", () => d.push(null));
  raw.on("error", (err) => d.destroy(err));
  raw.on("close", () => d.destroy());
  return d;
}
