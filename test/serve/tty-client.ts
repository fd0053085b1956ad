import WebSocket from "ws";

/** The console's last frame names the verdict; this is what a student (and these tests) look for. */
export const VERDICT = /ATTACK (SUCCEEDED|FAILED)/;

// Colour and cursor movement out, so a test can read the screen's words.
const ANSI = /\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b\][^\x07]*\x07|\x1b[()][0-9A-B]|\x1b[=>78]/g;
export const plain = (s: string) => s.replace(ANSI, "");

/**
 * A websocket client that behaves like the page: opens /tty with a size, types keys, reads the
 * raw terminal bytes. Everything waits on events, each wait bounded by a count or the socket
 * closing, never by a clock.
 */
export class TtyClient {
  text = "";
  closed: { code: number; reason: string } | null = null;
  private waiters: (() => void)[] = [];
  readonly opened: Promise<void>;

  constructor(readonly ws: WebSocket) {
    this.opened = new Promise((resolve, reject) => {
      ws.once("open", () => resolve());
      ws.once("error", reject);
      ws.once("unexpected-response", (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
    });
    ws.on("message", (d: Buffer) => {
      this.text += plain(d.toString("utf8"));
      this.wake();
    });
    ws.on("close", (code, reason) => {
      this.closed = { code, reason: reason.toString() };
      this.wake();
    });
  }

  static open(url: string, headers: Record<string, string> = {}): TtyClient {
    return new TtyClient(new WebSocket(url, { headers }));
  }

  private wake() {
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }

  /** Resolves on the next output or close. */
  next(): Promise<void> {
    return new Promise((r) => this.waiters.push(r));
  }

  async waitFor(re: RegExp): Promise<string> {
    while (!re.test(this.text)) {
      if (this.closed) throw new Error(`closed (${this.closed.code} ${this.closed.reason}) before ${re}; screen: ${this.text.slice(-400)}`);
      await this.next();
    }
    return this.text;
  }

  async waitClosed(): Promise<{ code: number; reason: string }> {
    while (!this.closed) await this.next();
    return this.closed;
  }

  type(keys: string) {
    this.ws.send(Buffer.from(keys), { binary: true });
  }

  /** Waits until the screen has been still for a moment (at most `max` bursts of output). */
  async settle(quietMs = 250, max = 400): Promise<void> {
    for (let i = 0; i < max && !this.closed; i++) {
      const quiet = await Promise.race([this.next().then(() => false), new Promise<boolean>((r) => setTimeout(() => r(true), quietMs))]);
      if (quiet) return;
    }
  }

  /**
   * Steps the console with space until its verdict shows: at most `maxSteps` keys. Each key waits
   * for the screen to settle, as a student reads before pressing on: keys typed while the console
   * is busy would reach it together as one string, which no key binding matches. The pause is
   * pacing, not an assertion.
   */
  async stepToVerdict(maxSteps = 80): Promise<string> {
    for (let i = 0; i < maxSteps && !VERDICT.test(this.text) && !this.closed; i++) {
      await this.settle();
      this.type(" ");
    }
    await this.settle();
    const m = VERDICT.exec(this.text);
    if (!m) throw new Error(`no verdict after ${maxSteps} steps; screen: ${this.text.slice(-400)}`);
    return m[0];
  }

  close() {
    this.ws.close();
  }
}
