import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import type { LabPki } from "../lab/pki.js";

export async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, "127.0.0.1", () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

export function waitForPort(port: number, ms = 5000): Promise<void> {
  const until = Date.now() + ms;
  return new Promise((resolve, reject) => {
    const attempt = () => {
      const s = net.connect(port, "127.0.0.1");
      s.once("connect", () => (s.destroy(), resolve()));
      s.once("error", () => {
        s.destroy();
        if (Date.now() > until) reject(new Error(`nothing listens on ${port} after ${ms} ms`));
        else setTimeout(attempt, 25);
      });
    };
    attempt();
  });
}

export interface Prosody {
  c2s: number;
  direct: number;
  /** Prosody's own log (info level): who authenticated, with what. */
  log: () => string;
  stop(): Promise<void>;
}

/** A real Prosody (Debian's package) in the foreground, on loopback, with the lab's certificate. */
export async function startProsody(pki: LabPki, opts: { requireEncryption: boolean; users: Record<string, string>; plainInClear?: boolean }): Promise<Prosody> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "lab-prosody-"));
  fs.mkdirSync(path.join(dir, "certs"));
  fs.mkdirSync(path.join(dir, "data"));
  // Exactly one certificate for the domain in the directory: Prosody picks by SNI from it.
  fs.writeFileSync(path.join(dir, "certs/lab.example.crt"), pki.server.cert);
  fs.writeFileSync(path.join(dir, "certs/lab.example.key"), pki.server.key, { mode: 0o600 });
  const [c2s, direct] = [await freePort(), await freePort()];
  const config = path.join(path.dirname(new URL(import.meta.url).pathname), "prosody.cfg.lua");
  const env = { ...process.env, LAB_DIR: dir, LAB_C2S: String(c2s), LAB_DIRECT: String(direct), LAB_REQUIRE: opts.requireEncryption ? "1" : "0", LAB_PLAIN: (opts.plainInClear ?? !opts.requireEncryption) ? "1" : "0" };
  for (const [user, password] of Object.entries(opts.users)) {
    execFileSync("prosodyctl", ["--config", config, "register", user, "lab.example", password], { env, stdio: "ignore" });
  }
  const child: ChildProcess = spawn("prosody", ["-F", "--config", config], { env, stdio: "ignore" });
  await Promise.all([waitForPort(c2s), waitForPort(direct)]);
  return {
    c2s,
    direct,
    log: () => (fs.existsSync(path.join(dir, "prosody.log")) ? fs.readFileSync(path.join(dir, "prosody.log"), "utf8") : ""),
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        const hard = setTimeout(() => child.kill("SIGKILL"), 10_000); // bounded, even under load
        child.once("exit", () => (clearTimeout(hard), resolve()));
        child.kill("SIGTERM");
      }),
  };
}
