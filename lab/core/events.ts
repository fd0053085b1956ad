/**
 * The typed lab events. Observation is data: nodes emit these, and the console, the plain
 * narrator, the JSON output, the witness and the tests all read the same list.
 */
import type { AuthFailure, CertFacts, CtEntry, Decision, Direction, Edit, LootItem, Move, ReadContext, TacticWhy } from "./event-facts.js";

export type * from "./event-facts.js";

/**
 * The contract every node, renderer, the witness and the tests share. Nothing with meaning is
 * free text: node names, error codes, tactic names, what an edit removed or rewrote are fields.
 * The only prose is `error.explain` (a node's own account of its refusal, which must hold
 * whatever the settings) and `closed.reason` (the socket's error message, quoted).
 */
export type LabEventBody =
  | { kind: "listening"; role: string; address: string; port: number }
  | { kind: "connected"; peer: string; via: "tcp" | "tls" }
  /** A victim node sent or received a stanza, nonza or stream header. */
  | { kind: "stanza"; dir: "in" | "out"; label: string; xml: string; secure: boolean }
  | {
      kind: "tls";
      role: "client" | "server";
      how: "starttls" | "direct";
      protocol: string | null;
      cipher: string | null;
      peerCert: CertFacts | null;
      localCert: CertFacts | null;
      /** Client side: did the chain verify against the client's trust store? */
      authorized: boolean | null;
      authorizationError: string | null;
      /**
       * The TLS ClientHello random (hex) of this session, from the node's own key log. Both ends
       * of one TLS session report the same value; the witness matches them (lab/witness/).
       */
      clientRandom: string | null;
      /** Client side: how it checks the server ("none" | "ca" | "pin"); null on the server. */
      verify: "none" | "chain" | "ca" | "pin" | null;
      /** Client side, verify "pin": did the presented key match a pin? null when not pinning. */
      pinMatched: boolean | null;
    }
  /**
   * mallory forwarded a parsed element, in the clear or inside TLS she terminated (`context`).
   * `edits` lists what her tactics changed (empty: forwarded as it came); `original` is the
   * element before the edits.
   */
  | { kind: "relay"; dir: Direction; context: "cleartext" | "inside-tls"; label: string; xml: string; edits: Edit[]; original: string | null }
  /** mallory relayed TLS bytes she cannot read. */
  | { kind: "sealed"; dir: Direction; bytes: number; records: number }
  /** mallory did something on purpose, or saw it happen (`tactic` null: her relay's own behaviour). */
  | { kind: "move"; tactic: string | null; move: Move }
  /** A configured tactic did nothing on this connection, and why (once per tactic and connection). */
  | { kind: "tactic"; tactic: string; status: "inapplicable" | "unused"; context: ReadContext; why: TacticWhy }
  /** mallory's notebook: her claims, checked against the witness (lab/witness/claims.ts). */
  | { kind: "loot"; loot: LootItem }
  /** A login: the server's verdict (`reason` when refused) or the client's view of it (`condition`). */
  | { kind: "auth"; mechanism: string; username: string; ok: boolean; reason: AuthFailure | null; condition: string | null }
  | { kind: "bound"; jid: string }
  | { kind: "message"; what: "sent" | "received" | "routed"; from: string; to: string; body: string }
  /** A choice a victim client made, with what it saw. */
  | { kind: "decision"; decision: Decision }
  /** `detail`: a machine sub-code (OpenSSL's verify code, the SASL condition), or null. */
  | { kind: "error"; code: string; detail: string | null; message: string; explain: string }
  | { kind: "closed"; reason: string | null }
  /**
   * What a Certificate Transparency monitor watching `domain` reads in the lab's CT log (RFC
   * 9162; lab/pki.ts certificateLog): every logged certificate naming it, as the publicly
   * trusted lab CAs issued them, all before the run. Reported by the runner first (node "ct-log").
   */
  | { kind: "ct-log"; domain: string; entries: CtEntry[] };

export type LabEventKind = LabEventBody["kind"];

/** `conn` tells a server's sessions apart (c1, c2, ...). */
export type LabEvent = LabEventBody & { seq: number; t: number; node: string; conn?: string };

export type Emit = (node: string, body: LabEventBody, conn?: string) => void;

export const noEmit: Emit = () => {};

export interface Recorder {
  emit: Emit;
  readonly events: LabEvent[];
  subscribe(listener: (e: LabEvent) => void): () => void;
}

/** Records every event in order. The clock is injected so narration tests are deterministic. */
export function createRecorder(clock: () => number = defaultClock()): Recorder {
  const events: LabEvent[] = [];
  const listeners = new Set<(e: LabEvent) => void>();
  return {
    events,
    emit(node, body, conn) {
      const e = { ...body, node, seq: events.length, t: clock() } as LabEvent;
      if (conn) e.conn = conn;
      events.push(e);
      for (const l of listeners) l(e);
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

function defaultClock(): () => number {
  const t0 = performance.now();
  return () => Math.round((performance.now() - t0) * 10) / 10;
}
