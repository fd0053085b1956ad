import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import type { Duplex } from "node:stream";
import { WebSocketServer, type WebSocket } from "ws";
import { listen } from "../core/net.js";
import { loadAssets } from "./assets.js";
import { CLIENT_JS, PAGE, TOKEN_PAGE } from "./page.js";
import { CLOSE, clampSize } from "./protocol.js";
import { readProgress, type StudentStatus } from "./progress.js";
import { Session, type SessionInfo } from "./session.js";
import type { Launcher } from "./terminal.js";
import type { TokenBook } from "./tokens.js";

export interface ServeConfig {
  host: string;
  port: number;
  launcher: Launcher;
  tokens: TokenBook;
  /** A session with no keystroke for this long is closed. */
  idleMs: number;
  maxSessions: number;
  /** Each student's XDG_CONFIG_HOME lives under here (their progress, when the lab records it). */
  stateRoot: string;
  /** The lab's own command line ([node, bin]), to ask it for a student's progress. */
  labCommand: string[];
  now?: () => number;
  log?: (line: string) => void;
}

export interface ServeServer {
  start(): Promise<AddressInfo>;
  stop(): Promise<void>;
  sessions(): SessionInfo[];
  /** Closes idle sessions now; returns how many. Runs by itself on a timer too. */
  sweep(): number;
  status(student: string): Promise<StudentStatus>;
}

export const TOKEN_COOKIE = "mitm_lab_token";
const SCENARIO_ID = /^[a-z0-9-]{1,64}$/;
const SECURITY_HEADERS = {
  "x-content-type-options": "nosniff",
  // The token may be in the page's URL: never send it on as a Referer.
  "referrer-policy": "no-referrer",
  "content-security-policy": "default-src 'self'; style-src 'self' 'unsafe-inline'; frame-ancestors 'none'",
};

/** The token a request carries: ?token=, the cookie the page set, or Authorization: Bearer. */
export function requestToken(req: http.IncomingMessage, url: URL): string | null {
  const q = url.searchParams.get("token");
  if (q) return q;
  const auth = req.headers.authorization;
  if (auth?.startsWith("Bearer ")) return auth.slice(7);
  for (const part of (req.headers.cookie ?? "").split(";")) {
    const [k, ...v] = part.trim().split("=");
    if (k === TOKEN_COOKIE) return decodeURIComponent(v.join("="));
  }
  return null;
}

/** A websocket from another site's page would ride on the student's cookie: refuse it. */
export function sameOrigin(req: http.IncomingMessage): boolean {
  const origin = req.headers.origin;
  if (!origin) return true; // not a browser (or a proxy that checked it already)
  try {
    return new URL(origin).host === req.headers.host;
  } catch {
    return false;
  }
}

