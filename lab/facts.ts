import type { LabEvent } from "./core/events.js";
import type { Fact } from "../scenarios/facts.js";
import type { Scenario } from "../scenarios/types.js";
import type { Witness } from "./witness/index.js";
import { notBobs } from "./witness/bob.js";

export type { Fact } from "../scenarios/facts.js";

/**
 * Where each fact of a narration line holds in a run (scenarios/facts.ts says what they mean).
 * A line says what it says only when every fact in its `when` holds: it is shown right after
 * the event that establishes the last of them, and not at all otherwise.
 */

export interface Trace {
  scenario: Scenario;
  events: readonly LabEvent[];
  witness: Witness;
}

/** The event that establishes a fact: its seq; -1 for a fact that holds without one; null if it does not hold. */
export function locate(f: Fact, t: Trace): number | null {
  // bob's own session with the server is no part of alice's story: a fact about the server is about her path.
  const onPath = notBobs(t.events);
  const first = (p: (e: LabEvent) => boolean) => t.events.find((e) => onPath(e) && p(e))?.seq ?? null;
  const w = t.witness;
  switch (f.fact) {
    case "edit":
      return first((e) => e.node === "mallory" && e.kind === "relay" && (!f.dir || e.dir === f.dir) && (!f.context || e.context === f.context) && e.edits.some((x) => x.op === f.op));
    case "move":
      return first((e) => e.node === "mallory" && e.kind === "move" && e.move.type === f.move);
    case "decision":
      return first((e) => {
        if (e.node !== (f.node ?? "alice") || e.kind !== "decision" || e.decision.type !== f.decision) return false;
        const d = e.decision;
        if (d.type === "channel-binding") return f.binding === undefined || d.binding === f.binding;
        if (d.type !== "mechanism") return f.chosen === undefined && f.belowPreference === undefined;
        if (f.chosen !== undefined && !(d.chosen === f.chosen || (f.chosen.endsWith("-") && d.chosen.startsWith(f.chosen)))) return false;
        if (f.secure !== undefined && d.secure !== f.secure) return false;
        if (f.notOffered !== undefined && d.offered.includes(f.notOffered)) return false;
        if (f.belowPreference !== undefined) {
          const better = d.preference.slice(0, Math.max(0, d.preference.indexOf(d.chosen)));
          if (better.length > 0 !== f.belowPreference) return false;
        }
        return true;
      });
    case "error":
      return first((e) => e.node === (f.node ?? "alice") && e.kind === "error" && e.code === f.code && (!f.detail || e.detail === f.detail));
    case "stanza":
      return first((e) => e.node === (f.node ?? "alice") && e.kind === "stanza" && e.dir === f.dir && e.label === f.label);
    case "tls": {
      const serverKey = t.events.flatMap((e) => (e.node === "server" && e.kind === "tls" ? [e.localCert?.pin] : []))[0] ?? null;
      for (const e of t.events) {
        if (e.node !== "alice" || e.kind !== "tls") continue;
        const session = w.sessions.find((x) => x.seq === e.seq);
        const sentInside = t.events.some((x) => x.node === "alice" && x.kind === "stanza" && x.dir === "out" && x.secure && x.seq > e.seq);
        if (f.how !== undefined && e.how !== f.how) continue;
        if (f.verify !== undefined && e.verify !== f.verify) continue;
        if (f.subject !== undefined && e.peerCert?.subject !== f.subject) continue;
        if (f.issuer !== undefined && e.peerCert?.issuer !== f.issuer) continue;
        if (f.pinMatched !== undefined && e.pinMatched !== f.pinMatched) continue;
        if (f.authorized !== undefined && e.authorized !== f.authorized) continue;
        if (f.selfSigned !== undefined && e.peerCert?.selfSigned !== f.selfSigned) continue;
        if (f.reachedServer !== undefined && session?.reachedServer !== f.reachedServer) continue;
        if (f.serverKey !== undefined && (e.peerCert?.pin === serverKey) !== f.serverKey) continue;
        if (f.accepted !== undefined && sentInside !== f.accepted) continue;
        return e.seq;
      }
      return null;
    }
    case "ct-logged": {
      const log = t.events.find((e) => e.kind === "ct-log");
      if (!log || log.kind !== "ct-log") return null;
      // Established once alice was shown the certificate and, for `serverKey`, once the server showed its own.
      const server = t.events.find((e) => e.node === "server" && e.kind === "tls");
      const serverKey = server?.kind === "tls" ? (server.localCert?.pin ?? null) : null;
      const shown = t.events.find((e) => {
        if (e.node !== "alice" || e.kind !== "tls" || !e.peerCert) return false;
        const pin = e.peerCert.pin;
        return log.entries.some((x) => x.pin === pin) && (f.serverKey === undefined || (pin === serverKey) === f.serverKey);
      });
      if (!shown) return null;
      return Math.max(log.seq, shown.seq, f.serverKey !== undefined && server ? server.seq : -1);
    }
    case "scram-flag":
      return first((e) => e.node === "alice" && e.kind === "stanza" && e.dir === "out" && scramFlag(e.xml) === f.flag);
    case "auth":
      return first((e) => e.node === "server" && e.kind === "auth" && e.ok === f.ok && (e.username === "alice" || (!e.ok && e.username === "?")) && (!f.reason || e.reason === f.reason));
    case "loot":
      return first((e) => e.node === "mallory" && e.kind === "loot" && e.loot.type === f.type);
    case "sealed":
      return first((e) => e.node === "mallory" && e.kind === "sealed");
    case "password-exposed":
      return w.passwordExposed.find((p) => (!f.mechanism || p.mechanism === f.mechanism) && (!f.how || p.how === f.how))?.seq ?? null;
    case "scram-exposed":
      return w.scramExposed.find((x) => (f.cracked === undefined || x.cracked === f.cracked) && (!f.how || x.how === f.how))?.seq ?? null;
    case "message-read":
      return w.messagesRead.find((m) => !f.how || m.how === f.how)?.seq ?? null;
    case "message-altered":
      return w.messagesAltered[0]?.seq ?? null;
    case "login-relayed":
      return w.loginRelayed[0]?.seq ?? null;
    case "no-password-exposed":
      return w.passwordExposed.length === 0 && !w.scramExposed.some((x) => x.cracked) ? -1 : null;
    case "no-message-sent":
      return t.events.some((e) => e.node === "alice" && e.kind === "message" && e.what === "sent") ? null : -1;
    case "no-login-relayed":
      return w.loginRelayed.length === 0 ? -1 : null;
    case "nothing-exposed":
      return w.passwordExposed.length === 0 && w.scramExposed.length === 0 && w.messagesRead.length === 0 ? -1 : null;
  }
}

