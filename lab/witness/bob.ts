import type { LabEvent } from "../core/events.js";

/** Per trace, with its length: a recorder's list still growing is read again. */
const cache = new WeakMap<readonly LabEvent[], { length: number; conns: ReadonlySet<string> }>();

/**
 * The server's connections that are bob's own session with it, not alice's path through
 * mallory: those the server logged in or bound as bob, and every one it accepted before
 * mallory's first event. The runner lets bob connect and log in before mallory starts
 * (lab/runner.ts), so that holds even when bob's login failed before a name was read (a
 * setting that leaves the server no mechanism he can use): his refusal, his features and his
 * TLS are his, never alice's.
 */
export function bobServerConns(events: readonly LabEvent[]): ReadonlySet<string> {
  const known = cache.get(events);
  if (known && known.length === events.length) return known.conns;
  const conns = new Set<string>();
  let malloryStarted = false;
  for (const e of events) {
    if (e.node === "mallory") malloryStarted = true;
    if (e.node !== "server" || !e.conn) continue;
    if ((e.kind === "connected" && !malloryStarted) || (e.kind === "auth" && e.username === "bob") || (e.kind === "bound" && e.jid.startsWith("bob@"))) conns.add(e.conn);
  }
  cache.set(events, { length: events.length, conns });
  return conns;
}

/** Not the server's side of bob's own session: an event on alice's path, or no server's at all. */
export function notBobs(events: readonly LabEvent[]): (e: LabEvent) => boolean {
  const bob = bobServerConns(events);
  return (e) => !(e.node === "server" && e.conn && bob.has(e.conn));
}
