import fs from "node:fs";
import type { LabEvent } from "../core/events.js";

export interface Follower {
  close(): void;
}

export interface FollowHooks {
  /** Events read since the last call, in the file's order. */
  events(batch: LabEvent[]): void;
  /** A line that is not one of the lab's events (counted, shown; the rest is still read). */
  badLine?(line: string): void;
  /** The file shrank (a new log replaced it): reading starts again from its beginning. */
  restarted?(): void;
}

/**
 * Follow an attacker's `--jsonl` log as it grows, as `tail -f` does: what is in it already,
 * then every line appended, a line only once it is complete. The file may not exist yet (the
 * console can be opened before mallory starts). Polled: a stat every `intervalMs` is nothing
 * next to a presenter's pace, and works where change notifications do not (a mounted folder).
 */
export function followJsonl(file: string, hooks: FollowHooks, intervalMs = 200): Follower {
  let offset = 0;
  let closed = false;
  const read = () => {
    if (closed) return;
    let fd: number;
    try {
      fd = fs.openSync(file, "r");
    } catch {
      return; // not there yet
    }
    try {
      const size = fs.fstatSync(fd).size;
      if (size < offset) {
        offset = 0;
        hooks.restarted?.();
      }
      if (size === offset) return;
      const buf = Buffer.alloc(size - offset);
      const n = fs.readSync(fd, buf, 0, buf.length, offset);
      // Only whole lines: the writer may be mid-line (or mid-character); the rest is read again.
      const end = buf.subarray(0, n).lastIndexOf(0x0a);
      if (end < 0) return;
      offset += end + 1;
      const lines = buf.subarray(0, end).toString("utf8").split("\n");
      const batch: LabEvent[] = [];
      for (const line of lines) {
        if (!line.trim()) continue;
        const e = parseEvent(line);
        if (e) batch.push(e);
        else hooks.badLine?.(line);
      }
      if (batch.length) hooks.events(batch);
    } finally {
      fs.closeSync(fd);
    }
  };
  read();
  const timer = setInterval(read, intervalMs);
  return {
    close() {
      closed = true;
      clearInterval(timer);
    },
  };
}

/** One line of a node's `--jsonl` log, or null when it is not one (lab/live-log.ts writes them). */
export function parseEvent(line: string): LabEvent | null {
  try {
    const e = JSON.parse(line) as Partial<LabEvent>;
    if (typeof e !== "object" || e === null || typeof e.kind !== "string" || typeof e.node !== "string" || typeof e.seq !== "number") return null;
    return e as LabEvent;
  } catch {
    return null;
  }
}
