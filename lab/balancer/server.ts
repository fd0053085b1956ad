import http from "node:http";
import type { AddressInfo } from "node:net";
import type { Duplex } from "node:stream";
import { listen } from "../core/net.js";
import { TOKEN_PAGE } from "../serve/page.js";
import { sameOrigin } from "../serve/server.js";
import { TokenBook, type Student } from "../serve/tokens.js";
import { instructorPage, type StudentRow } from "./instructor.js";
import { KubeError, type Kube } from "./kube.js";
import { proxyHttp, proxyUpgrade, type Upstream } from "./proxy.js";
import { COMPONENT_LABEL, isReady, LAB_PORT, objectName, studentPod, studentService } from "./student-pod.js";

export interface BalancerConfig {
  host: string;
  port: number;
  kube: Kube;
  students: Student[];
  instructorToken: string;
  podTemplate: unknown;
  image: string;
  /** A student's Pod with no keystroke for this long is deleted (their next visit makes a new one). */
  idleMs: number;
  /** How often, and how many times, to look whether a new Pod is ready. */
  pollMs?: number;
  readyTries?: number;
  now?: () => number;
  log?: (line: string) => void;
  /** Where a student's Service is reached; by default its ClusterIP and port. */
  upstreamOf?: (service: any) => { host: string; port: number };
}

interface Lab {
  student: Student;
  pod: string;
  upstream?: Upstream;
  starting?: Promise<Upstream>;
  failed?: string;
  reaped?: boolean;
  lastActivity: number | null;
  sockets: Set<Duplex>;
}

const STUDENT_COOKIE = "mitm_lab_student";
const INSTRUCTOR_COOKIE = "mitm_lab_instructor";

function cookie(req: http.IncomingMessage, name: string): string | null {
  for (const part of (req.headers.cookie ?? "").split(";")) {
    const [k, ...v] = part.trim().split("=");
    if (k === name) return decodeURIComponent(v.join("="));
  }
  return null;
}

const STARTING_PAGE = `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta http-equiv="refresh" content="2">
<title>xmpp-mitm-lab: starting</title><style>body{background:#0c0c0c;color:#e8e8e8;font:22px system-ui,sans-serif;display:grid;place-items:center;height:90vh}</style></head>
<body><p>Your own lab is starting&hellip; this page opens it by itself.</p></body></html>
`;

/**
 * The classroom balancer (MultiJuicer's shape, for this lab): each student's token opens their
 * own Pod and Service, created through the Kubernetes API on first visit, reached through this
 * one entry point (page, files and the /tty websocket under /lab/), deleted when idle. An
 * instructor view lists every student, their lab and the progress their lab reports.
 */
