import { type Element, parse } from "ltx";
import type { LabEvent } from "../core/events.js";
import { bare } from "../core/stanzas.js";

/**
 * A standalone mallory's log as live sessions: one per connection through her, in the order
 * they started. Read from her events alone (`mitm-lab attacker --console`, or her `--jsonl`
 * log followed by `mitm-lab watch`), so everything here is what she observed: who connected,
 * what she read. Pure: the console and the tests feed it batches of events.
 */
export interface LiveSession {
  /** Unique in the log: the attacker run and the connection (`2:m1`). */
  key: string;
  /** mallory's connection id (m1, m2, ...), as her stderr log and `mitm-lab crack` name it. */
  conn: string;
  /** Which run of the attacker wrote it: one log file may be appended by several runs. */
  run: number;
  /** The client's address as mallory saw it connect. */
  peer: string | null;
  /** The account, once her log shows one: a login's username, or the address the server bound. */
  account: string | null;
  /** The domain the client asked for in its stream header. */
  domain: string | null;
  /** False once her log says the connection closed. */
  open: boolean;
  events: LabEvent[];
}

/** Where a run of the attacker listened, and with what tactics (its `listening` event). */
export interface LiveListener {
  run: number;
  address: string;
  port: number;
  tactics: string;
}

export interface LiveLog {
  listeners: LiveListener[];
  sessions: LiveSession[];
  /** Events from nodes other than an attacker (a server's or client's log): not drawn here. */
  others: number;
  /** The run the last event belonged to, and that event's seq (a new process starts again at 0). */
  run: number;
  lastSeq: number;
}

export const emptyLog = (): LiveLog => ({ listeners: [], sessions: [], others: 0, run: 0, lastSeq: Infinity });

/**
 * The log with a batch of events added (a new object; sessions a batch does not touch keep
 * their identity, so a renderer can tell which changed).
 */
export function addEvents(log: LiveLog, batch: readonly LabEvent[]): LiveLog {
  let { run, lastSeq, others } = log;
  const listeners = [...log.listeners];
  const sessions = [...log.sessions];
  const index = new Map(sessions.map((s, i) => [s.key, i]));
  const touched = new Set<number>();
  for (const e of batch) {
    // Each attacker process numbers its events from 0: a seq that goes back is a new run.
    if (e.seq <= lastSeq) run++;
    lastSeq = e.seq;
    if (e.node !== "mallory") {
      others++;
      continue;
    }
    if (e.kind === "listening") {
      listeners.push({ run, address: e.address, port: e.port, tactics: e.role });
      continue;
    }
    if (!e.conn) continue;
    const key = `${run}:${e.conn}`;
    let i = index.get(key);
    if (i === undefined) {
      i = sessions.length;
      index.set(key, i);
      sessions.push({ key, conn: e.conn, run, peer: null, account: null, domain: null, open: true, events: [] });
    }
    if (!touched.has(i)) {
      sessions[i] = { ...sessions[i], events: [...sessions[i].events] };
      touched.add(i);
    }
    note(sessions[i], e);
  }
  return { listeners, sessions, others, run, lastSeq };
}

/** What one event tells about its session: who, and whether it is still open. */
function note(s: LiveSession, e: LabEvent): void {
  s.events.push(e);
  switch (e.kind) {
    case "connected":
      s.peer = e.peer;
      return;
    case "closed":
      s.open = false;
      return;
    case "loot":
      if ((e.loot.type === "credential" || e.loot.type === "scram") && !s.account) s.account = s.domain ? `${e.loot.username}@${s.domain}` : e.loot.username;
      return;
    case "relay": {
      if (e.label === "stream header" && e.dir === "c2s" && !s.domain) s.domain = headerAttr(e.xml, "to");
      // The address the server bound is the account for sure (RFC 6120 §7.6.1).
      if (e.label === "iq result bind") {
        const jid = xml(e.xml)?.getChild("bind")?.getChildText("jid");
        if (jid) s.account = bare(jid);
      }
      return;
    }
  }
}

function xml(s: string): Element | null {
  try {
    return parse(s) as Element;
  } catch {
    return null;
  }
}

/** An attribute of a stream header (an open tag: closed here so it parses). */
function headerAttr(header: string, name: string): string | null {
  const open = header.replace(/^<\?xml[^>]*\?>/, "");
  const el = xml(open.replace(/>\s*$/, "/>"));
  return (el?.attrs[name] as string | undefined) ?? null;
}
