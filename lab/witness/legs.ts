import type { Element } from "ltx";
import { NS } from "../core/ns.js";
import { XmlStreamParser } from "../core/xml-stream.js";
import type { TapConnection } from "./taps.js";

/** What an observer on the leg could read of one connection: the elements before TLS. */
export interface ReadableConnection {
  c2s: Element[];
  s2c: Element[];
}

/**
 * Read one tapped connection with the lab's own framing (lab/core/xml-stream.ts), each
 * direction up to its TLS boundary: after `<starttls/>` toward the server and after
 * `<proceed/>` toward the client (RFC 6120 §5.4.2.3: TLS begins right after that element),
 * or nothing at all when a direction opens with a TLS record (0x16, RFC 8446 §5.1).
 */
export function readConnection(c: TapConnection): ReadableConnection {
  return { c2s: readDirection(c.c2s, "starttls"), s2c: readDirection(c.s2c, "proceed") };
}

function readDirection(chunks: Buffer[], boundary: "starttls" | "proceed"): Element[] {
  const out: Element[] = [];
  if (!chunks.length || chunks[0][0] === 0x16) return out;
  let done = false;
  const parser = new XmlStreamParser(
    {
      onStreamStart: () => {},
      onElement: (el) => {
        if (done) return;
        out.push(el);
        if (el.name === boundary && el.getNS() === NS.tls) {
          done = true;
          parser.pause();
        }
      },
      onStreamEnd: () => {},
      // Not well-formed from here: whatever follows is not XML this observer can read.
      onError: () => {
        done = true;
      },
    },
    16 * 1024 * 1024,
  );
  for (const chunk of chunks) {
    if (done) break;
    parser.write(chunk);
  }
  return out;
}
