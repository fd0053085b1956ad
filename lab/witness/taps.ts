import net from "node:net";
import type { Capture } from "../core/capture.js";

/** The two legs of alice's path that mallory sits between. */
export type Leg = "alice-mallory" | "mallory-server";

/** Every byte of one TCP connection across a leg, both ways, in the chunks it came in. */
export interface TapConnection {
  /** Which listener it went to ("main", "direct"): for the record only. */
  to: string;
  c2s: Buffer[];
  s2c: Buffer[];
  /**
   * The local port of the tap's own socket toward the target: the peer port the target (mallory)
   * reports in its `connected` event, so a connection of hers can be told to be this one. null
   * until that socket connects.
   */
  via: number | null;
}

export interface LegTap {
  leg: Leg;
  readonly connections: TapConnection[];
  /** Forward a new loopback port to `target`, keeping every byte; resolves with the new port. */
  interpose(target: number, to: string): Promise<number>;
  close(): Promise<void>;
}

/**
 * A loopback TCP forwarder the runner owns, on one leg: it keeps every byte that crosses, both
 * ways, and changes nothing (chunks go on as they came; an end is passed on as an end). The
 * witness reads these bytes with the lab's own framing - never mallory's - to say what an
 * on-path observer could read (lab/witness/legs.ts).
 */
export function legTap(leg: Leg, pcap?: { capture: Capture; prefix: string }): LegTap {
  const connections: TapConnection[] = [];
  const servers: net.Server[] = [];
  const sockets = new Set<net.Socket>();
  const track = (s: net.Socket) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
    s.on("error", () => {});
    s.setNoDelay(true);
  };
  return {
    leg,
    connections,
    interpose(target, to) {
      const srv = net.createServer((a) => {
        const c: TapConnection = { to, c2s: [], s2c: [], via: null };
        connections.push(c);
        const b = net.connect({ port: target, host: "127.0.0.1" });
        b.once("connect", () => (c.via = b.localPort ?? null));
        track(a);
        track(b);
        // `run --pcap`: the same bytes, in the order they crossed, as one leg of the capture.
        const cap = pcap?.capture.leg(`${pcap.prefix}: ${leg} (${to})`, { host: "127.0.0.1", port: a.remotePort ?? 0 }, { host: "127.0.0.1", port: target });
        a.on("data", (d: Buffer) => {
          c.c2s.push(Buffer.from(d));
          cap?.data(true, d);
          b.write(d);
        });
        b.on("data", (d: Buffer) => {
          c.s2c.push(Buffer.from(d));
          cap?.data(false, d);
          a.write(d);
        });
        a.on("end", () => (cap?.end(true), b.end()));
        b.on("end", () => (cap?.end(false), a.end()));
        a.on("close", () => cap?.end(true));
        b.on("close", () => cap?.end(false));
        a.on("close", () => b.destroy());
        b.on("close", () => a.destroy());
      });
      servers.push(srv);
      return new Promise((resolve) => srv.listen(0, "127.0.0.1", () => resolve((srv.address() as net.AddressInfo).port)));
    },
    async close() {
      for (const s of sockets) s.destroy();
      await Promise.all(servers.map((s) => new Promise<void>((r) => s.close(() => r()))));
    },
  };
}
