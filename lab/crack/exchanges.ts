import { type Element, parse } from "ltx";
import { NS } from "../core/ns.js";
import type { ScramExchange } from "../core/sasl/crack.js";
import { unb64 } from "../core/stanzas.js";

/** One SCRAM exchange found in a log, with the connection it crossed. */
export interface LoggedExchange extends ScramExchange {
  conn: string | null;
}

export interface LogExchanges {
  exchanges: LoggedExchange[];
  /** JSON lines read, and lines that were not JSON objects. */
  lines: number;
  unreadable: number;
}

/**
 * The SCRAM exchanges in a mallory `--jsonl` log. They are rebuilt from what crossed her
 * sockets - the `<auth>`, `<challenge>` and `<response>` elements she relayed (RFC 6120
 * §6.4.2-§6.4.3), per connection - so a log of `observe` alone is enough. Recorded SCRAM loot
 * (any object with clientFirst, serverFirst and clientFinal) is read too; duplicates count once.
 */
export function exchangesFromLog(text: string): LogExchanges {
  const out: LoggedExchange[] = [];
  const seen = new Set<string>();
  const open = new Map<string, { mechanism: string; clientFirst: string; serverFirst: string | null }>();
  let lines = 0;
  let unreadable = 0;
  const add = (x: LoggedExchange) => {
    if (seen.has(x.clientFinal)) return;
    seen.add(x.clientFinal);
    out.push(x);
  };
  for (const line of text.split("\n")) {
    if (!line.trim()) continue;
    lines++;
    let e: unknown;
    try {
      e = JSON.parse(line);
    } catch {
      unreadable++;
      continue;
    }
    if (!e || typeof e !== "object") {
      unreadable++;
      continue;
    }
    const ev = e as Record<string, unknown>;
    const conn = typeof ev.conn === "string" ? ev.conn : null;
    if (ev.kind === "relay" && typeof ev.xml === "string" && ev.xml.includes(NS.sasl)) {
      const el = element(ev.xml);
      if (el) step(el, conn ?? "?", open, (x) => add({ ...x, conn }));
    }
    for (const x of recordedExchanges(ev)) add({ ...x, conn });
  }
  return { exchanges: out, lines, unreadable };
}

function element(xml: string): Element | null {
  try {
    return parse(xml) as Element;
  } catch {
    return null;
  }
}

/** Follow one connection's SASL elements: auth, then challenge, then response (RFC 6120 §6.4.3). */
function step(el: Element, conn: string, open: Map<string, { mechanism: string; clientFirst: string; serverFirst: string | null }>, done: (x: ScramExchange) => void): void {
  if (el.attrs.xmlns !== NS.sasl) return;
  const mech = el.attrs.mechanism as string | undefined;
  if (el.name === "auth" && mech?.startsWith("SCRAM-")) {
    open.set(conn, { mechanism: mech, clientFirst: unb64(el.getText()), serverFirst: null });
  } else if (el.name === "challenge") {
    const o = open.get(conn);
    if (o && o.serverFirst === null) o.serverFirst = unb64(el.getText());
  } else if (el.name === "response") {
    const o = open.get(conn);
    if (o?.serverFirst) done({ mechanism: o.mechanism, clientFirst: o.clientFirst, serverFirst: o.serverFirst, clientFinal: unb64(el.getText()) });
    open.delete(conn);
  } else if (el.name === "success" || el.name === "failure") {
    open.delete(conn);
  }
}

/** Objects anywhere in an event that hold a whole recorded exchange (mallory's SCRAM loot). */
function recordedExchanges(v: unknown, depth = 0): ScramExchange[] {
  if (!v || typeof v !== "object" || depth > 4) return [];
  const o = v as Record<string, unknown>;
  if (typeof o.mechanism === "string" && typeof o.clientFirst === "string" && typeof o.serverFirst === "string" && typeof o.clientFinal === "string") {
    return [{ mechanism: o.mechanism, clientFirst: o.clientFirst, serverFirst: o.serverFirst, clientFinal: o.clientFinal }];
  }
  return Object.values(o).flatMap((c) => recordedExchanges(c, depth + 1));
}