/** The gs2 flag of a SCRAM <auth/> element's initial response (RFC 5802 §7), or null for any other element. */
export function scramFlag(xml: string): "n" | "y" | "p" | null {
  const m = /^<auth\b[^>]*\bmechanism=["']SCRAM-[^"']*["'][^>]*>([A-Za-z0-9+/=]+)<\/auth>$/.exec(xml);
  const first = m ? Buffer.from(m[1], "base64").toString("latin1")[0] : undefined;
  return first === "n" || first === "y" || first === "p" ? first : null;
}

/** One narration line that holds in this run, and where it goes: after the event `at`. */
export interface PlacedLine {
  say: string;
  /** A view the line asks for (the scenario's `show`). */
  show?: "ct-monitor";
  at: number;
  /** Its index in the scenario's narration. */
  index: number;
}

/** The scenario's narration lines whose facts all hold, each placed after the last event they need. */
export function placeNarration(t: Trace): PlacedLine[] {
  const last = t.events.at(-1)?.seq ?? 0;
  const out: PlacedLine[] = [];
  t.scenario.narration.forEach((n, index) => {
    const at = n.when.map((f) => locate(f, t));
    if (at.some((x) => x === null)) return;
    const max = Math.max(...(at as number[]));
    out.push({ say: n.say, at: max < 0 ? last : max, index, ...(n.show ? { show: n.show } : {}) });
  });
  return out.sort((a, b) => a.at - b.at || a.index - b.index);
}
