import { type Element, parse } from "ltx";
import type { Edit, LabEvent, Move, TacticWhy } from "../core/events.js";
import { NS } from "../core/ns.js";
import { channelBindingTypesOf, mechanismsOf } from "../core/stanzas.js";
import type { LegTap } from "./taps.js";
import type { Witness } from "./witness.js";
import { notBobs } from "./bob.js";

/**
 * mallory's reports are claims. Each is checked here against the witness and the endpoints'
 * own events - never against another of mallory's reports. `supported: false` is a bug in
 * mallory (or in the lab) that the tests catch; every claim kind has a check.
 */
export interface Claim {
  seq: number;
  conn: string | null;
  /** "loot:credential", "edit:removed-starttls", "move:tls-answered", "tactic:unused:no-message", ... */
  claim: string;
  supported: boolean;
}

const TLS_REFUSALS = ["CERT_UNTRUSTED", "CERT_NAME_MISMATCH", "CERT_EXPIRED", "PIN_MISMATCH", "TLS_FAILED", "TLS_ABORTED", "CONNECTION_CLOSED"];

function xml(s: string): Element | null {
  try {
    return parse(s) as Element;
  } catch {
    return null;
  }
}

/** What the endpoints saw, indexed once for every check. */
class Endpoints {
  readonly aliceFeatures: Element[];
  readonly serverFeatures: Element[];
  readonly aliceErrors: string[];
  readonly aliceDecisions: LabEvent[];
  readonly aliceTls: Array<Extract<LabEvent, { kind: "tls" }>>;
  /**
   * mallory's connections that did not come through the runner's alice↔mallory tap: whoever
   * opened them (any local process can reach her listener's port - under load, a port just
   * freed by another test is handed to her), they are not alice's, and alice's own events say
   * nothing about them. Empty when the run kept no taps.
   */
  readonly notAlices: ReadonlySet<string>;
  /** The server's events on the connections that came through mallory (bob's are left out). */
  readonly server: readonly LabEvent[];
  constructor(readonly events: readonly LabEvent[], readonly w: Witness, readonly taps: readonly LegTap[] | null) {
    // bob's own session with the server is not on mallory's path: leave it out.
    const onPath = notBobs(events);
    this.server = events.filter((e) => e.node === "server" && onPath(e));
    const features = (node: string, dir: "in" | "out") =>
      (node === "server" ? this.server : events).flatMap((e) => (e.node === node && e.kind === "stanza" && e.dir === dir && e.label.startsWith("features") ? [xml(e.xml)].filter((x): x is Element => !!x) : []));
    this.aliceFeatures = features("alice", "in");
    this.serverFeatures = features("server", "out");
    this.aliceErrors = events.flatMap((e) => (e.node === "alice" && e.kind === "error" ? [e.code] : []));
    this.aliceDecisions = events.filter((e) => e.node === "alice" && e.kind === "decision");
    this.aliceTls = events.flatMap((e) => (e.node === "alice" && e.kind === "tls" ? [e] : []));
    const aliceLeg = taps?.find((t) => t.leg === "alice-mallory");
    const viaTap = new Set((aliceLeg?.connections ?? []).flatMap((c) => (c.via !== null ? [String(c.via)] : [])));
    this.notAlices = new Set(
      aliceLeg
        ? events.flatMap((e) => (e.node === "mallory" && e.kind === "connected" && e.conn && !viaTap.has(e.peer.slice(e.peer.lastIndexOf(":") + 1)) ? [e.conn] : []))
        : [],
    );
  }
  aliceGot(label: string): boolean {
    return this.events.some((e) => e.node === "alice" && e.kind === "stanza" && e.dir === "in" && e.label === label);
  }
  serverRouted(body: string): boolean {
    return this.server.some((e) => e.kind === "message" && e.what === "routed" && e.body === body);
  }
  aliceSent(body: string): boolean {
    return this.events.some((e) => e.node === "alice" && e.kind === "message" && e.what === "sent" && e.body === body);
  }
  /** A TLS session on the server that is not one of alice's: mallory's own, toward the server. */
  serverTlsNotAlice(how?: "starttls" | "direct"): boolean {
    const mine = new Set(this.w.sessions.map((s) => s.clientRandom));
    return this.server.some((e) => e.kind === "tls" && (!how || e.how === how) && !mine.has(e.clientRandom));
  }
  /**
   * On the mallory↔server leg, did at least `bytes` bytes follow a <starttls/> before TLS began?
   * (A client sends nothing there, RFC 6120 §5.4.3.1.) null when the run kept no taps.
   */
  appendedOnServerLeg(bytes: number): boolean | null {
    if (!this.taps) return null;
    for (const t of this.taps) {
      if (t.leg !== "mallory-server") continue;
      for (const c of t.connections) {
        // What followed <starttls/> toward the server, up to the first TLS record (0x16).
        const all = Buffer.concat(c.c2s).toString("latin1");
        const m = /<starttls[^>]*?(\/>|><\/starttls>)/.exec(all);
        if (!m) continue;
        const rest = all.slice(m.index + m[0].length);
        const tls = rest.indexOf("\x16\x03");
        if ((tls < 0 ? rest.length : tls) >= bytes) return true;
      }
    }
    return false;
  }
  terminated(): boolean {
    return this.w.sessions.some((s) => !s.reachedServer);
  }
  endToEnd(): boolean {
    return this.w.sessions.some((s) => s.reachedServer);
  }
  aliceSentInsideTerminated(): boolean {
    const firstTerminated = this.w.sessions.find((s) => !s.reachedServer);
    if (!firstTerminated) return false;
    return this.events.some((e) => e.node === "alice" && e.kind === "stanza" && e.dir === "out" && e.secure && e.seq > firstTerminated.seq);
  }
}

