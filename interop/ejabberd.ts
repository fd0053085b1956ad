import { type ChildProcess, spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { LabPki } from "../lab/pki.js";
import { freePort, waitForPort } from "./prosody.js";

/** Debian installs ejabberd's Erlang application under /usr/lib/<multiarch>/ejabberd-<version>. */
function erlLibs(): string {
  for (const d of fs.readdirSync("/usr/lib")) {
    const full = path.join("/usr/lib", d);
    if (d.includes("-linux-") && fs.readdirSync(full).some((e) => e.startsWith("ejabberd-"))) return full;
  }
  throw new Error("ejabberd's Erlang application is not installed (Debian package ejabberd)");
}

export interface Ejabberd {
  /** STARTTLS offered, not required (ejabberd's `starttls: true`). */
  optional: number;
  /** `starttls_required: true`, as Debian's shipped config has it. */
  required: number;
  /** TLS from the first byte (`tls: true`). */
  direct: number;
  /** STARTTLS required, TLS 1.2 at most: where tls-unique is defined (RFC 5929 §3.1). */
  requiredTls12: number;
  log: () => string;
  stop(): Promise<void>;
}

/**
 * A real ejabberd (Debian's 23.01) in the foreground on loopback, one node for every variant:
 * four c2s listeners. It runs as a plain Erlang VM without distribution (nonode@nohost), so it
 * opens no epmd or distribution port; the accounts are registered by an -eval once it started.
 */
export async function startEjabberd(pki: LabPki, users: Record<string, string>): Promise<Ejabberd> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "lab-ejabberd-"));
  const pem = path.join(dir, "lab.example.pem");
  fs.writeFileSync(pem, pki.server.cert + pki.server.key, { mode: 0o600 });
  fs.writeFileSync(path.join(dir, "ca.pem"), pki.ca.cert);
  const [optional, required, direct, requiredTls12] = [await freePort(), await freePort(), await freePort(), await freePort()];
  const c2s = (port: number, extra: string) => `  - port: ${port}\n    ip: "127.0.0.1"\n    module: ejabberd_c2s\n${extra}`;
  const config = [
    "loglevel: info",
    "log_rotate_count: 0",
    "hosts:\n  - lab.example",
    `certfiles:\n  - "${pem}"`,
    `ca_file: "${path.join(dir, "ca.pem")}"`,
    "listen:",
    c2s(optional, "    starttls: true\n"),
    c2s(required, "    starttls_required: true\n"),
    c2s(direct, "    tls: true\n"),
    c2s(requiredTls12, '    starttls_required: true\n    protocol_options:\n      - "no_tlsv1_3"\n'),
    "auth_method: internal",
    "auth_password_format: scram",
    'acl:\n  local:\n    user_regexp: ""',
    "access_rules:\n  c2s:\n    allow: all",
    "modules:\n  mod_roster: {}\n  mod_ping: {}\n  mod_disco: {}",
    "",
  ].join("\n");
  fs.writeFileSync(path.join(dir, "ejabberd.yml"), config);
  const logFile = path.join(dir, "ejabberd.log");
  const register = Object.entries(users)
    .map(([u, p]) => `ok = ejabberd_auth:try_register(<<"${u}">>, <<"lab.example">>, <<"${p}">>)`)
    .join(", ");
  const child: ChildProcess = spawn(
    "erl",
    ["-noinput", "-mnesia", "dir", JSON.stringify(path.join(dir, "db")), "-s", "ejabberd", "-eval", `${register}, io:format("LAB-READY~n")`],
    {
      cwd: dir,
      env: { ...process.env, HOME: dir, EJABBERD_CONFIG_PATH: path.join(dir, "ejabberd.yml"), EJABBERD_LOG_PATH: logFile, ERL_LIBS: erlLibs(), ERL_CRASH_DUMP_BYTES: "0" },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  let out = "";
  child.stdout!.on("data", (d) => (out += d));
  child.stderr!.on("data", (d) => (out += d));
  await new Promise<void>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`ejabberd did not start within 30 s:\n${out.slice(-2000)}`)), 30_000);
    child.stdout!.on("data", () => out.includes("LAB-READY") && (clearTimeout(t), resolve()));
    child.once("exit", (code) => (clearTimeout(t), reject(new Error(`ejabberd exited ${code}:\n${out.slice(-2000)}`))));
  });
  await Promise.all([optional, required, direct, requiredTls12].map((p) => waitForPort(p)));
  return {
    optional, required, direct, requiredTls12,
    log: () => (fs.existsSync(logFile) ? fs.readFileSync(logFile, "utf8") : ""),
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        const hard = setTimeout(() => child.kill("SIGKILL"), 10_000); // bounded, even under load
        child.once("exit", () => (clearTimeout(hard), resolve()));
        child.kill("SIGTERM");
      }),
  };
}
