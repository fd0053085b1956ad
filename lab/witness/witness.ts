import { type Element, parse } from "ltx";
import type { LabEvent } from "../core/events.js";
import { NS } from "../core/ns.js";
import { decodePlain } from "../core/sasl/plain.js";
import { type ScramExchange, wordlistRecovers } from "../core/sasl/crack.js";
import { parseAttributes, unescapeName } from "../core/sasl/scram.js";
import { bare, unb64 } from "../core/stanzas.js";
import { readConnection } from "./legs.js";
import type { Leg, LegTap } from "./taps.js";

/**
 * The witness: what happened, from the endpoints and from the legs the runner tapped - never
 * from mallory's own reports. It knows alice's real password and what she sent, what bob
 * received, what the server authenticated, and which TLS session alice's traffic reached.
 *
 * How each fact is established:
 * - cleartext on a leg: the tapped bytes, read with the lab's framing up to the TLS boundary;
 * - inside TLS: alice's TLS session is matched to the server's by the ClientHello random both
 *   ends report (tls events). A session of alice's that the server never had was terminated on
 *   the path, so everything alice sent inside it was readable by whoever terminated it;
 * - altered messages: bob's inbox against what alice sent (endpoints only);
 * - a relayed login: the server accepted alice on a stream that was not her own TLS session.
 */

/** How an on-path party could read it: in the clear on a leg, or inside a TLS session terminated on the path. */
export type How = "cleartext" | "terminated-tls";

export interface Exposure {
  leg: Leg;
  how: How;
  /** The event of alice's that sent it (for placing a line in the story), or -1. */
  seq: number;
}

export interface PasswordExposure extends Exposure {
  mechanism: string;
  username: string;
  password: string;
}

export interface ScramExposure extends Exposure, ScramExchange {
  username: string;
  iterations: number;
  /** Does the bundled wordlist recover the password from this exchange (RFC 5802 §9)? */
  cracked: boolean;
  /** Words of the list tried until it did (all of them when it did not). */
  guesses: number;
  /** The password the list recovers, or null. */
  password: string | null;
}

export interface MessageExposure extends Exposure {
  body: string;
}

export interface RelayedLogin {
  /** The server's connection id on which it accepted alice. */
  conn: string;
  mechanism: string;
  /** The stream the server accepted her on: cleartext, or TLS that was not alice's own session. */
  stream: "cleartext" | "other-tls";
  seq: number;
}

export interface AliceSession {
  clientRandom: string | null;
  /** The server had this very session: TLS from alice to the server, end to end. */
  reachedServer: boolean;
  /** The tls event's seq. */
  seq: number;
}

export interface Witness {
  passwordExposed: PasswordExposure[];
  scramExposed: ScramExposure[];
  messagesRead: MessageExposure[];
  /**
   * bob received these from alice, and alice never sent them (endpoints only); `at` "server"
   * when bob was not there (a setting kept him out) and the server's routing is the endpoint.
   */
  messagesAltered: Array<{ sent: string; delivered: string; seq: number; at: "bob" | "server" }>;
  loginRelayed: RelayedLogin[];
  /** alice's TLS sessions, in order, and whether each reached the server. */
  sessions: AliceSession[];
  /**
   * STARTTLS injection (CVE-2011-0411 class), from the server's own record: bytes that crossed
   * in cleartext behind <starttls/> that it processed as part of a TLS session, and what it
   * read from them - words alice never said, acted on inside her encrypted session.
   */
  injected: Array<{ conn: string | null; bytes: number; read: string[]; seq: number }>;
  /** Every message body an on-path party could read, alice's or to her. */
  readableBodies: string[];
  /** The verdict's rule: password exposed (a cracked SCRAM exchange counts), a message read or altered, a login relayed, or words injected. */
  attackSucceeded: boolean;
}

export interface Truth {
  /** alice's JID (bare) and her real password. */
  jid: string;
  password: string;
  /** The wordlist an offline guess would use (lab/crack/wordlist.ts). */
  words: readonly string[];
}

function xmlOf(xml: string): Element | null {
  try {
    return parse(xml) as Element;
  } catch {
    return null;
  }
}

