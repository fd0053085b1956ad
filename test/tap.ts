import net from "node:net";

/** A loopback TCP forwarder that keeps every byte that crosses it, both ways. */
export function byteTap() {
  const bytes: Buffer[] = [];
  const servers: net.Server[] = [];
  return {
    bytes,
    all: () => Buffer.concat(bytes),
    interpose(target: number): Promise<number> {
      const srv = net.createServer((a) => {
        const b = net.connect(target, "127.0.0.1");
        a.on("data", (d) => (bytes.push(Buffer.from(d)), b.write(d)));
        b.on("data", (d) => (bytes.push(Buffer.from(d)), a.write(d)));
        a.on("close", () => b.destroy());
        b.on("close", () => a.destroy());
        a.on("error", () => {});
        b.on("error", () => {});
      });
      servers.push(srv);
      return new Promise((resolve) => srv.listen(0, "127.0.0.1", () => resolve((srv.address() as net.AddressInfo).port)));
    },
    close: () => servers.forEach((s) => s.close()),
  };
}
