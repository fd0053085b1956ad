/**
 * A pcapng writer for synthesised TCP: the bytes a node really sent and received, framed as
 * Ethernet/IPv4/TCP with a handshake, sequence and acknowledgement numbers and FINs, the way
 * sslsplit's logpkt.c frames decrypted payload - so Wireshark reads a capture taken without
 * root or a capture interface. Format: pcapng, draft-ietf-opsawg-pcapng (block types below).
 */

const BLOCK = { shb: 0x0a0d0d0a, idb: 0x00000001, epb: 0x00000006, dsb: 0x0000000a } as const;
/** LINKTYPE_ETHERNET. */
const LINKTYPE_ETHERNET = 1;
/** Decryption Secrets Block type for an NSS key log (SSLKEYLOGFILE), "TLSK". */
const SECRETS_TLS_KEYLOG = 0x544c534b;
const OPT_COMMENT = 1;

const pad4 = (n: number) => (4 - (n % 4)) % 4;

function options(opts: Array<[number, Buffer]>): Buffer {
  if (!opts.length) return Buffer.alloc(0);
  const parts: Buffer[] = [];
  for (const [code, value] of opts) {
    const h = Buffer.alloc(4);
    h.writeUInt16LE(code, 0);
    h.writeUInt16LE(value.length, 2);
    parts.push(h, value, Buffer.alloc(pad4(value.length)));
  }
  parts.push(Buffer.alloc(4)); // opt_endofopt
  return Buffer.concat(parts);
}

/** Block Type, Block Total Length, body, Block Total Length again (§3.1). */
function block(type: number, body: Buffer): Buffer {
  const len = 12 + body.length;
  const b = Buffer.alloc(len);
  b.writeUInt32LE(type, 0);
  b.writeUInt32LE(len, 4);
  body.copy(b, 8);
  b.writeUInt32LE(len, len - 4);
  return b;
}

export function sectionHeader(comment?: string): Buffer {
  const fixed = Buffer.alloc(16);
  fixed.writeUInt32LE(0x1a2b3c4d, 0); // byte-order magic
  fixed.writeUInt16LE(1, 4); // major
  fixed.writeUInt16LE(0, 6); // minor
  fixed.writeBigInt64LE(-1n, 8); // section length unknown
  return block(BLOCK.shb, Buffer.concat([fixed, options(comment ? [[OPT_COMMENT, Buffer.from(comment)]] : [])]));
}

export function interfaceDescription(): Buffer {
  const fixed = Buffer.alloc(8);
  fixed.writeUInt16LE(LINKTYPE_ETHERNET, 0);
  fixed.writeUInt32LE(0, 4); // no snap length
  // if_tsresol defaults to microseconds (10^-6), which is what the packet blocks use.
  return block(BLOCK.idb, fixed);
}

/** TLS secrets inside the file: Wireshark decrypts without a separate key-log file. */
export function decryptionSecrets(keylog: Buffer): Buffer {
  const fixed = Buffer.alloc(8);
  fixed.writeUInt32LE(SECRETS_TLS_KEYLOG, 0);
  fixed.writeUInt32LE(keylog.length, 4);
  return block(BLOCK.dsb, Buffer.concat([fixed, keylog, Buffer.alloc(pad4(keylog.length))]));
}

export function enhancedPacket(micros: bigint, frame: Buffer, comment?: string): Buffer {
  const fixed = Buffer.alloc(20);
  fixed.writeUInt32LE(0, 0); // interface 0
  fixed.writeUInt32LE(Number(micros >> 32n), 4);
  fixed.writeUInt32LE(Number(micros & 0xffffffffn), 8);
  fixed.writeUInt32LE(frame.length, 12);
  fixed.writeUInt32LE(frame.length, 16);
  return block(BLOCK.epb, Buffer.concat([fixed, frame, Buffer.alloc(pad4(frame.length)), options(comment ? [[OPT_COMMENT, Buffer.from(comment)]] : [])]));
}

export const TCP = { FIN: 0x01, SYN: 0x02, RST: 0x04, PSH: 0x08, ACK: 0x10 } as const;

export interface Segment {
  srcIp: string;
  dstIp: string;
  srcPort: number;
  dstPort: number;
  seq: number;
  ack: number;
  flags: number;
  payload: Buffer;
}

/** The largest payload one IPv4 packet carries with 20-byte IP and TCP headers. */
export const MAX_PAYLOAD = 65535 - 40;

const ipBytes = (ip: string) => Buffer.from(ip.split(".").map(Number));

/** The Internet checksum (RFC 1071) over the concatenation of `bufs`. */
function checksum(...bufs: Buffer[]): number {
  let b = Buffer.concat(bufs);
  if (b.length % 2) b = Buffer.concat([b, Buffer.alloc(1)]);
  let sum = 0;
  for (let i = 0; i < b.length; i += 2) sum += b.readUInt16BE(i);
  while (sum >> 16) sum = (sum & 0xffff) + (sum >> 16);
  return ~sum & 0xffff;
}

/** Ethernet II + IPv4 (RFC 791) + TCP (RFC 9293) around one segment, checksums included. */
export function tcpFrame(s: Segment): Buffer {
  const eth = Buffer.from([2, 0, 0, 0, 0, s.dstPort & 0xff, 2, 0, 0, 0, 0, s.srcPort & 0xff, 0x08, 0x00]);
  const tcp = Buffer.alloc(20);
  tcp.writeUInt16BE(s.srcPort, 0);
  tcp.writeUInt16BE(s.dstPort, 2);
  tcp.writeUInt32BE(s.seq >>> 0, 4);
  tcp.writeUInt32BE(s.ack >>> 0, 8);
  tcp.writeUInt8(5 << 4, 12); // data offset: 5 words, no options
  tcp.writeUInt8(s.flags, 13);
  tcp.writeUInt16BE(65535, 14); // window
  const pseudo = Buffer.alloc(12);
  ipBytes(s.srcIp).copy(pseudo, 0);
  ipBytes(s.dstIp).copy(pseudo, 4);
  pseudo.writeUInt8(6, 9);
  pseudo.writeUInt16BE(20 + s.payload.length, 10);
  tcp.writeUInt16BE(checksum(pseudo, tcp, s.payload), 16);
  const ip = Buffer.alloc(20);
  ip.writeUInt8(0x45, 0);
  ip.writeUInt16BE(20 + 20 + s.payload.length, 2);
  ip.writeUInt16BE(0x4000, 6); // don't fragment
  ip.writeUInt8(64, 8); // TTL
  ip.writeUInt8(6, 9); // TCP
  ipBytes(s.srcIp).copy(ip, 12);
  ipBytes(s.dstIp).copy(ip, 16);
  ip.writeUInt16BE(checksum(ip), 10);
  return Buffer.concat([eth, ip, tcp, s.payload]);
}
