import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { validateK8s } from "../k8s-schema.js";
import { LAB } from "../serve/harness.js";

/**
 * A fake Kubernetes API server: enough of core/v1 Pods and Services for the balancer. Every object
 * it is sent is validated against the schema. A created Pod is "scheduled" by running its
 * container's args with the real bin on 127.0.0.1 (listen and state rewritten to this host), and
 * a Service gets ClusterIP 127.0.0.1 and that Pod's real port, standing in for kube-proxy.
 */
export class FakeApi {
  pods = new Map<string, any>();
  services = new Map<string, any>();
  procs = new Map<string, { child: ChildProcess; port: number; dir: string }>();
  calls: string[] = [];
  private server = http.createServer((req, res) => void this.handle(req, res));
  url = "";

  async start(): Promise<void> {
    await new Promise<void>((r) => this.server.listen(0, "127.0.0.1", r));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    for (const name of [...this.procs.keys()]) await this.kill(name);
    await new Promise<void>((r) => this.server.close(() => r()));
  }

  private async kill(name: string) {
    const p = this.procs.get(name);
    if (!p) return;
    this.procs.delete(name);
    if (p.child.exitCode === null && p.child.signalCode === null) {
      const gone = new Promise((r) => p.child.once("exit", r));
      p.child.kill("SIGTERM");
      await gone;
    }
    fs.rmSync(p.dir, { recursive: true, force: true });
  }

  /** Runs the Pod's container as its args say, on a loopback port; resolves with that port. */
  private async run(pod: any): Promise<number> {
    const c = pod.spec.containers[0];
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "fake-pod-"));
    const args = [...c.args];
    args[args.indexOf("--listen") + 1] = "127.0.0.1:0";
    args[args.indexOf("--state") + 1] = dir;
    const env = Object.fromEntries((c.env ?? []).map((e: any) => [e.name, e.value]));
    const child = spawn(LAB[0], [LAB[1], ...args], { env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "ignore"] });
    // Keeps reading stdout for the pod's life: a closed pipe would kill it at its next line.
    return new Promise((resolve, reject) => {
      let out = "";
      child.stdout!.on("data", (chunk) => {
        out += chunk;
        const m = /127\.0\.0\.1:(\d+)\//.exec(out);
        if (m && !this.procs.has(pod.metadata.name)) {
          this.procs.set(pod.metadata.name, { child, port: Number(m[1]), dir });
          resolve(Number(m[1]));
        }
      });
      child.once("exit", () => reject(new Error(`the pod's serve exited: ${out}`)));
    });
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse) {
    let body = "";
    for await (const c of req) body += c;
    const url = new URL(req.url!, "http://x");
    this.calls.push(`${req.method} ${url.pathname}`);
    const reply = (status: number, obj: unknown) => {
      res.writeHead(status, { "content-type": "application/json" });
      res.end(JSON.stringify(obj));
    };
    const m = /^\/api\/v1\/namespaces\/([^/]+)\/(pods|services)(?:\/([^/]+))?$/.exec(url.pathname);
    if (!m) return reply(404, { message: "not found" });
    const [, , kind, name] = m;
    const store = kind === "pods" ? this.pods : this.services;
    try {
      if (req.method === "POST") {
        const obj = JSON.parse(body);
        validateK8s(obj);
        if (store.has(obj.metadata.name)) return reply(409, { message: "already exists" });
        if (kind === "pods") {
          store.set(obj.metadata.name, { ...obj, status: { phase: "Pending" } });
          const port = await this.run(obj);
          store.get(obj.metadata.name).status = { phase: "Running", podIP: "127.0.0.1", conditions: [{ type: "Ready", status: "True" }], port };
        } else {
          const pod = [...this.pods.values()].find((p) => Object.entries(obj.spec.selector).every(([k, v]) => p.metadata.labels[k] === v));
          obj.spec.clusterIP = "127.0.0.1";
          obj.spec.ports[0].port = pod?.status.port ?? 1; // kube-proxy's job, done here by hand
          store.set(obj.metadata.name, obj);
        }
        return reply(201, store.get(obj.metadata.name));
      }
      if (req.method === "GET" && name) return store.has(name) ? reply(200, store.get(name)) : reply(404, { message: `${name} not found` });
      if (req.method === "GET") {
        const [k, v] = (url.searchParams.get("labelSelector") ?? "=").split("=");
        return reply(200, { items: [...store.values()].filter((o) => !k || o.metadata.labels?.[k] === v) });
      }
      if (req.method === "DELETE" && name) {
        if (!store.has(name)) return reply(404, { message: `${name} not found` });
        store.delete(name);
        if (kind === "pods") await this.kill(name);
        return reply(200, { status: "Success" });
      }
      reply(405, { message: "not here" });
    } catch (err) {
      reply(422, { message: (err as Error).message });
    }
  }
}
