/**
 * npm run fuzz: issue 13's campaign. Seeded hostile inputs (fuzz/inputs.ts) against each node
 * running in its own process, on loopback: the server (`mitm-lab server`), alice (a long-lived
 * client process, fuzz/client-host.ts), and mallory (`mitm-lab attacker`) with hostile bytes
 * from her client and, in a second process, from her server. Per endpoint it reports inputs,
 * crashes, hangs past the deadline, endless tokens never cut off, leaked descriptors, peak RSS,
 * stack traces on stderr, and the stream errors seen by condition (RFC 6120 §4.9.3).
 *
 *   npm run fuzz [-- --inputs 10000 --seed 13 --width 16 --only server,client,mallory-c2s,mallory-s2c --json FILE]
 *
 * Exit 1 when any crash, hang, unbounded token, leak, stack trace or handler exception is seen,
 * or a node's peak RSS passes --max-rss (MB, default 150).
 */
import { type ChildProcess, fork, spawn } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { type Bounds, hostileServer, playAgainst, type PeerResult, pool, streamErrorIn } from "./drive.js";
import { clientStream, type HostileInput, hostileInput, inputRng, serverStream } from "./inputs.js";

const ROOT = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const BIN = path.join(ROOT, "dist/mitm-lab.mjs");

function flag(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
}
const INPUTS = Number(flag("inputs", "10000"));
const SEED = Number(flag("seed", String(13)));
const WIDTH = Number(flag("width", "16"));
const MAX_RSS_MB = Number(flag("max-rss", "150"));
const ONLY = flag("only", "server,client,mallory-c2s,mallory-s2c").split(",");
const JSON_OUT = flag("json", "");
/** Each node's own deadlines (negotiation, stanza, idle, alice's --timeout), short so a run is minutes. */
const NODE_MS = 1000;
/** After the last byte, the node must have closed by then: its own deadline plus a wide margin. */
const BOUNDS: Bounds = { deadlineMs: NODE_MS + 4000, endlessCap: 8 * 1024 * 1024 };
const PASSWORD = "correct horse battery";

interface Report {
  endpoint: string;
  inputs: number;
  seconds: number;
  crashes: number;
  crashDetail: string | null;
  hangs: number;
  hangExamples: string[];
  unbounded: number;
  leakedDescriptors: number;
  peakRssMB: number;
  stackTraces: number;
  handlerExceptions: number;
  streamErrors: Record<string, number>;
  outcomes: Record<string, number>;
  classes: Record<string, number>;
  stillWorks: boolean | null;
}

const inc = (m: Record<string, number>, k: string) => (m[k] = (m[k] ?? 0) + 1);