export function createServe(cfg: ServeConfig): ServeServer {
  const now = cfg.now ?? Date.now;
  const log = cfg.log ?? (() => undefined);
  const assets = loadAssets();
  const live = new Map<string, Session>();
  let counter = 0;
  let stopping = false;
  const wss = new WebSocketServer({ noServer: true, maxPayload: 256 * 1024 });

  const stateDirOf = (student: string, sessionId: string) =>
    path.join(cfg.stateRoot, cfg.tokens.required ? student : `session-${sessionId}`);

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://lab");
    const send = (status: number, type: string, body: string | Buffer, extra: Record<string, string> = {}) => {
      res.writeHead(status, { "content-type": type, ...SECURITY_HEADERS, ...extra });
      res.end(req.method === "HEAD" ? undefined : body);
    };
    if (req.method !== "GET" && req.method !== "HEAD") return send(405, "text/plain", "GET only\n");
    const name = url.pathname.slice(1);
    if (url.pathname === "/healthz") return send(200, "text/plain", "ok\n");
    const asset = assets.get(name);
    if (asset) return send(200, asset.type, asset.body, { "cache-control": "max-age=3600" });
    if (name === "client.js") return send(200, "text/javascript", CLIENT_JS, { "cache-control": "no-cache" });
    const token = requestToken(req, url);
    const student = cfg.tokens.check(token);
    if (url.pathname === "/") {
      if (!student) return send(401, "text/html; charset=utf-8", TOKEN_PAGE, { "cache-control": "no-store" });
      const cookie: Record<string, string> = url.searchParams.has("token")
        ? { "set-cookie": `${TOKEN_COOKIE}=${encodeURIComponent(token!)}; HttpOnly; SameSite=Strict; Path=/` }
        : {};
      return send(200, "text/html; charset=utf-8", PAGE, { "cache-control": "no-store", ...cookie });
    }
    if (url.pathname === "/status") {
      if (!student) return send(401, "application/json", '{"error":"a valid token is required"}\n');
      return void api.status(student).then((s) => send(200, "application/json", JSON.stringify(s) + "\n", { "cache-control": "no-store" }));
    }
    send(404, "text/plain", "not found\n");
  });

  server.on("upgrade", (req, socket: Duplex, head) => {
    const url = new URL(req.url ?? "/", "http://lab");
    const refuse = (status: number, text: string) => {
      socket.end(`HTTP/1.1 ${status} ${text}\r\nconnection: close\r\ncontent-length: 0\r\n\r\n`);
    };
    if (url.pathname !== "/tty") return refuse(404, "Not Found");
    if (!sameOrigin(req)) return refuse(403, "Forbidden");
    const student = cfg.tokens.check(requestToken(req, url));
    if (!student) return refuse(401, "Unauthorized");
    wss.handleUpgrade(req, socket, head, (ws) => void open(ws, url, student));
  });

  async function open(ws: WebSocket, url: URL, student: string) {
    if (stopping) return ws.close(CLOSE.stopping, "the lab server is stopping");
    if (live.size >= cfg.maxSessions)
      return ws.close(CLOSE.full, `the lab host is full (${cfg.maxSessions} sessions); try again in a minute`);
    // Keystrokes that arrive while the lab starts are held, not lost.
    ws.pause();
    if (cfg.tokens.required)
      for (const s of live.values())
        if (s.info.student === student) void s.end(CLOSE.replaced, "you opened the lab in another tab or browser");
    const id = String(++counter);
    const stateDir = stateDirOf(student, id);
    fs.mkdirSync(stateDir, { recursive: true, mode: 0o700 });
    const size = clampSize(url.searchParams.get("cols"), url.searchParams.get("rows")) ?? { cols: 100, rows: 30 };
    const scenario = url.searchParams.get("scenario");
    const consoleArgs = scenario && SCENARIO_ID.test(scenario) ? [scenario] : [];
    let term;
    try {
      term = await cfg.launcher.launch({ sessionId: id, student, ...size, consoleArgs, stateDir });
    } catch (err) {
      log(`session ${id} ${student}: could not start: ${(err as Error).message}`);
      return ws.close(1011, "the lab could not start; tell your instructor");
    }
    const session = new Session(id, student, ws, term, now);
    live.set(id, session);
    log(`session ${id} ${student} started (${cfg.launcher.isolate === "podman" ? "container" : "pid"} ${term.label})`);
    void session.done.then(() => {
      live.delete(id);
      if (!cfg.tokens.required) fs.rmSync(stateDir, { recursive: true, force: true });
      log(`session ${id} ${student} ended`);
    });
    if (ws.readyState === ws.OPEN) ws.resume();
    else void session.end(CLOSE.ended, "the browser left");
  }

  // Idle reaping, and pings so a vanished laptop's session counts as idle rather than live forever.
  const heartbeat = setInterval(() => {
    api.sweep();
    for (const client of wss.clients) client.ping();
  }, Math.min(30_000, Math.max(1000, cfg.idleMs / 4)));
  heartbeat.unref();

  const api: ServeServer = {
    async start() {
      await cfg.launcher.sweepLeftovers?.();
      await listen(server, { host: cfg.host, port: cfg.port });
      return server.address() as AddressInfo;
    },
    async stop() {
      stopping = true;
      clearInterval(heartbeat);
      await Promise.all([...live.values()].map((s) => s.end(CLOSE.stopping, "the lab server is stopping")));
      // The close frames are sent; a browser that never answers them must not hold the exit.
      for (const client of wss.clients) client.terminate();
      const closed = new Promise<void>((r) => server.close(() => r()));
      server.closeAllConnections();
      await closed;
      await cfg.launcher.sweepLeftovers?.();
    },
    sessions: () => [...live.values()].map((s) => ({ ...s.info })),
    sweep() {
      let n = 0;
      const t = now();
      for (const s of live.values())
        if (t - s.info.lastInputAt >= cfg.idleMs) {
          n++;
          void s.end(CLOSE.idle, `no keystroke for ${Math.round(cfg.idleMs / 60_000)} min: the lab was closed to free the host`);
        }
      return n;
    },
    async status(student) {
      const sessions = api.sessions().filter((s) => !cfg.tokens.required || s.student === student);
      const dir = cfg.tokens.required ? path.join(cfg.stateRoot, student) : null;
      return { student, sessions, ...(await readProgress(cfg.labCommand, dir)) };
    },
  };
  return api;
}
