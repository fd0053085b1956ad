import { type ChildProcess, spawn } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import path from "node:path";

export const ROOT = path.dirname(path.dirname(new URL(import.meta.url).pathname));
export const BIN = path.join(ROOT, "dist/mitm-lab.mjs");

/**
 * The attacker in its own process, as it runs on stage: `mitm-lab attacker ...` (or, with
 * tactics "bare-pipe", bench/bare-relay.mjs for comparison).
 * PROF=1 makes it write a V8 CPU profile to /tmp/prof (how the relay's hot spots were found).
 */
export async function attackerProcess(upstream: number, tactics: string, extra: string[] = []): Promise<{ port: number; child: ChildProcess; peakRssMb(): number; stop(): Promise<void> }> {
  const args = tactics === "bare-pipe"
    ? [path.join(ROOT, "bench/bare-relay.mjs"), String(upstream)] // the floor: a bare pipe() relay
    : [...(process.env.PROF ? ["--cpu-prof", "--cpu-prof-dir=/tmp/prof"] : []), BIN, "attacker", "--listen", "127.0.0.1:0", "--upstream", `127.0.0.1:${upstream}`, "--tactic", tactics, ...extra];
  const child = spawn(process.execPath, args, { stdio: ["ignore", "pipe", "ignore"] });
  let out = "";
  const port = await new Promise<number>((resolve, reject) => {
    child.stdout!.on("data", (d) => {
      out += d;
      const m = /listening on port (\d+)/.exec(out);
      if (m) resolve(Number(m[1]));
    });
    child.once("exit", (c) => reject(new Error("attacker exited " + c)));
  });
  return {
    port,
    child,
    peakRssMb() {
      const status = fs.readFileSync(`/proc/${child.pid}/status`, "utf8");
      return Number(/VmHWM:\s+(\d+)/.exec(status)![1]) / 1024;
    },
    stop: () => new Promise((r) => (child.once("exit", () => r()), child.kill("SIGTERM"))),
  };
}

export function listenSink(onConn: (s: net.Socket) => void): Promise<{ port: number; close(): void }> {
  return new Promise((resolve) => {
    const srv = net.createServer(onConn);
    srv.listen(0, "127.0.0.1", () => resolve({ port: (srv.address() as net.AddressInfo).port, close: () => srv.close() }));
  });
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}