const has = (f: Element, name: string, ns: string) => !!f.getChild(name, ns);

function checkEdit(x: Edit, ep: Endpoints): boolean {
  switch (x.op) {
    case "removed-starttls":
      // The server offered it (with <required/> if so claimed) and alice got features without it.
      return ep.serverFeatures.some((f) => { const st = f.getChild("starttls", NS.tls); return !!st && !!st.getChild("required") === x.required; })
        && ep.aliceFeatures.some((f) => !has(f, "starttls", NS.tls));
    case "removed-mechanisms":
      return x.mechanisms.every((m) => ep.serverFeatures.some((f) => mechanismsOf(f).includes(m)))
        && ep.aliceFeatures.some((f) => x.mechanisms.every((m) => !mechanismsOf(f).includes(m)));
    case "removed-channel-binding":
      return ep.serverFeatures.some((f) => x.types.every((t) => channelBindingTypesOf(f).includes(t)) && has(f, "sasl-channel-binding", NS.saslChannelBinding))
        && ep.aliceFeatures.some((f) => !has(f, "sasl-channel-binding", NS.saslChannelBinding));
    case "added-mechanisms":
      return ep.aliceFeatures.some((f) => x.mechanisms.every((m) => mechanismsOf(f).includes(m)))
        && ep.serverFeatures.some((f) => mechanismsOf(f).length === 0 && !f.getChild("bind", NS.bind));
    case "rewrote-body":
      return ep.aliceSent(x.before) && ep.serverRouted(x.after);
    case "withheld":
      // Features the server sent before TLS that never reached alice: she saw no <starttls/> at all.
      return ep.serverFeatures.some((f) => has(f, "starttls", NS.tls)) && !ep.aliceFeatures.some((f) => has(f, "starttls", NS.tls));
    case "appended":
      // Bytes of hers right behind the element on the server's leg, in the same write - in the
      // tapped bytes (or, without taps, the server's own finding of them).
      return ep.appendedOnServerLeg(x.bytes) ?? ep.server.some((e) => (e.kind === "error" && e.code === "STARTTLS_INJECTION") || (e.kind === "decision" && e.decision.type === "processes-cleartext-as-tls"));
    case "dropped":
      return true; // nothing reached the other side to contradict it; no built-in tactic drops
    case "replaced":
      return true; // derived by comparing the element before and after a user's tactic: true by construction
  }
}

function checkMove(m: Move, ep: Endpoints): boolean {
  switch (m.type) {
    case "blocked":
      return ep.aliceDecisions.some((e) => e.kind === "decision" && e.decision.type === "fallback") || ep.aliceErrors.some((c) => ["CONNECT_FAILED", "TLS_ABORTED", "CONNECTION_CLOSED", "TLS_FAILED"].includes(c));
    case "tls-answered":
      // alice's TLS showed that certificate - or she refused one during the handshake.
      return ep.aliceTls.some((t) => t.peerCert?.pin === m.cert.pin) || ep.aliceErrors.some((c) => TLS_REFUSALS.includes(c));
    case "client-sent-through-tls":
      return ep.aliceSentInsideTerminated();
    case "client-hung-up":
      return !ep.aliceSentInsideTerminated() && ep.aliceErrors.length > 0;
    case "client-tls-alert":
      return ep.aliceErrors.some((c) => TLS_REFUSALS.includes(c));
    case "server-tls-failed":
      return !ep.serverTlsNotAlice();
    case "starttls-refused":
      // alice got a TLS <failure/> the server never sent: mallory's, in its name.
      return ep.aliceGot("<failure/>") && !ep.server.some((e) => e.kind === "stanza" && e.dir === "out" && e.label === "<failure/>");
    case "upstream-starttls":
      return ep.serverFeatures.some((f) => { const st = f.getChild("starttls", NS.tls); return !!st && (m.because !== "server-requires-tls" || !!st.getChild("required")); });
    case "upstream-starttls-done":
      return ep.serverTlsNotAlice("starttls");
    case "upstream-starttls-failed":
      return !ep.serverTlsNotAlice("starttls");
    case "bit-flipped":
      return ep.aliceErrors.includes("TLS_INTEGRITY") || ep.server.some((e) => e.kind === "closed" && /bad record mac|decrypt/i.test(e.reason ?? ""));
    case "sealed":
      // She could not read it: alice's TLS reached the server, or alice gave up on TLS herself.
      return ep.endToEnd() || ep.aliceErrors.length > 0;
    case "byte-relay":
      return true; // about mallory's own relay, nothing outside it to contradict
    case "upstream-unreachable":
      return !ep.events.some((e) => e.node === "alice" && e.kind === "stanza" && e.dir === "in");
    case "offline-guess":
      // The witness guesses with the same bundled list from ground truth (wordlistRecovers).
      return m.password !== null
        ? ep.w.scramExposed.some((x) => x.cracked && x.username === m.username && x.password === m.password && x.guesses === m.guesses)
        : ep.w.scramExposed.some((x) => !x.cracked && x.username === m.username);
    case "offline-guess-skipped":
      return true; // about her own guessing, nothing outside it to contradict
    case "unreadable":
    case "element-unread":
    case "stanza-too-large":
      return true; // about how she read her own relay; the bytes went on as they came
    case "too-many-connections":
    case "idle-closed":
      return true; // about her own listener; no victim took part
  }
}

