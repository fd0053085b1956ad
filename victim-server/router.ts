import type { Element } from "ltx";
import { bare } from "../lab/core/stanzas.js";

export interface Routable {
  jid: string; // full JID once bound
  deliver(el: Element): void;
}

/**
 * Routes stanzas between bound sessions (RFC 6120 §10.5.3, simplified: a message to a bare
 * JID goes to every session of that account). Messages to an account with no session wait
 * in a small queue until it binds, so `mitm-lab client --send` can run before the receiver.
 */
export class Router {
  private readonly sessions = new Set<Routable>();
  private readonly offline = new Map<string, Element[]>();

  add(s: Routable): void {
    this.sessions.add(s);
    const queued = this.offline.get(bare(s.jid));
    if (queued) {
      this.offline.delete(bare(s.jid));
      for (const el of queued) s.deliver(el);
    }
  }

  remove(s: Routable): void {
    this.sessions.delete(s);
  }

  /** Returns how many sessions got it (0 = queued). */
  route(el: Element): number {
    const to = el.attrs.to as string;
    const targets = [...this.sessions].filter((s) => (to.includes("/") ? s.jid === to : bare(s.jid) === bare(to)));
    for (const s of targets) s.deliver(el);
    if (targets.length === 0 && el.name === "message") {
      const q = this.offline.get(bare(to)) ?? [];
      if (q.length < 100) q.push(el);
      this.offline.set(bare(to), q);
    }
    return targets.length;
  }
}
