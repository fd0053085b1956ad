import { type ChildProcess, spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

const root = path.dirname(path.dirname(new URL(import.meta.url).pathname));
export const BIN = path.join(root, "dist/mitm-lab.mjs");
export const SLIX = path.join(root, "interop/slix_client.py");

export interface Proc {
  child: ChildProcess;
  out: () => string;
  err: () => string;
  exit: Promise<number>;
  stop(): Promise<number>;
}

/** Start a process; bounded: killed after `ms`. */
export function proc(cmd: string, args: string[], opts: { ms?: number; env?: NodeJS.ProcessEnv; stdin?: string } = {}): Proc {
  const child = spawn(cmd, args, { env: { ...process.env, ...opts.env }, stdio: ["pipe", "pipe", "pipe"] });
  let out = "";
  let err = "";
  child.stdout!.on("data", (d) => (out += d));
  child.stderr!.on("data", (d) => (err += d));
  if (opts.stdin !== undefined) child.stdin!.end(opts.stdin);
  const timer = setTimeout(() => child.kill("SIGKILL"), opts.ms ?? 20_000);
  const exit = new Promise<number>((resolve) => child.on("exit", (code, signal) => (clearTimeout(timer), resolve(code ?? (signal ? 128 : 1)))));
  return {
    child,
    out: () => out,
    err: () => err,
    exit,
    stop() {
      if (child.exitCode === null) child.kill("SIGTERM");
      // Bounded: a process that ignores SIGTERM under load is killed after 10 s.
      const hard = setTimeout(() => child.exitCode === null && child.kill("SIGKILL"), 10_000);
      return exit.finally(() => clearTimeout(hard));
    },
  };
}

/** Start a long-running mitm-lab node and wait for its "listening on port N" line. */
export async function labNode(args: string[], ms = 60_000): Promise<Proc & { port: number }> {
  const p = proc(process.execPath, [BIN, ...args], { ms });
  const port = await new Promise<number>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`no listening line from mitm-lab ${args[0]}: ${p.err()}`)), 5000);
    p.child.stdout!.on("data", () => {
      const m = /listening on port (\d+)/.exec(p.out());
      if (m) clearTimeout(t), resolve(Number(m[1]));
    });
    p.exit.then((code) => reject(new Error(`mitm-lab ${args[0]} exited ${code}: ${p.err()}`)));
  });
  return Object.assign(p, { port });
}

export function tmpdir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export function jsonl(file: string): Array<Record<string, any>> {
  if (!fs.existsSync(file)) return [];
  return fs.readFileSync(file, "utf8").split("\n").filter(Boolean).map((l) => JSON.parse(l));
}