function checkTacticWhy(tactic: string, why: TacticWhy, ep: Endpoints): boolean {
  const w = ep.w;
  const readableSomething = w.passwordExposed.length > 0 || w.scramExposed.length > 0 || w.readableBodies.length > 0;
  switch (why) {
    case "sealed":
      return ep.endToEnd() || ep.aliceErrors.length > 0;
    case "no-starttls-inside-tls":
    case "no-tls-records":
      return ep.terminated() || !ep.endToEnd();
    case "no-tls-from-client":
      return ep.aliceTls.length === 0 && !ep.aliceErrors.some((c) => c.startsWith("CERT_") || c.startsWith("TLS_") || c === "PIN_MISMATCH");
    case "nothing-to-edit":
      if (tactic === "strip-starttls") return !ep.aliceFeatures.some((f) => has(f, "starttls", NS.tls));
      if (tactic === "strip-mechanisms") return !ep.aliceFeatures.some((f) => mechanismsOf(f).some((m) => m.startsWith("SCRAM-")));
      if (tactic === "strip-plus") return !ep.aliceFeatures.some((f) => mechanismsOf(f).some((m) => m.endsWith("-PLUS")) || has(f, "sasl-channel-binding", NS.saslChannelBinding));
      if (tactic === "offer-plain") return !ep.aliceFeatures.some((f) => mechanismsOf(f).length === 0 && !f.getChild("bind", NS.bind));
      return true;
    case "no-message":
      return w.readableBodies.length === 0;
    case "no-match":
      return w.readableBodies.length > 0;
    case "nothing-readable":
      return !readableSomething;
    case "byte-relay":
      return ep.events.some((e) => e.node === "mallory" && e.kind === "move" && e.move.type === "byte-relay");
    case "blocked":
      return ep.events.some((e) => e.node === "mallory" && e.kind === "move" && e.move.type === "blocked");
    case "starttls-refused":
      return ep.aliceGot("<failure/>") && !ep.server.some((e) => e.kind === "stanza" && e.dir === "out" && e.label === "<failure/>");
    case "no-scram-exchange":
      return w.scramExposed.length === 0;
    case "no-starttls-from-client":
      return !ep.events.some((e) => e.node === "alice" && e.kind === "stanza" && e.dir === "out" && !e.secure && e.label === "<starttls/>");
  }
}

/** Every claim mallory made in this trace, each with its check. */
export function checkClaims(events: readonly LabEvent[], w: Witness, passwords: Record<string, string>, taps: readonly LegTap[] | null = null): Claim[] {
  const ep = new Endpoints(events, w, taps);
  const out: Claim[] = [];
  for (const e of events) {
    if (e.node !== "mallory") continue;
    const add = (claim: string, supported: boolean) => out.push({ seq: e.seq, conn: e.conn ?? null, claim, supported });
    if (e.kind === "loot") {
      const l = e.loot;
      // A password she decoded from PLAIN, or guessed offline from a SCRAM exchange she read.
      if (l.type === "credential") add("loot:credential", passwords[l.username] === l.password && (w.passwordExposed.some((p) => p.username === l.username) || w.scramExposed.some((x) => x.cracked && x.username === l.username)));
      else if (l.type === "scram") add("loot:scram", w.scramExposed.some((x) => x.clientFinal === l.clientFinal));
      else if (l.type === "message-read") add("loot:message-read", w.readableBodies.includes(l.body));
      else add("loot:message-tampered", ep.aliceSent(l.sent) && ep.serverRouted(l.delivered));
    } else if (e.kind === "relay") {
      for (const x of e.edits) add(`edit:${x.op}`, checkEdit(x, ep));
    } else if (e.kind === "move") {
      add(`move:${e.move.type}`, checkMove(e.move, ep));
    } else if (e.kind === "tactic") {
      // Why a tactic did not act is about the client on that connection ("it never started TLS",
      // "no message crossed"): when it is not alice's, what alice did on her own connection does
      // not contradict it, and nothing the witness recorded is of that client's.
      const notAlice = !!e.conn && ep.notAlices.has(e.conn);
      add(`tactic:${e.status}:${e.why}`, notAlice || checkTacticWhy(e.tactic, e.why, ep));
    }
  }
  return out;
}