/** One stream's readable elements, in order per direction, as the exposures below read them. */
interface Readable {
  leg: Leg;
  how: How;
  c2s: Element[];
  s2c: Element[];
  /** seq of alice's event for each c2s element (terminated TLS), or none (cleartext on a leg). */
  c2sSeq?: number[];
}

export function judgeWitness(events: readonly LabEvent[], taps: readonly LegTap[], truth: Truth): Witness {
  const username = truth.jid.split("@")[0];
  const alice = events.filter((e) => e.node === "alice");
  const sent = alice.flatMap((e) => (e.kind === "message" && e.what === "sent" ? [e] : []));

  // ---- alice's TLS sessions, matched to the server's by ClientHello random -----------------
  const serverRandoms = new Map<string, string | undefined>();
  for (const e of events) if (e.node === "server" && e.kind === "tls" && e.clientRandom) serverRandoms.set(e.clientRandom, e.conn);
  const sessions: AliceSession[] = [];
  const readables: Readable[] = [];
  let current: (Readable & { c2sSeq: number[] }) | null = null;
  for (const e of alice) {
    if (e.kind === "connected") current = null;
    if (e.kind === "tls") {
      const reached = !!e.clientRandom && serverRandoms.has(e.clientRandom);
      sessions.push({ clientRandom: e.clientRandom, reachedServer: reached, seq: e.seq });
      current = reached ? null : { leg: "alice-mallory", how: "terminated-tls", c2s: [], s2c: [], c2sSeq: [] };
      if (current) readables.push(current);
    }
    if (e.kind === "stanza" && e.secure && current) {
      const el = xmlOf(e.xml);
      if (!el) continue;
      if (e.dir === "out") {
        current.c2s.push(el);
        current.c2sSeq.push(e.seq);
      } else current.s2c.push(el);
    }
  }

  // ---- cleartext on each tapped leg ----------------------------------------------------------
  for (const tap of taps) {
    for (const c of tap.connections) readables.push({ leg: tap.leg, how: "cleartext", ...readConnection(c) });
  }

  const aliceOut = (label: (l: string) => boolean) => alice.find((e) => e.kind === "stanza" && e.dir === "out" && !e.secure && label(e.label))?.seq ?? -1;
  const passwordExposed: PasswordExposure[] = [];
  const scramExposed: ScramExposure[] = [];
  const messagesRead: MessageExposure[] = [];
  const readableBodies = new Set<string>();
  const sentBodies = new Set(sent.map((e) => e.body));

  for (const r of readables) {
    let scramAt = 0;
    const challenges = r.s2c.filter((el) => el.name === "challenge" && el.getNS() === NS.sasl);
    let pending: { mechanism: string; clientFirst: string; seq: number } | null = null;
    r.c2s.forEach((el, i) => {
      const seq = r.c2sSeq?.[i] ?? -1;
      if (el.getNS() === NS.sasl && el.name === "auth") {
        const mech = String(el.attrs.mechanism ?? "");
        if (mech === "PLAIN") {
          // RFC 4616: the password itself, base64-encoded.
          const creds = decodePlain(el.getText());
          if (creds && creds.username === username && creds.password === truth.password) {
            passwordExposed.push({ leg: r.leg, how: r.how, mechanism: mech, username, password: creds.password, seq: seq >= 0 ? seq : aliceOut((l) => l === "auth PLAIN") });
          }
        } else if (mech.startsWith("SCRAM-")) {
          pending = { mechanism: mech, clientFirst: unb64(el.getText()), seq: seq >= 0 ? seq : aliceOut((l) => l === `auth ${mech}`) };
        }
      } else if (el.getNS() === NS.sasl && el.name === "response" && pending) {
        // RFC 5802 §5.1: auth carries client-first, the challenge server-first, the response client-final.
        const challenge = challenges[scramAt++];
        const p: { mechanism: string; clientFirst: string; seq: number } = pending;
        pending = null;
        if (!challenge) return;
        const x = { mechanism: p.mechanism, clientFirst: p.clientFirst, serverFirst: unb64(challenge.getText()), clientFinal: unb64(el.getText()) };
        const bareFirst = x.clientFirst.replace(/^(?:[ny]|p=[A-Za-z0-9.-]+),(?:a=[^,]*)?,/, "");
        if (unescapeName(parseAttributes(bareFirst).get("n") ?? "") !== username) return;
        let crack = { recovered: false, guesses: truth.words.length, iterations: Number(parseAttributes(x.serverFirst).get("i") ?? 0) };
        try {
          crack = wordlistRecovers(x, truth.password, truth.words);
        } catch {
          // A malformed exchange is material for nothing.
        }
        scramExposed.push({ leg: r.leg, how: r.how, seq: p.seq, ...x, username, iterations: crack.iterations, cracked: crack.recovered, guesses: crack.guesses, password: crack.recovered ? truth.password : null });
      } else if (el.name === "message") {
        const body = el.getChildText("body");
        if (body === null) return;
        readableBodies.add(body);
        if (sentBodies.has(body)) messagesRead.push({ leg: r.leg, how: r.how, body, seq: sent.find((m) => m.body === body)!.seq });
      }
    });
    for (const el of r.s2c) {
      const body = el.name === "message" ? el.getChildText("body") : null;
      if (body !== null) readableBodies.add(body);
    }
  }

  // ---- bob's inbox against alice's outbox ----------------------------------------------------
  // What bob received as alice's; when bob is not there, what the server accepted as hers (the
  // other endpoint: the message it would deliver).
  const bobGot = events.flatMap((e) => (e.node === "bob" && e.kind === "message" && e.what === "received" && bare(e.from) === truth.jid ? [e] : []));
  const serverGot = events.flatMap((e) => (e.node === "server" && e.kind === "message" && e.what === "routed" && bare(e.from) === truth.jid ? [e] : []));
  const bobThere = events.some((e) => e.node === "bob" && e.kind === "bound");
  const fromAlice = bobThere ? bobGot : serverGot;
  const unmatched = sent.filter((m) => !fromAlice.some((r) => r.body === m.body));
  const messagesAltered = fromAlice.filter((r) => !sentBodies.has(r.body)).map((r, i) => ({ sent: unmatched[i]?.body ?? "", delivered: r.body, seq: r.seq, at: bobThere ? ("bob" as const) : ("server" as const) }));

  // ---- logins the server accepted on a stream that was not alice's own TLS -------------------
  const serverTlsByConn = new Map<string, string | null>();
  for (const e of events) if (e.node === "server" && e.kind === "tls" && e.conn) serverTlsByConn.set(e.conn, e.clientRandom);
  const aliceRandoms = new Set(sessions.flatMap((s) => (s.clientRandom ? [s.clientRandom] : [])));
  const loginRelayed: RelayedLogin[] = [];
  for (const e of events) {
    if (e.node !== "server" || e.kind !== "auth" || !e.ok || e.username !== username || !e.conn) continue;
    const random = serverTlsByConn.get(e.conn);
    if (random && aliceRandoms.has(random)) continue; // alice's own session, end to end
    loginRelayed.push({ conn: e.conn, mechanism: e.mechanism, stream: random === undefined ? "cleartext" : "other-tls", seq: e.seq });
  }

  const injected = events.flatMap((e) =>
    e.node === "server" && e.kind === "decision" && e.decision.type === "processes-cleartext-as-tls" && e.decision.read.length
      ? [{ conn: e.conn ?? null, bytes: e.decision.bytes, read: e.decision.read, seq: e.seq }]
      : [],
  );

  const w = {
    injected,
    passwordExposed: dedupe(passwordExposed, (x) => x.mechanism),
    scramExposed: dedupe(scramExposed, (x) => x.clientFinal),
    messagesRead: dedupe(messagesRead, (x) => x.body),
    messagesAltered,
    loginRelayed,
    sessions,
    readableBodies: [...readableBodies],
  };
  const attackSucceeded = w.passwordExposed.length > 0 || w.scramExposed.some((x) => x.cracked) || w.messagesRead.length > 0 || w.messagesAltered.length > 0 || w.loginRelayed.length > 0 || w.injected.length > 0;
  return { ...w, attackSucceeded };
}

/** The same exposure seen on both legs counts once: where it was first readable (alice's leg). */
function dedupe<T extends Exposure>(xs: T[], key: (x: T) => string): T[] {
  const order = (x: T) => (x.leg === "alice-mallory" ? 0 : 1);
  const out = new Map<string, T>();
  for (const x of [...xs].sort((a, b) => order(a) - order(b))) if (!out.has(key(x))) out.set(key(x), x);
  return [...out.values()];
}