/** A node under test in its own process: its stderr kept, its /proc read. */
class Node {
  stderr = "";
  stdout = "";
  exited: string | null = null;
  constructor(readonly child: ChildProcess) {
    child.stderr?.on("data", (d) => (this.stderr += d));
    child.stdout?.on("data", (d) => (this.stdout += d));
    child.on("exit", (code, signal) => (this.exited = `exit ${code ?? ""}${signal ? ` signal ${signal}` : ""}`));
  }
  async port(): Promise<number> {
    for (let i = 0; i < 200 && !this.exited; i++) {
      const m = /listening on port (\d+)/.exec(this.stdout);
      if (m) return Number(m[1]);
      await sleep(50);
    }
    throw new Error(`no port from ${this.child.spawnargs.join(" ")}: ${this.stderr || this.exited}`);
  }
  fds(): number {
    return fs.readdirSync(`/proc/${this.child.pid}/fd`).length;
  }
  /** VmHWM: the most resident memory the process ever had. */
  peakRssMB(): number {
    const m = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${this.child.pid}/status`, "utf8"));
    return m ? Math.round(Number(m[1]) / 1024) : -1;
  }
  /** Stopped as a user stops it: it must exit 0, bounded. */
  async stop(): Promise<string> {
    if (this.exited) return this.exited;
    // The CLI nodes stop on Ctrl-C; the client host when the harness lets go of it.
    if (this.child.connected) this.child.disconnect();
    else this.child.kill("SIGINT");
    for (let i = 0; i < 100 && !this.exited; i++) await sleep(50);
    if (!this.exited) this.child.kill("SIGKILL");
    for (let i = 0; i < 20 && !this.exited; i++) await sleep(50);
    return this.exited ?? "did not exit";
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const lab = (args: string[]) => new Node(spawn(process.execPath, [BIN, ...args], { stdio: ["ignore", "pipe", "pipe"] }));
const stackTraces = (s: string) => (s.match(/^\s+at .+/gm) ?? []).length;

/** Descriptors back to where they were once every connection is gone (bounded wait). */
async function leaked(node: Node, baseline: number): Promise<number> {
  let now = node.fds();
  for (let i = 0; i < 100 && now > baseline; i++) {
    await sleep(100);
    now = node.fds();
  }
  return Math.max(0, now - baseline);
}

function blank(endpoint: string): Report {
  return {
    endpoint, inputs: 0, seconds: 0, crashes: 0, crashDetail: null, hangs: 0, hangExamples: [], unbounded: 0, leakedDescriptors: 0,
    peakRssMB: 0, stackTraces: 0, handlerExceptions: 0, streamErrors: {}, outcomes: {}, classes: {}, stillWorks: null,
  };
}

function record(rep: Report, i: number, input: HostileInput, r: PeerResult, cond: string | null) {
  rep.inputs++;
  inc(rep.classes, input.cls);
  if (r.hang) {
    rep.hangs++;
    if (rep.hangExamples.length < 5) rep.hangExamples.push(`#${i} ${input.cls}`);
  }
  if (r.unbounded) rep.unbounded++;
  if (cond) {
    inc(rep.streamErrors, cond);
    // connection.ts ends a stream with these when a handler threw: our bug, not the peer's.
    if (cond === "internal-server-error" || cond === "undefined-condition") rep.handlerExceptions++;
  }
}

async function finish(rep: Report, node: Node, baseline: number, started: number) {
  rep.seconds = Math.round((Date.now() - started) / 100) / 10;
  if (node.exited) {
    rep.crashes = 1;
    rep.crashDetail = `${node.exited}: ${node.stderr.slice(-500)}`;
  } else {
    rep.leakedDescriptors = await leaked(node, baseline);
    rep.peakRssMB = node.peakRssMB();
    const how = await node.stop();
    if (how !== "exit 0") {
      rep.crashes = 1;
      rep.crashDetail = `asked to stop, it ended with ${how}: ${node.stderr.slice(-300)}`;
    }
  }
  rep.stackTraces = stackTraces(node.stderr);
}

async function fuzzServer(): Promise<Report> {
  const rep = blank("server");
  const node = lab([
    "server", "--listen", "127.0.0.1:0", "--tls", "none", "--allow-plain-cleartext", "--mechanisms", "SCRAM-SHA-256,PLAIN",
    "--user", `alice:${PASSWORD}`, "--user", "bob:other", "--negotiation-timeout", String(NODE_MS), "--stanza-timeout", String(NODE_MS),
    "--idle-timeout", String(NODE_MS), "--max-per-address", "100000", "--quiet",
  ]);
  const port = await node.port();
  // A whole valid session first, so what is counted after is only what the fuzz left behind.
  await playAgainst(port, { cls: "split", chunks: [Buffer.from(clientStream("alice", PASSWORD))], end: true }, BOUNDS);
  const baseline = node.fds();
  const started = Date.now();
  await pool(INPUTS, WIDTH, async (i) => {
    if (node.exited) return;
    const input = hostileInput(inputRng(SEED, i), clientStream("alice", PASSWORD));
    const r = await playAgainst(port, input, BOUNDS);
    record(rep, i, input, r, streamErrorIn(r.heard));
  });
  const after = await playAgainst(port, { cls: "split", chunks: [Buffer.from(clientStream("alice", PASSWORD))], end: true }, BOUNDS);
  rep.stillWorks = /<success /.test(after.heard) && after.heard.includes("alice@lab.example/fuzz");
  await finish(rep, node, baseline, started);
  return rep;
}

