import net from "node:net";
import type { HostileInput } from "./inputs.js";

/**
 * Playing one hostile input against an endpoint over a real loopback socket, with a deadline
 * on every wait. Shared by the suite's quick fuzz test (test/fuzz.test.ts) and `npm run fuzz`
 * (fuzz/run.ts).
 */

export interface Bounds {
  /** After our last byte, the endpoint must have closed the connection by then: else a hang. */
  deadlineMs: number;
  /** An endless token stops being written after this many bytes: the endpoint never cut it off. */
  endlessCap: number;
}

export interface PeerResult {
  /** What the endpoint said back (latin1, enough to find a stream error). */
  heard: string;
  /** The endpoint left the connection open past the deadline. */
  hang: boolean;
  /** An endless token reached the cap: nothing limited what the endpoint buffered. */
  unbounded: boolean;
}

/** The stream error condition in what an endpoint sent (RFC 6120 §4.9.3), if any. */
export function streamErrorIn(heard: string): string | null {
  const m = /<stream:error>\s*<([a-z-]+)/.exec(heard);
  return m ? m[1] : null;
}

const pause = () => new Promise((r) => setTimeout(r, 1));

/** The socket drained (or closed) within `ms`. */
function drained(s: net.Socket, ms: number): Promise<boolean> {
  return new Promise((resolve) => {
    const done = (ok: boolean) => {
      clearTimeout(t);
      s.off("drain", yes);
      s.off("close", yes);
      resolve(ok);
    };
    const yes = () => done(true);
    const t = setTimeout(() => done(false), ms);
    s.on("drain", yes);
    s.on("close", yes);
  });
}

/**
 * Write `input` to a socket (each chunk its own write, a pause between so most are their own
 * read), then wait for the other side to close, at most `deadlineMs`.
 */
export function playOn(socket: net.Socket, input: HostileInput, b: Bounds, heardSoFar = ""): Promise<PeerResult> {
  return new Promise((resolve) => {
    let heard = heardSoFar;
    let closed = socket.destroyed;
    let unbounded = false;
    let timer: NodeJS.Timeout | null = null;
    const finish = (hang: boolean) => {
      if (timer) clearTimeout(timer);
      timer = null;
      socket.destroy();
      resolve({ heard, hang, unbounded });
    };
    socket.on("data", (d) => {
      if (heard.length < 65536) heard += d.toString("latin1");
    });
    socket.on("error", () => {});
    socket.on("close", () => {
      closed = true;
      if (done) finish(false);
    });
    let done = false;
    const written = () => {
      done = true;
      if (closed) return finish(false);
      timer = setTimeout(() => finish(true), b.deadlineMs);
    };
    void (async () => {
      for (const c of input.chunks) {
        if (closed) return written();
        socket.write(c);
        await pause();
      }
      if (input.endless) {
        let sent = 0;
        while (!closed && sent < b.endlessCap) {
          sent += input.endless.length;
          if (!socket.write(input.endless) && !(await drained(socket, b.deadlineMs))) break; // not reading: the deadline decides
          await pause(); // paced (about 4 MB/s): what is measured is the endpoint's limit, not loopback speed
        }
        if (!closed && sent >= b.endlessCap) unbounded = true;
      }
      if (input.end && !closed) socket.end();
      written();
    })();
  });
}

/** Connect to an endpoint's port and play the input as its peer. */
export function playAgainst(port: number, input: HostileInput, b: Bounds): Promise<PeerResult> {
  return new Promise((resolve) => {
    const s = net.connect(port, "127.0.0.1");
    s.on("error", () => {});
    const bound = setTimeout(() => s.destroy(), b.deadlineMs);
    s.once("close", () => clearTimeout(bound));
    s.once("connect", () => {
      clearTimeout(bound);
      resolve(playOn(s, input, b));
    });
    s.once("close", () => resolve({ heard: "", hang: false, unbounded: false }));
  });
}

/**
 * A listener that plays hostile server streams to whoever connects (alice, or mallory's
 * upstream leg). Which input a connection gets is read from what it sends first: `pickInput`
 * sees the bytes heard so far and returns the input (or null to wait for more), and may set a
 * shorter deadline for it (a server that gives up, as a real one would). Results go to
 * `onResult` per connection.
 */
export async function hostileServer(
  pickInput: (heard: string) => { key: number; input: HostileInput; deadlineMs?: number } | null,
  b: Bounds,
  onResult: (key: number, r: PeerResult) => void,
): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<net.Socket>();
  const srv = net.createServer((s) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
    s.on("error", () => {});
    let heard = "";
    const onData = (d: Buffer) => {
      heard += d.toString("latin1");
      const got = pickInput(heard);
      if (!got) {
        if (heard.length > 65536) s.destroy();
        return;
      }
      s.off("data", onData);
      void playOn(s, got.input, got.deadlineMs ? { ...b, deadlineMs: got.deadlineMs } : b, heard).then((r) => onResult(got.key, r));
    };
    s.on("data", onData);
    // One that says nothing identifiable is closed by the deadline.
    setTimeout(() => s.destroy(), b.deadlineMs * 4).unref();
  });
  await new Promise<void>((r) => srv.listen(0, "127.0.0.1", () => r()));
  return {
    port: (srv.address() as net.AddressInfo).port,
    close: () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        srv.close(() => r());
      }),
  };
}

/** Run `n` jobs, at most `width` at a time. */
export async function pool(n: number, width: number, job: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(width, n) }, async () => {
      while (next < n) await job(next++);
    }),
  );
}