export function createBalancer(cfg: BalancerConfig) {
  const now = cfg.now ?? Date.now;
  const log = cfg.log ?? (() => undefined);
  const book = new TokenBook(cfg.students);
  const instructor = new TokenBook([{ name: "instructor", token: cfg.instructorToken }]);
  const byName = new Map(cfg.students.map((s) => [s.name, s]));
  const labs = new Map<string, Lab>();
  const upstreamOf = cfg.upstreamOf ?? ((svc: any) => ({ host: svc.spec.clusterIP, port: svc.spec.ports[0].port ?? LAB_PORT }));

  const labOf = (s: Student): Lab => {
    let lab = labs.get(s.name);
    if (!lab) labs.set(s.name, (lab = { student: s, pod: objectName(s.name), lastActivity: null, sockets: new Set() }));
    return lab;
  };

  const createIfAbsent = async (create: () => Promise<unknown>) => {
    try {
      await create();
    } catch (err) {
      if (!(err instanceof KubeError && err.status === 409)) throw err; // 409: already there (a retry, a restart)
    }
  };

  async function start(lab: Lab): Promise<Upstream> {
    await createIfAbsent(() => cfg.kube.createPod(studentPod(cfg.podTemplate, lab.student, cfg.image)));
    await createIfAbsent(() => cfg.kube.createService(studentService(lab.student)));
    const tries = cfg.readyTries ?? 120;
    for (let i = 0; ; i++) {
      const pod = await cfg.kube.getPod(lab.pod);
      if (isReady(pod)) break;
      if (pod?.status?.phase === "Failed") throw new Error(`pod ${lab.pod} failed`);
      if (i >= tries) throw new Error(`pod ${lab.pod} was not ready after ${tries} looks`);
      await new Promise((r) => setTimeout(r, cfg.pollMs ?? 1000));
    }
    const svc = await cfg.kube.getService(lab.pod);
    log(`lab for ${lab.student.name} is ready (${lab.pod})`);
    return { ...upstreamOf(svc), token: lab.student.token };
  }

  /** The student's lab, started on first need; concurrent requests share one start. */
  function ensure(lab: Lab): Promise<Upstream> {
    if (lab.upstream) return Promise.resolve(lab.upstream);
    lab.reaped = false;
    lab.failed = undefined;
    lab.starting ??= start(lab).then(
      (up) => {
        lab.upstream = up;
        lab.starting = undefined;
        return up;
      },
      (err) => {
        lab.starting = undefined;
        lab.failed = (err as Error).message;
        log(`lab for ${lab.student.name} could not start: ${lab.failed}`);
        throw err;
      },
    );
    return lab.starting;
  }

  const studentOf = (req: http.IncomingMessage, url: URL) => {
    const name = book.check(url.searchParams.get("token") ?? cookie(req, STUDENT_COOKIE));
    return name ? byName.get(name)! : null;
  };
  const isInstructor = (req: http.IncomingMessage, url: URL) => {
    const auth = req.headers.authorization?.startsWith("Bearer ") ? req.headers.authorization.slice(7) : null;
    return instructor.check(url.searchParams.get("token") ?? auth ?? cookie(req, INSTRUCTOR_COOKIE)) !== null;
  };
  const secureCookie = (req: http.IncomingMessage) => (req.headers["x-forwarded-proto"] === "https" ? "; Secure" : "");

  async function rows(): Promise<StudentRow[]> {
    return Promise.all(
      cfg.students.map(async (s) => {
        const lab = labs.get(s.name);
        const state: StudentRow["lab"] = !lab ? "not opened" : lab.upstream ? "running" : lab.starting ? "starting" : lab.failed ? "failed" : lab.reaped ? "reaped (idle)" : "not opened";
        const row: StudentRow = { student: s.name, lab: state, pod: lab?.upstream ? lab.pod : null, lastActivity: lab?.lastActivity ?? null, progress: null };
        if (lab?.upstream) Object.assign(row, await fetchStatus(lab.upstream));
        else row.progressNote = state === "failed" ? lab!.failed : "no lab running to ask";
        return row;
      }),
    );
  }

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://balancer");
    const send = (status: number, type: string, body: string, extra: Record<string, string> = {}) => {
      res.writeHead(status, { "content-type": type, "x-content-type-options": "nosniff", "referrer-policy": "no-referrer", "cache-control": "no-store", ...extra });
      res.end(body);
    };
    if (url.pathname === "/healthz") return send(200, "text/plain", "ok\n");
    if (url.pathname === "/instructor" || url.pathname === "/instructor.json") {
      if (!isInstructor(req, url)) return send(401, "text/plain", "the instructor token is required: /instructor?token=...\n");
      const setCookie: Record<string, string> = url.searchParams.has("token")
        ? { "set-cookie": `${INSTRUCTOR_COOKIE}=${encodeURIComponent(url.searchParams.get("token")!)}; HttpOnly; SameSite=Strict; Path=/instructor${secureCookie(req)}` }
        : {};
      return void rows().then((r) =>
        url.pathname.endsWith(".json")
          ? send(200, "application/json", JSON.stringify({ students: r }) + "\n", setCookie)
          : send(200, "text/html; charset=utf-8", instructorPage(r, now()), setCookie),
      );
    }
    const student = studentOf(req, url);
    if (url.pathname === "/") {
      if (!student) return send(401, "text/html; charset=utf-8", TOKEN_PAGE);
      // The token moves from the link into a cookie, and the address bar loses it.
      return send(303, "text/plain", "", {
        location: "/lab/",
        "set-cookie": `${STUDENT_COOKIE}=${encodeURIComponent(student.token)}; HttpOnly; SameSite=Strict; Path=/${secureCookie(req)}`,
      });
    }
    if (url.pathname === "/lab") return send(301, "text/plain", "", { location: "/lab/" });
    if (!url.pathname.startsWith("/lab/")) return send(404, "text/plain", "not found\n");
    if (!student) return send(303, "text/plain", "", { location: "/" });
    const lab = labOf(student);
    lab.lastActivity = now();
    if (!lab.upstream) {
      ensure(lab).catch(() => undefined);
      return send(lab.failed ? 503 : 200, "text/html; charset=utf-8", lab.failed ? "<p>Your lab could not start; tell your instructor.</p>" : STARTING_PAGE);
    }
    proxyHttp(req, res, lab.upstream, url.pathname.slice(4) + url.search);
  });

  server.on("upgrade", (req, socket: Duplex, head) => {
    const url = new URL(req.url ?? "/", "http://balancer");
    const refuse = (status: string) => socket.end(`HTTP/1.1 ${status}\r\nconnection: close\r\ncontent-length: 0\r\n\r\n`);
    if (url.pathname !== "/lab/tty") return refuse("404 Not Found");
    if (!sameOrigin(req)) return refuse("403 Forbidden");
    const student = studentOf(req, url);
    if (!student) return refuse("401 Unauthorized");
    const lab = labOf(student);
    lab.lastActivity = now();
    url.searchParams.delete("token");
    socket.on("error", () => socket.destroy());
    ensure(lab).then(
      (up) => {
        lab.sockets.add(socket);
        socket.once("close", () => lab.sockets.delete(socket));
        proxyUpgrade(req, socket, head, up, `/tty${url.search}`, () => (lab.lastActivity = now()));
      },
      () => refuse("503 Service Unavailable"),
    );
  });

  /** A lab's own status endpoint: its student's progress, or why there is none. */
  function fetchStatus(up: Upstream): Promise<Pick<StudentRow, "progress" | "progressNote">> {
    return new Promise((resolve) => {
      const req = http.get({ host: up.host, port: up.port, path: "/status", headers: { authorization: `Bearer ${up.token}` }, timeout: 5000 }, (res) => {
        let text = "";
        res.on("data", (c) => (text += c));
        res.on("end", () => {
          try {
            const s = JSON.parse(text);
            resolve({ progress: s.progress ?? null, progressNote: s.progressNote });
          } catch {
            resolve({ progress: null, progressNote: `the lab answered ${res.statusCode}` });
          }
        });
      });
      req.on("timeout", () => req.destroy(new Error("timeout")));
      req.on("error", (e) => resolve({ progress: null, progressNote: `the lab did not answer (${e.message})` }));
    });
  }

  async function reap(lab: Lab) {
    lab.upstream = undefined;
    lab.reaped = true;
    for (const s of lab.sockets) s.destroy();
    await cfg.kube.delete("pods", lab.pod);
    await cfg.kube.delete("services", lab.pod);
    log(`reaped the idle lab of ${lab.student.name}`);
  }

  const api = {
    async start(): Promise<AddressInfo> {
      // After a restart: adopt the labs of known students, delete the rest.
      const list = await cfg.kube.listPods(`${COMPONENT_LABEL}=student`);
      for (const pod of list.items ?? []) {
        const s = byName.get(pod.metadata?.annotations?.["xmpp-mitm-lab/student-name"]);
        if (s && objectName(s.name) === pod.metadata.name) {
          const lab = labOf(s);
          lab.lastActivity = now();
          ensure(lab).catch(() => undefined);
        } else {
          await cfg.kube.delete("pods", pod.metadata.name);
          await cfg.kube.delete("services", pod.metadata.name);
        }
      }
      await listen(server, { host: cfg.host, port: cfg.port });
      return server.address() as AddressInfo;
    },
    /** Deletes every lab idle for the idle time; returns how many. Also runs on a timer. */
    async sweep(): Promise<number> {
      const t = now();
      const idle = [...labs.values()].filter((l) => l.upstream && l.lastActivity !== null && t - l.lastActivity >= cfg.idleMs);
      await Promise.all(idle.map(reap));
      return idle.length;
    },
    rows,
    async stop() {
      clearInterval(timer);
      for (const l of labs.values()) for (const s of l.sockets) s.destroy();
      const closed = new Promise<void>((r) => server.close(() => r()));
      server.closeAllConnections();
      await closed;
    },
  };
  const timer = setInterval(() => void api.sweep().catch((e) => log(`reaping: ${(e as Error).message}`)), Math.min(60_000, Math.max(1000, cfg.idleMs / 4)));
  timer.unref();
  return api;
}
