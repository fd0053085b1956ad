import fs from "node:fs";
import path from "node:path";
import type { LabPki } from "../lab/pki.js";
import { type ClientSession, createClient } from "../victim-client/index.js";
import { startEjabberd } from "./ejabberd.js";
import { labNode, tmpdir } from "./helpers.js";
import { startProsody } from "./prosody.js";

/** A login the server itself recorded: the witness for mallory's claims. */
export interface ServerAuth {
  user: string;
  /** Null where the server's log does not name it (Prosody 0.12 at info level). */
  mechanism: string | null;
}

/** One running server process: its log, and bob connected to it directly (his inbox). */
export interface Instance {
  /** Logins recorded since `mark()`. */
  authsSince(mark: number): ServerAuth[];
  mark(): number;
  bob: ClientSession;
}

export type Port = { instance: Instance; port: number };

/** A server of the matrix: where its STARTTLS-optional, STARTTLS-required and direct-TLS ports are. */
export interface RealServer {
  name: string;
  optional: Port;
  required: Port;
  direct: Port;
  stop(): Promise<void>;
}

export interface Setup {
  pki: LabPki;
  pkiDir: string;
  users: Record<string, string>;
}

async function bobOn(port: number, s: Setup): Promise<ClientSession> {
  return createClient({
    name: "bob", jid: "bob@lab.example", password: s.users.bob, resource: "inbox",
    connect: { host: "127.0.0.1", port }, tls: "required", verify: { mode: "ca", ca: [s.pki.ca.cert] }, timeoutMs: 15_000,
  }).start();
}

function textLog(read: () => string, parse: (line: string) => ServerAuth | null, bob: ClientSession): Instance {
  return {
    bob,
    mark: () => read().length,
    authsSince: (mark) => read().slice(mark).split("\n").map(parse).filter((a): a is ServerAuth => a !== null),
  };
}

/** Prosody 0.12: "c2s… info Authenticated as alice@lab.example". */
const prosodyAuth = (line: string) => {
  const m = /\tAuthenticated as ([^@\s]+)@/.exec(line);
  return m ? { user: m[1], mechanism: null } : null;
};

/** ejabberd 23.01: "(tls|tcp|…) Accepted c2s SCRAM-SHA-1 authentication for alice@lab.example …". */
const ejabberdAuth = (line: string) => {
  const m = /Accepted c2s (\S+) authentication for ([^@\s]+)@/.exec(line);
  return m ? { user: m[2], mechanism: m[1] } : null;
};

export async function prosody(s: Setup): Promise<RealServer> {
  // Optional: STARTTLS offered, and - Prosody's default - no PLAIN before TLS.
  const opt = await startProsody(s.pki, { requireEncryption: false, plainInClear: false, users: s.users });
  const req = await startProsody(s.pki, { requireEncryption: true, users: s.users });
  const [o, r] = [textLog(opt.log, prosodyAuth, await bobOn(opt.c2s, s)), textLog(req.log, prosodyAuth, await bobOn(req.c2s, s))];
  return {
    name: "Prosody 0.12",
    optional: { instance: o, port: opt.c2s },
    required: { instance: r, port: req.c2s },
    direct: { instance: r, port: req.direct },
    async stop() {
      await Promise.all([o.bob.close(), r.bob.close()]);
      await Promise.all([opt.stop(), req.stop()]);
    },
  };
}

export async function ejabberd(s: Setup): Promise<RealServer> {
  const e = await startEjabberd(s.pki, s.users);
  const i = textLog(e.log, ejabberdAuth, await bobOn(e.required, s));
  return {
    name: "ejabberd 23.01",
    optional: { instance: i, port: e.optional },
    required: { instance: i, port: e.required },
    direct: { instance: i, port: e.direct },
    async stop() {
      await i.bob.close();
      await e.stop();
    },
  };
}

/** The lab server as a separate process with its JSON log: its auth events are the witness. */
export async function labServer(s: Setup): Promise<RealServer> {
  const dir = tmpdir("lab-server-");
  const users = Object.entries(s.users).flatMap(([u, p]) => ["--user", `${u}:${p}`]);
  const start = async (tls: string, log: string, direct: boolean) =>
    labNode(["server", "--listen", "127.0.0.1:0", ...(direct ? ["--direct-tls", "127.0.0.1:0"] : []), "--tls", tls, ...users, "--pki", s.pkiDir, "--quiet", "--jsonl", log], 600_000);
  const [optLog, reqLog] = [path.join(dir, "optional.jsonl"), path.join(dir, "required.jsonl")];
  const opt = await start("starttls", optLog, false);
  const req = await start("starttls-required", reqLog, true);
  const directPort = Number(/direct TLS on port (\d+)/.exec(req.out())![1]);
  const jsonAuth = (line: string) => {
    if (!line.trim()) return null;
    const e = JSON.parse(line);
    return e.node === "server" && e.kind === "auth" && e.ok ? { user: e.username, mechanism: e.mechanism } : null;
  };
  const read = (f: string) => () => (fs.existsSync(f) ? fs.readFileSync(f, "utf8") : "");
  const [o, r] = [textLog(read(optLog), jsonAuth, await bobOn(opt.port, s)), textLog(read(reqLog), jsonAuth, await bobOn(req.port, s))];
  return {
    name: "lab server",
    optional: { instance: o, port: opt.port },
    required: { instance: r, port: req.port },
    direct: { instance: r, port: directPort },
    async stop() {
      await Promise.all([o.bob.close(), r.bob.close()]);
      await Promise.all([opt.stop(), req.stop()]);
    },
  };
}
