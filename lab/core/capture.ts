import crypto from "node:crypto";
import type { HostPort } from "./net.js";
import { decryptionSecrets, enhancedPacket, interfaceDescription, MAX_PAYLOAD, sectionHeader, TCP, tcpFrame } from "./pcapng.js";

/**
 * What a node saw on its TCP connections, kept as legs and written as one pcapng file
 * (`--pcap FILE`), with the TLS secrets of the run inside it (a Decryption Secrets Block).
 *
 * Port shown for the server side of a leg: Wireshark's XMPP dissector is bound to TCP port
 * 5222 (and follows <proceed/> into TLS from there), and the lab's ports are ephemeral. So a
 * leg whose client speaks XML first is shown on port 5222, one whose client starts with a TLS
 * record (direct TLS, XEP-0368) on 5223; the real port is in a comment on the leg's SYN and in
 * the file's header comment. Addresses, client ports and every payload byte are real.
 */
export interface CaptureLeg {
  data(fromClient: boolean, bytes: Buffer): void;
  /** The side that sent a FIN (or closed). */
  end(fromClient: boolean): void;
}

interface Packet {
  leg: Leg;
  micros: bigint;
  fromClient: boolean;
  flags: number;
  seq: number;
  ack: number;
  payload: Buffer;
  comment?: string;
}

interface Leg {
  name: string;
  client: HostPort;
  server: HostPort;
  shownPort: number | null;
  next: { client: number; server: number };
  ended: { client: boolean; server: boolean };
}

/** The port the XMPP dissector (5222) or TLS-then-XMPP (5223) is found on; see above. */
export const SHOWN_PORT = { xml: 5222, directTls: 5223 } as const;

const now = () => BigInt(Math.round((performance.timeOrigin + performance.now()) * 1000));

export class Capture {
  private readonly packets: Packet[] = [];
  private readonly secrets: Buffer[] = [];

  constructor(private readonly comment = "xmpp-mitm-lab capture (synthesised TCP framing of the real bytes)") {}

  /** Record a TLS secret (one SSLKEYLOGFILE line): a tls.ts KeyLog. */
  readonly keylog = (line: Buffer): void => {
    this.secrets.push(Buffer.from(line));
  };

  leg(name: string, client: HostPort, server: HostPort): CaptureLeg {
    // Initial sequence numbers are random, as a real stack's are (RFC 9293 §3.4.1).
    const isn = () => crypto.randomBytes(4).readUInt32BE(0);
    const leg: Leg = { name, client, server, shownPort: null, next: { client: isn(), server: isn() }, ended: { client: false, server: false } };
    const t = now();
    // The three-way handshake (RFC 9293 §3.5).
    this.push(leg, t, true, TCP.SYN, Buffer.alloc(0), `${name}: ${client.host}:${client.port} → ${server.host}:${server.port}`);
    leg.next.client++;
    this.push(leg, t, false, TCP.SYN | TCP.ACK, Buffer.alloc(0));
    leg.next.server++;
    this.push(leg, t, true, TCP.ACK, Buffer.alloc(0));
    return {
      data: (fromClient, bytes) => {
        if (leg.shownPort === null && fromClient) leg.shownPort = bytes[0] === 0x16 ? SHOWN_PORT.directTls : SHOWN_PORT.xml;
        for (let i = 0; i < bytes.length; i += MAX_PAYLOAD) {
          const chunk = Buffer.from(bytes.subarray(i, i + MAX_PAYLOAD));
          this.push(leg, now(), fromClient, TCP.PSH | TCP.ACK, chunk);
          leg.next[fromClient ? "client" : "server"] += chunk.length;
        }
      },
      end: (fromClient) => {
        const side = fromClient ? "client" : "server";
        if (leg.ended[side]) return;
        leg.ended[side] = true;
        const t2 = now();
        this.push(leg, t2, fromClient, TCP.FIN | TCP.ACK, Buffer.alloc(0));
        leg.next[side]++;
        this.push(leg, t2, !fromClient, TCP.ACK, Buffer.alloc(0));
      },
    };
  }

  private push(leg: Leg, micros: bigint, fromClient: boolean, flags: number, payload: Buffer, comment?: string): void {
    const seq = fromClient ? leg.next.client : leg.next.server;
    const ack = flags & TCP.ACK ? (fromClient ? leg.next.server : leg.next.client) : 0;
    this.packets.push({ leg, micros, fromClient, flags, seq, ack, payload, comment });
  }

  /** Legs recorded so far, by name: what a test or a summary line can count. */
  get legs(): string[] {
    return [...new Set(this.packets.map((p) => p.leg.name))];
  }

  /** The pcapng file: header, interface, the secrets (before any packet needs them), packets. */
  toBuffer(): Buffer {
    const real = [...new Set(this.packets.map((p) => p.leg))].map((l) => `${l.name}: server port ${l.server.port} shown as ${l.shownPort ?? SHOWN_PORT.xml}`);
    const out = [sectionHeader([this.comment, ...real].join("\n")), interfaceDescription()];
    if (this.secrets.length) out.push(decryptionSecrets(Buffer.concat(this.secrets)));
    for (const p of this.packets) {
      const port = p.leg.shownPort ?? SHOWN_PORT.xml;
      const c = p.leg.client;
      const s = { host: p.leg.server.host, port };
      const [src, dst] = p.fromClient ? [c, s] : [s, c];
      const frame = tcpFrame({ srcIp: ipv4(src.host), dstIp: ipv4(dst.host), srcPort: src.port, dstPort: dst.port, seq: p.seq, ack: p.ack, flags: p.flags, payload: p.payload });
      const comment = p.comment ? `${p.comment} (shown as port ${port} so Wireshark decodes XMPP)` : undefined;
      out.push(enhancedPacket(p.micros, frame, comment));
    }
    return Buffer.concat(out);
  }
}

/** The lab listens on IPv4 loopback; "::ffff:127.0.0.1" and "localhost" are written as 127.0.0.1. */
function ipv4(host: string): string {
  const m = /(\d+\.\d+\.\d+\.\d+)$/.exec(host);
  return m ? m[1] : "127.0.0.1";
}
