import { describe, expect, it } from "vitest";
import { Capture } from "../../lab/core/capture.js";

/** Walk a pcapng file's blocks: [type, body] (draft-ietf-opsawg-pcapng §3.1). */
function blocks(buf: Buffer): Array<[number, Buffer]> {
  const out: Array<[number, Buffer]> = [];
  for (let o = 0; o < buf.length; ) {
    const type = buf.readUInt32LE(o);
    const len = buf.readUInt32LE(o + 4);
    expect(len % 4).toBe(0);
    expect(buf.readUInt32LE(o + len - 4)).toBe(len); // trailing length repeats the leading one
    out.push([type, buf.subarray(o + 8, o + len - 4)]);
    o += len;
  }
  return out;
}

function tcpOf(epb: Buffer) {
  const len = epb.readUInt32LE(12);
  const frame = epb.subarray(20, 20 + len);
  const ip = frame.subarray(14, 34);
  const tcp = frame.subarray(34);
  return { ip, tcp, dstPort: tcp.readUInt16BE(2), seq: tcp.readUInt32BE(4), ack: tcp.readUInt32BE(8), flags: tcp[13], payload: tcp.subarray(20) };
}

/** The Internet checksum over data that includes its checksum field is zero. */
function sums(...bufs: Buffer[]): number {
  let b = Buffer.concat(bufs);
  if (b.length % 2) b = Buffer.concat([b, Buffer.alloc(1)]);
  let s = 0;
  for (let i = 0; i < b.length; i += 2) s += b.readUInt16BE(i);
  while (s >> 16) s = (s & 0xffff) + (s >> 16);
  return ~s & 0xffff;
}

describe("pcapng capture of a TCP leg (lab/core/capture.ts)", () => {
  it("frames a leg with handshake, data, FINs, consistent sequence numbers and valid checksums", () => {
    const c = new Capture("test");
    c.keylog(Buffer.from("CLIENT_RANDOM 00 11\n"));
    const leg = c.leg("alice → mallory", { host: "127.0.0.1", port: 40000 }, { host: "127.0.0.1", port: 41234 });
    leg.data(true, Buffer.from("<stream>"));
    leg.data(false, Buffer.from("<ok/>"));
    leg.end(true);
    leg.end(false);
    const bs = blocks(c.toBuffer());
    expect(bs.map(([t]) => t)).toEqual([0x0a0d0d0a, 1, 0x0a, ...Array(9).fill(6)]);
    expect(bs[2][1].readUInt32LE(0)).toBe(0x544c534b); // TLS key log secrets
    const p = bs.slice(3).map(([, b]) => tcpOf(b));
    const [syn, synAck, , c2s, s2c, finC, , finS] = p;
    expect(p.every((x) => x.dstPort === 5222 || x.dstPort === 40000)).toBe(true); // XML first: shown on 5222
    expect(synAck.ack).toBe((syn.seq + 1) >>> 0);
    expect(c2s.seq).toBe((syn.seq + 1) >>> 0);
    expect(s2c.seq).toBe((synAck.seq + 1) >>> 0);
    expect(s2c.ack).toBe((c2s.seq + 8) >>> 0);
    expect(finC.seq).toBe((c2s.seq + 8) >>> 0);
    expect(finS.ack).toBe((finC.seq + 1) >>> 0);
    expect(c2s.payload.toString()).toBe("<stream>");
    for (const x of p) {
      expect(sums(x.ip)).toBe(0);
      const pseudo = Buffer.concat([x.ip.subarray(12, 20), Buffer.from([0, 6]), Buffer.from([(x.tcp.length >> 8) & 0xff, x.tcp.length & 0xff])]);
      expect(sums(pseudo, x.tcp)).toBe(0);
    }
  });

  it("shows a leg that starts with a TLS record on 5223, and says the real port in a comment", () => {
    const c = new Capture();
    const leg = c.leg("alice → server", { host: "127.0.0.1", port: 40001 }, { host: "127.0.0.1", port: 41235 });
    leg.data(true, Buffer.from([0x16, 3, 1, 0, 1, 1]));
    const buf = c.toBuffer();
    const epbs = blocks(buf).filter(([t]) => t === 6).map(([, b]) => tcpOf(b));
    expect(epbs[0].dstPort).toBe(5223);
    expect(buf.includes(Buffer.from("alice → server: 127.0.0.1:40001 → 127.0.0.1:41235"))).toBe(true);
  });
});