async function fuzzClient(): Promise<Report> {
  const rep = blank("client");
  const bundle = path.join(os.tmpdir(), `mitm-lab-fuzz-client-${process.pid}.mjs`);
  await build({
    entryPoints: [path.join(ROOT, "fuzz/client-host.ts")], outfile: bundle, bundle: true, format: "esm", platform: "node", target: "node20", logLevel: "warning",
    banner: { js: "import { createRequire as __r } from 'node:module'; const require = __r(import.meta.url);" },
  });
  const node = new Node(fork(bundle, [], { stdio: ["ignore", "pipe", "pipe", "ipc"] }));
  const asked = new Map<number, (outcome: string) => void>();
  node.child.on("message", (m: { i?: number; outcome?: string }) => {
    if (m.i !== undefined) asked.get(m.i)?.(m.outcome!);
  });
  await new Promise<void>((r) => node.child.once("message", () => r()));
  const slots = Array.from({ length: WIDTH }, () => ({ input: null as HostileInput | null }));
  const heardBy = new Map<number, (r: PeerResult) => void>();
  const fakes = await Promise.all(
    slots.map((slot, k) => hostileServer((h) => (slot.input && h.includes("<stream:stream") ? { key: k, input: slot.input } : null), BOUNDS, (k2, r) => heardBy.get(k2)?.(r))),
  );
  const login = (i: number, port: number) =>
    new Promise<string>((resolve) => {
      asked.set(i, (o) => (asked.delete(i), resolve(o)));
      node.child.send({ i, port, password: PASSWORD, timeoutMs: NODE_MS });
    });
  const bounded = <T>(p: Promise<T>, ms: number, late: T) => Promise.race([p, sleep(ms).then(() => late)]);
  // One valid login first (the baseline), then the campaign.
  slots[0].input = { cls: "split", chunks: [Buffer.from(serverStream())], end: true };
  await bounded(login(-1, fakes[0].port), BOUNDS.deadlineMs, "hang");
  await sleep(200);
  const baseline = node.fds();
  const started = Date.now();
  let next = 0;
  await Promise.all(
    slots.map(async (slot, k) => {
      for (let i = next++; i < INPUTS && !node.exited; i = next++) {
        const input = hostileInput(inputRng(SEED, 100_000 + i), serverStream());
        slot.input = input;
        const heard = new Promise<PeerResult>((r) => heardBy.set(k, r));
        // alice's start() must settle by her --timeout (each wait has it); twice the bound is a hang.
        const outcome = await bounded(login(i, fakes[k].port), BOUNDS.deadlineMs * 2, "hang");
        const r = await bounded(heard, BOUNDS.deadlineMs * 2, { heard: "", hang: true, unbounded: false });
        inc(rep.outcomes, outcome);
        record(rep, i, input, outcome === "hang" ? { ...r, hang: true } : r, streamErrorIn(r.heard.replace(/^[^]*?<stream:stream[^>]*>/, "")));
      }
    }),
  );
  slots[0].input = { cls: "split", chunks: [Buffer.from(serverStream())], end: true };
  rep.stillWorks = (await bounded(login(-2, fakes[0].port), BOUNDS.deadlineMs, "hang")) === "logged-in";
  await Promise.all(fakes.map((f) => f.close()));
  await finish(rep, node, baseline, started);
  fs.rmSync(bundle, { force: true });
  return rep;
}

