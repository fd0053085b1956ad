import net from "node:net";
import type { Capture } from "./core/capture.js";
import { closeServer, type HostPort, listen } from "./core/net.js";

/**
 * A loopback relay that records every byte crossing it as one capture leg per connection. It is
 * how `--pcap` sees a node's TCP legs without root: the relay sits in front of a listener (or a
 * target), forwards bytes untouched in both directions, and passes on half-closes, so the
 * node's TLS - STARTTLS included - is exactly what it would be without it.
 */
export async function captureRelay(capture: Capture, name: string, target: HostPort, on: HostPort = { host: "127.0.0.1", port: 0 }, facing?: "relay") {
  let port = 0;
  const server = net.createServer({ allowHalfOpen: true }, (a) => {
    // The leg's server end: the node behind the relay, or - for a standalone node whose own
    // --listen the relay took over - the address its clients connected to.
    const end = facing === "relay" ? { host: on.host, port } : target;
    const leg = capture.leg(name, { host: a.remoteAddress ?? "127.0.0.1", port: a.remotePort ?? 0 }, end);
    a.pause();
    const b = net.connect({ host: target.host, port: target.port, allowHalfOpen: true, noDelay: true });
    a.setNoDelay(true);
    b.once("connect", () => a.resume());
    a.on("data", (d: Buffer) => {
      leg.data(true, d);
      b.write(d);
    });
    b.on("data", (d: Buffer) => {
      leg.data(false, d);
      a.write(d);
    });
    a.on("end", () => (leg.end(true), b.end()));
    b.on("end", () => (leg.end(false), a.end()));
    // A reset or an error ends both sides; the leg shows it as FINs (the bytes are what matter).
    a.on("close", () => (leg.end(true), b.destroy()));
    b.on("close", () => (leg.end(false), a.destroy()));
    a.on("error", () => {});
    b.on("error", () => {});
  });
  port = await listen(server, on);
  return { port, close: () => closeServer(server) };
}
