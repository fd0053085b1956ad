import { spawn } from "node:child_process";
import tls from "node:tls";
import { generatePki } from "../lab/pki.js";
import { attackerProcess, median } from "./lib.js";

/** A TLS sink in its own process: counts bytes per connection, prints "D" when `total` arrived. */
const SINK = `
const tls = require("node:tls");
const total = Number(process.env.TOTAL);
const srv = tls.createServer({ cert: process.env.CERT, key: process.env.KEY }, (s) => {
  let got = 0;
  s.on("data", (d) => { got += d.length; if (got >= total) { process.stdout.write("D"); got = -Infinity; } });
  s.on("error", () => {});
});
srv.listen(0, "127.0.0.1", () => process.stdout.write("P" + srv.address().port + "\\n"));
`;

/**
 * Byte-relay throughput: a TLS client pushes MB to a TLS sink, directly and through mallory
 * (tactic observe: after the first byte it only relays records). Client, mallory and sink are
 * separate processes, as on stage; runs are interleaved so noise hits both sides.
 */
export interface RelayFigures {
  directMBs: number;
  viaMBs: number;
  bareMBs: number;
  /** mallory / direct: the target. */
  ratio: number;
  /** mallory / a bare pipe() relay: mallory's own cost, apart from the extra hop's. */
  overBare: number;
  rssMb: number;
}

export async function relayThroughput(totalMb = 128, layout: "shared" | "separate" = "shared"): Promise<RelayFigures> {
  const pki = await generatePki();
  const total = totalMb * 1024 * 1024;
  if (layout === "shared") return sharedLayout(pki, totalMb, total);
  const sink = spawn(process.execPath, ["-e", SINK], { env: { ...process.env, TOTAL: String(total), CERT: pki.server.cert, KEY: pki.server.key }, stdio: ["ignore", "pipe", "inherit"] });
  let out = "";
  const waiters: Array<() => void> = [];
  sink.stdout!.on("data", (d: Buffer) => {
    out += d;
    for (const ch of d.toString()) if (ch === "D") waiters.shift()?.();
  });
  const sinkPort = await new Promise<number>((resolve) => {
    const check = () => {
      const m = /P(\d+)\n/.exec(out);
      if (m) resolve(Number(m[1]));
      else setTimeout(check, 10);
    };
    check();
  });
  const result = await compare(sinkPort, pki.ca.cert, totalMb, total, () => new Promise<void>((r) => waiters.push(r)));
  sink.kill();
  return result;
}

/**
 * Client and sink in this process (one core), mallory in its own: does the relay keep up with
 * a flow when it has a core? On 2 cores, three CPU-bound processes cannot all run at once, so
 * the "separate" layout mostly measures the scheduler; both are printed.
 */
async function sharedLayout(pki: Awaited<ReturnType<typeof generatePki>>, totalMb: number, total: number) {
  let done: (() => void) | null = null;
  const server = tls.createServer({ cert: pki.server.cert, key: pki.server.key }, (s) => {
    let got = 0;
    s.on("data", (d) => {
      got += d.length;
      if (got >= total) done?.();
    });
    s.on("error", () => {});
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  const port = (server.address() as { port: number }).port;
  const result = await compare(port, pki.ca.cert, totalMb, total, () => new Promise<void>((r) => (done = r)));
  server.close();
  return result;
}

async function compare(sinkPort: number, ca: string, totalMb: number, total: number, arrival: () => Promise<void>) {
  const chunk = Buffer.alloc(64 * 1024, 0x61);
  async function push(port: number): Promise<number> {
    const done = arrival();
    const c = tls.connect({ port, host: "127.0.0.1", servername: "lab.example", ca: [ca] });
    await new Promise<void>((r) => c.once("secureConnect", () => r()));
    const t0 = performance.now();
    let sent = 0;
    const pump = () => {
      while (sent < total) {
        sent += chunk.length;
        if (!c.write(chunk)) return void c.once("drain", pump);
      }
    };
    pump();
    await done;
    const secs = (performance.now() - t0) / 1000;
    c.destroy();
    return totalMb / secs;
  }
  const mallory = await attackerProcess(sinkPort, "observe", ["--quiet"]);
  const bare = await attackerProcess(sinkPort, "bare-pipe");
  const direct: number[] = [];
  const via: number[] = [];
  const floor: number[] = [];
  // Single transfers swing widely here (275-580 MB/s direct alone), so: many interleaved
  // transfers, compared by their medians.
  for (let i = 0; i < 9; i++) {
    direct.push(await push(sinkPort));
    via.push(await push(mallory.port));
    floor.push(await push(bare.port));
  }
  const rssMb = mallory.peakRssMb();
  await Promise.all([mallory.stop(), bare.stop()]);
  const [d, v, f] = [median(direct), median(via), median(floor)];
  return { directMBs: d, viaMBs: v, bareMBs: f, ratio: v / d, overBare: v / f, rssMb };
}
