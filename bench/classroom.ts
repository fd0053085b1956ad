/**
 * `npx tsx bench/classroom.ts [none|podman] [N]`: what one student costs on a workshop host.
 * Opens N browser sessions at once through `mitm-lab serve`, then reports the time to each
 * console's first frame and the memory each student holds while idle (console open at the
 * menu) and after stepping a scenario to its verdict. Figures for docs/classroom.md; podman
 * needs the image (`npm run image`) and deploy/podman/containers.conf.
 */
import { execFileSync, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { podmanLauncher } from "../lab/serve/launch-podman.js";
import { ptyLauncher } from "../lab/serve/launch-pty.js";
import { createServe } from "../lab/serve/server.js";
import { TokenBook } from "../lab/serve/tokens.js";
import { CONTAINERS_CONF, IMAGE } from "../deploy/podman/podman.js";
import { LAB } from "../test/serve/harness.js";
import { TtyClient } from "../test/serve/tty-client.js";

const isolate = (process.argv[2] ?? "none") as "none" | "podman";
const n = Number(process.argv[3] ?? 8);
process.env.CONTAINERS_CONF ??= CONTAINERS_CONF;

/**
 * Proportional set size: private pages plus a fair share of shared ones (the node binary's text is
 * shared by every console), so N students cost N times this. RSS would count the shared part N times.
 */
const rssKb = (pid: number) => {
  try {
    return Number(/Pss:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/smaps_rollup`, "utf8"))![1]);
  } catch {
    return 0;
  }
};
/** A process and all its descendants (the podman client's conmon is not one: counted apart). */
const tree = (pid: number): number[] => {
  // ps exits 1 when a process has no children.
  const kids = spawnSync("ps", ["-o", "pid=", "--ppid", String(pid)], { encoding: "utf8" }).stdout.split("\n").map(Number).filter(Boolean);
  return [pid, ...kids.flatMap(tree)];
};
/** Everything one student's session holds on the host, in MB. */
function studentMb(label: string, pid: number): { total: number; lab: number } {
  if (isolate === "none") {
    const lab = tree(pid).reduce((a, p) => a + rssKb(p), 0) / 1024;
    return { total: lab, lab };
  }
  const [c] = JSON.parse(execFileSync("podman", ["inspect", label], { encoding: "utf8" }));
  const lab = tree(c.State.Pid).reduce((a, p) => a + rssKb(p), 0) / 1024;
  const client = tree(pid).reduce((a, p) => a + rssKb(p), 0) / 1024; // the `podman run -it` the pty holds
  const conmon = rssKb(c.State.ConmonPid) / 1024;
  return { total: lab + client + conmon, lab };
}

const stateRoot = fs.mkdtempSync(path.join(os.tmpdir(), "bench-classroom-"));
const students = Array.from({ length: n }, (_, i) => ({ name: `s${i + 1}`, token: `bench-token-${i + 1}` }));
const serve = createServe({
  host: "127.0.0.1",
  port: 0,
  launcher: isolate === "podman" ? podmanLauncher({ image: IMAGE, serverLabel: `bench${process.pid}` }) : ptyLauncher(LAB),
  tokens: new TokenBook(students),
  idleMs: 3600_000,
  maxSessions: n,
  stateRoot,
  labCommand: LAB,
  log: (l) => (l.includes('could not') ? console.error(l) : undefined),
});
const { port } = await serve.start();
const t0 = performance.now();
const firstFrame: number[] = [];
const clients = students.map((s) => {
  const c = TtyClient.open(`ws://127.0.0.1:${port}/tty?token=${s.token}&cols=100&rows=30`);
  void c.waitFor(/xmpp-mitm-lab/).then(() => firstFrame.push(performance.now() - t0));
  return c;
});
await Promise.all(clients.map((c) => c.waitFor(/xmpp-mitm-lab/)));
await Promise.all(clients.map((c) => c.settle(500)));
const measure = () => serve.sessions().map((s) => studentMb(s.label, s.pid));
const idle = measure();
// Active: open a scenario (the lab's PKI and three nodes come up) and step it to its verdict.
for (const c of clients) c.type("\r");
await Promise.all(clients.map((c) => c.stepToVerdict()));
const active = measure();
const serveRss = rssKb(process.pid) / 1024;
await serve.stop();
fs.rmSync(stateRoot, { recursive: true, force: true });

const avg = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const sorted = firstFrame.sort((a, b) => a - b);
console.log(`isolate ${isolate}, ${n} sessions opened at once on ${os.cpus().length} cores`);
console.log(`  first frame: fastest ${sorted[0].toFixed(0)} ms, median ${sorted[Math.floor(n / 2)].toFixed(0)} ms, slowest ${sorted[n - 1].toFixed(0)} ms`);
console.log(`  per student idle:   ${avg(idle.map((m) => m.total)).toFixed(1)} MB on the host (the lab itself ${avg(idle.map((m) => m.lab)).toFixed(1)} MB)`);
console.log(`  per student active: ${avg(active.map((m) => m.total)).toFixed(1)} MB on the host (the lab itself ${avg(active.map((m) => m.lab)).toFixed(1)} MB)`);
console.log(`  serve itself (this process, incl. the bench, PSS): ${serveRss.toFixed(0)} MB`);
