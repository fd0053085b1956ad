import type { Emit, LabEvent } from "../core/events.js";
import { followJsonl } from "./follow.js";

/** Batches of events as they happen, from the start: a late subscriber gets what came before. */
export interface EventFeed {
  /** `notice`: a line for the speaker about the source itself (a log line that is no event). */
  subscribe(listener: (batch: LabEvent[]) => void, notice?: (text: string) => void): () => void;
}

/**
 * A feed for a mallory running in this process (`attacker --console`): her emit, numbered as
 * her `--jsonl` log numbers them, delivered once per event-loop turn (a login is dozens of
 * events in one turn: one redraw, not dozens).
 */
export function emitterFeed(clock: () => number = () => performance.now()): { emit: Emit; feed: EventFeed } {
  const all: LabEvent[] = [];
  const listeners = new Set<(batch: LabEvent[]) => void>();
  let from = 0;
  let scheduled = false;
  const t0 = clock();
  const flush = () => {
    scheduled = false;
    const batch = all.slice(from);
    from = all.length;
    if (batch.length) for (const l of listeners) l(batch);
  };
  const emit: Emit = (node, body, conn) => {
    const e = { ...body, node, seq: all.length, t: Math.round(clock() - t0) } as LabEvent;
    if (conn) e.conn = conn;
    all.push(e);
    if (!scheduled) {
      scheduled = true;
      setImmediate(flush);
    }
  };
  return {
    emit,
    feed: {
      subscribe(listener) {
        listeners.add(listener);
        const past = all.slice(0, from);
        if (past.length) listener(past);
        return () => void listeners.delete(listener);
      },
    },
  };
}

/** A feed that follows an attacker's `--jsonl` log (`mitm-lab watch FILE`). */
export function fileFeed(file: string): EventFeed {
  return {
    subscribe(listener, notice) {
      let bad = 0;
      const f = followJsonl(file, {
        events: listener,
        // Said, not hidden: a wrong file would otherwise just show nothing.
        badLine: (line) => notice?.(`⚠ ${++bad} line${bad === 1 ? "" : "s"} of ${file} ${bad === 1 ? "is" : "are"} not lab events (the last: ${JSON.stringify(line.slice(0, 40))}); is this an attacker's --jsonl log?`),
        restarted: () => notice?.(`${file} was truncated or replaced: reading it again from its start`),
      });
      return () => f.close();
    },
  };
}