/** mallory's log: her moves and loot, read after the run. */
function malloryLog(file: string): Array<{ kind: string; move?: { type: string; condition?: string }; loot?: { type: string } }> {
  return fs
    .readFileSync(file, "utf8")
    .split("\n")
    .filter(Boolean)
    .map((l) => JSON.parse(l));
}

async function fuzzMallory(direction: "c2s" | "s2c"): Promise<Report> {
  const rep = blank(`mallory-${direction}`);
  const pending = new Map<number, HostileInput>();
  const upResults = new Map<number, (r: PeerResult) => void>();
  const open = serverStream().slice(0, serverStream().indexOf("<success"));
  // Her server: a client that names an input (s2c) gets it as the server's stream; any other gets
  // a valid opening and is closed after a negotiation deadline, as a real server would close it.
  const upstream = await hostileServer(
    (heard) => {
      const m = /from='fuzz-(\d+)@/.exec(heard);
      if (m && pending.has(Number(m[1]))) return { key: Number(m[1]), input: pending.get(Number(m[1]))! };
      if (heard.includes("<stream:stream") || heard.length > 200) return { key: -1, input: { cls: "split", chunks: [Buffer.from(open)], end: false }, deadlineMs: NODE_MS };
      return null;
    },
    BOUNDS,
    (key, r) => upResults.get(key)?.(r),
  );
  const jsonl = path.join(os.tmpdir(), `mitm-lab-fuzz-mallory-${direction}-${process.pid}.jsonl`);
  const node = lab([
    "attacker", "--listen", "127.0.0.1:0", "--upstream", `127.0.0.1:${upstream.port}`, "--tactic", "loot,tamper", "--timeout", String(NODE_MS),
    "--idle-timeout", String(NODE_MS), "--max-per-address", "100000", "--jsonl", jsonl, "--quiet",
  ]);
  const port = await node.port();
  const valid = (): HostileInput => ({ cls: "split", chunks: [Buffer.from(clientStream("alice", PASSWORD))], end: true });
  await playAgainst(port, valid(), BOUNDS);
  await sleep(200);
  const baseline = node.fds();
  const started = Date.now();
  await pool(INPUTS, WIDTH, async (i) => {
    if (node.exited) return;
    if (direction === "c2s") {
      const input = hostileInput(inputRng(SEED, 200_000 + i), clientStream("alice", PASSWORD));
      const r = await playAgainst(port, input, BOUNDS);
      // Endless bytes are hers to relay, not to refuse: her memory is what is measured.
      record(rep, i, input, { ...r, unbounded: false }, null);
      return;
    }
    const input = hostileInput(inputRng(SEED, 300_000 + i), serverStream());
    pending.set(i, input);
    const up = new Promise<PeerResult>((r) => upResults.set(i, r));
    // Her client names the input, then gives up after its own deadline, as alice would.
    const s = net.connect(port, "127.0.0.1");
    s.on("error", () => {});
    s.on("data", () => {});
    s.once("connect", () => s.write(`<?xml version='1.0'?><stream:stream from='fuzz-${i}@lab.example' to='lab.example' version='1.0' xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams'>`));
    const giveUp = setTimeout(() => s.destroy(), NODE_MS);
    const r = await Promise.race([up, sleep(BOUNDS.deadlineMs * 3).then((): PeerResult => ({ heard: "", hang: true, unbounded: false }))]);
    clearTimeout(giveUp);
    s.destroy();
    pending.delete(i);
    upResults.delete(i);
    record(rep, i, input, { ...r, unbounded: false }, null);
  });
  // Still at work: a valid login after all that is read, and its message rewritten.
  const tamperedBefore = malloryLog(jsonl).filter((e) => e.kind === "loot" && e.loot?.type === "message-tampered").length;
  await playAgainst(port, valid(), BOUNDS);
  await sleep(300);
  await finish(rep, node, baseline, started);
  await upstream.close();
  const events = malloryLog(jsonl);
  rep.stillWorks = events.filter((e) => e.kind === "loot" && e.loot?.type === "message-tampered").length === tamperedBefore + 1;
  // The stream errors she saw coming: each 'unreadable' names the condition its receiver gives.
  for (const e of events) {
    if (e.kind !== "move" || !e.move) continue;
    if (e.move.type === "unreadable") inc(rep.streamErrors, e.move.condition!);
    if (["stanza-too-large", "idle-closed", "too-many-connections", "element-unread"].includes(e.move.type)) inc(rep.outcomes, e.move.type);
  }
  fs.rmSync(jsonl, { force: true });
  return rep;
}

