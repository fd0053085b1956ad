import type { WebSocket } from "ws";
import { CLOSE, parseControl } from "./protocol.js";
import type { Terminal } from "./terminal.js";

export interface SessionInfo {
  id: string;
  student: string;
  /** The pid of the pty's program (the console, or the podman client). */
  pid: number;
  /** A process id or container name. */
  label: string;
  startedAt: number;
  lastInputAt: number;
}

/**
 * One student's lab wired to one websocket. Either side ending ends both: the console quitting
 * closes the socket, the socket closing ends the console (and its container).
 */
export class Session {
  readonly info: SessionInfo;
  private ended = false;
  readonly done: Promise<void>;
  private resolveDone!: () => void;

  constructor(
    id: string,
    student: string,
    private readonly ws: WebSocket,
    private readonly term: Terminal,
    private readonly now: () => number,
  ) {
    const t = now();
    this.info = { id, student, pid: term.pid, label: term.label, startedAt: t, lastInputAt: t };
    this.done = new Promise((r) => (this.resolveDone = r));
    term.onData((d) => {
      if (ws.readyState === ws.OPEN) ws.send(d, { binary: true });
    });
    term.onExit((code) => void this.end(CLOSE.ended, code === 0 || code === null ? "the lab ended" : `the lab exited with code ${code}`));
    ws.on("message", (data, isBinary) => {
      this.info.lastInputAt = this.now();
      const buf = Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as ArrayBuffer);
      if (!isBinary) {
        const ctl = parseControl(buf.toString("utf8"));
        if (ctl) return void term.resize(ctl.cols, ctl.rows);
      }
      term.write(buf);
    });
    ws.on("close", () => void this.end(CLOSE.ended, "the browser left"));
  }

  /** Closes the socket with a reason the page shows, and the lab with it. Safe to call twice. */
  async end(code: number, reason: string): Promise<void> {
    if (this.ended) return this.done;
    this.ended = true;
    if (this.ws.readyState === this.ws.OPEN || this.ws.readyState === this.ws.CONNECTING) this.ws.close(code, reason);
    await this.term.close();
    this.resolveDone();
  }
}
