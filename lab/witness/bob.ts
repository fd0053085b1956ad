import type { LabEvent } from "../core/events.js";

const cache = new WeakMap<readonly LabEvent[], ReadonlySet<string>>();

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
  if (known) return known;
  const conns = new Set<string>();
  let malloryStarted = false;
  for (const e of events) {
    if (e.node === "mallory") malloryStarted = true;
    if (e.node !== "server" || !e.conn) continue;
    if ((e.kind === "connected" && !malloryStarted) || (e.kind === "auth" && e.username === "bob") || (e.kind === "bound" && e.jid.startsWith("bob@"))) conns.add(e.conn);
  }
  cache.set(events, conns);
  return conns;
}

/** Not the server's side of bob's own session: an event on alice's path, or no server's at all. */
export function notBobs(events: readonly LabEvent[]): (e: LabEvent) => boolean {
  const bob = bobServerConns(events);
  return (e) => !(e.node === "server" && e.conn && bob.has(e.conn));
}