function table(reports: Report[]): string {
  const rows = [
    ["endpoint", "inputs", "crashes", "hangs", "unbounded", "leaked fds", "peak RSS MB", "stack traces", "handler exc.", "still works", "seconds"],
    ...reports.map((r) => [r.endpoint, r.inputs, r.crashes, r.hangs, r.unbounded, r.leakedDescriptors, r.peakRssMB, r.stackTraces, r.handlerExceptions, r.stillWorks, r.seconds].map(String)),
  ];
  const w = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  const line = (r: string[]) => "| " + r.map((x, c) => x.padEnd(w[c])).join(" | ") + " |";
  return [line(rows[0]), "|" + w.map((n) => "-".repeat(n + 2)).join("|") + "|", ...rows.slice(1).map(line)].join("\n");
}

async function main() {
  if (!fs.existsSync(BIN)) throw new Error("dist/mitm-lab.mjs is missing: npm run build first (npm run fuzz does)");
  console.log(`fuzz: seed ${SEED}, ${INPUTS} inputs per endpoint, ${WIDTH} at a time, node deadlines ${NODE_MS} ms, hang after ${BOUNDS.deadlineMs} ms`);
  const reports: Report[] = [];
  const runs: Record<string, () => Promise<Report>> = { server: fuzzServer, client: fuzzClient, "mallory-c2s": () => fuzzMallory("c2s"), "mallory-s2c": () => fuzzMallory("s2c") };
  for (const name of ONLY) {
    if (!runs[name]) throw new Error(`--only: unknown endpoint ${name} (server, client, mallory-c2s, mallory-s2c)`);
    const r = await runs[name]();
    reports.push(r);
    const errs = Object.entries(r.streamErrors).sort((a, b) => b[1] - a[1]).map(([k, v]) => `${k} ${v}`).join(", ");
    console.log(`${r.endpoint}: ${r.inputs} inputs in ${r.seconds} s; crashes ${r.crashes}, hangs ${r.hangs}${r.hangExamples.length ? ` (${r.hangExamples.join(", ")})` : ""}, unbounded ${r.unbounded}, leaked fds ${r.leakedDescriptors}, peak RSS ${r.peakRssMB} MB, stack traces ${r.stackTraces}, still works ${r.stillWorks}`);
    console.log(`  stream errors: ${errs || "none"}`);
    if (Object.keys(r.outcomes).length) console.log(`  outcomes: ${Object.entries(r.outcomes).sort((a, b) => b[1] - a[1]).map(([k, v]) => `${k} ${v}`).join(", ")}`);
    if (r.crashDetail) console.log(`  crash: ${r.crashDetail}`);
  }
  console.log("\n" + table(reports));
  if (JSON_OUT) fs.writeFileSync(JSON_OUT, JSON.stringify({ seed: SEED, inputs: INPUTS, reports }, null, 2) + "\n");
  const bad = reports.filter((r) => r.crashes || r.hangs || r.unbounded || r.leakedDescriptors || r.stackTraces || r.handlerExceptions || r.stillWorks === false || r.peakRssMB > MAX_RSS_MB);
  if (bad.length) {
    console.log(`\nFAILED (seed ${SEED}): ${bad.map((r) => r.endpoint).join(", ")}`);
    process.exitCode = 1;
  }
}

await main();
