import http from "node:http";
import net from "node:net";
import type { Duplex } from "node:stream";

export interface Upstream {
  host: string;
  port: number;
  /** The student's own token, which their Pod's `mitm-lab serve` checks. */
  token: string;
}

// Hop-by-hop headers and the student's balancer cookie stay at the balancer.
const DROP = new Set(["host", "cookie", "authorization", "connection", "keep-alive", "proxy-connection", "transfer-encoding", "upgrade", "origin"]);

function forwardHeaders(req: http.IncomingMessage, up: Upstream): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [k, v] of Object.entries(req.headers)) if (v !== undefined && !DROP.has(k)) out[k] = v;
  out.host = `${up.host}:${up.port}`;
  out.authorization = `Bearer ${up.token}`;
  return out;
}

/** A page or file request, passed to the student's lab under its own path. */
export function proxyHttp(req: http.IncomingMessage, res: http.ServerResponse, up: Upstream, path: string): void {
  const upstream = http.request({ host: up.host, port: up.port, method: req.method, path, headers: forwardHeaders(req, up), timeout: 15_000 }, (r) => {
    const headers = { ...r.headers };
    delete headers["set-cookie"]; // the lab's own token cookie means nothing at the balancer's origin
    res.writeHead(r.statusCode ?? 502, headers);
    r.pipe(res);
  });
  upstream.on("timeout", () => upstream.destroy(new Error("timeout")));
  upstream.on("error", () => {
    if (!res.headersSent) res.writeHead(502, { "content-type": "text/plain" });
    res.end("the student's lab did not answer\n");
  });
  req.pipe(upstream);
}

/**
 * The websocket: the upgrade request is re-sent to the lab with the student's token, then bytes
 * flow both ways untouched. `onInput` sees every byte the browser sends (keystrokes), which is
 * what counts as activity for reaping.
 */
export function proxyUpgrade(req: http.IncomingMessage, socket: Duplex, head: Buffer, up: Upstream, path: string, onInput: () => void): void {
  const conn = net.connect(up.port, up.host);
  const fail = () => {
    if (socket.writable) socket.end("HTTP/1.1 502 Bad Gateway\r\nconnection: close\r\ncontent-length: 0\r\n\r\n");
  };
  conn.once("error", fail);
  conn.setTimeout(15_000, () => conn.destroy());
  conn.once("connect", () => {
    conn.setTimeout(0);
    const headers = forwardHeaders(req, up);
    const lines = [`GET ${path} HTTP/1.1`, "connection: Upgrade", "upgrade: websocket"];
    for (const [k, v] of Object.entries(headers)) for (const one of Array.isArray(v) ? v : [v]) lines.push(`${k}: ${one}`);
    conn.write(lines.join("\r\n") + "\r\n\r\n");
    if (head.length) conn.write(head);
    conn.off("error", fail);
    // Either side gone ends the other: a lab must not keep a session for a browser that left.
    conn.on("error", () => socket.destroy());
    conn.on("close", () => socket.destroy());
    socket.on("error", () => conn.destroy());
    socket.on("close", () => conn.destroy());
    socket.on("data", onInput);
    conn.pipe(socket);
    socket.pipe(conn);
  });
}
