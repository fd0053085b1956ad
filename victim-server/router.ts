import type { Element } from "ltx";
import { bare } from "../lab/core/stanzas.js";

export interface Routable {
  jid: string; // full JID once bound
  deliver(el: Element): void;
}

/** What route() did with a stanza. */
export type Routed = "delivered" | "queued" | "no-such-user" | "queue-full";

/**
 * Routes stanzas between bound sessions (RFC 6120 §10.5.3, simplified: a message to a bare
 * JID goes to every session of that account). Messages to an account with no session wait
 * in a small queue until it binds, so `mitm-lab client --send` can run before the receiver.
 * Only accounts that exist get a queue, and each queue is bounded: made-up recipients cost
 * the server nothing (issue 13).
 */
export class Router {
  private readonly sessions = new Set<Routable>();
  private readonly offline = new Map<string, Element[]>();

  constructor(
    private readonly domain: string,
    private readonly exists: (username: string) => boolean,
    private readonly perAccount: number,
  ) {}

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

  route(el: Element): Routed {
    const to = el.attrs.to as string;
    const targets = [...this.sessions].filter((s) => (to.includes("/") ? s.jid === to : bare(s.jid) === bare(to)));
    for (const s of targets) s.deliver(el);
    if (targets.length) return "delivered";
    const account = bare(to);
    const at = account.indexOf("@");
    if (at < 1 || account.slice(at + 1) !== this.domain || !this.exists(account.slice(0, at))) return "no-such-user";
    if (el.name !== "message") return "delivered"; // presence and iq to an offline account are not kept
    const q = this.offline.get(account) ?? [];
    if (q.length >= this.perAccount) return "queue-full";
    q.push(el);
    this.offline.set(account, q);
    return "queued";
  }
}
