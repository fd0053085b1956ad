/**
 * The typed lab events. Observation is data: nodes emit these, and the console, the plain
 * narrator, the JSON output, the verdict and the tests all read the same list.
 */

/** What a TLS handshake showed about a certificate. */
export interface CertFacts {
  subject: string;
  issuer: string;
  /** SPKI pin, `sha256/BASE64` (the same value as openssl's pipeline, see tls.ts). */
  pin: string;
  selfSigned: boolean;
}

export type LootItem =
  | { type: "credential"; mechanism: string; username: string; password: string }
  | {
      type: "scram";
      mechanism: string;
      username: string;
      salt: string;
      iterations: number;
      /** What an offline dictionary attack needs (RFC 5802 §9): the whole exchange. */
      clientFirst: string;
      serverFirst: string;
      clientFinal: string;
    }
  | { type: "message-read"; from: string | null; to: string | null; body: string }
  | { type: "message-tampered"; to: string | null; sent: string; delivered: string };

export type Direction = "c2s" | "s2c";

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
    }
  /** The attacker forwarded a parsed element; `edit` says what it changed, if anything. */
  | { kind: "relay"; dir: Direction; label: string; xml: string; edit: string | null; original: string | null }
  /** The attacker saw encrypted bytes it cannot read. */
  | { kind: "sealed"; dir: Direction; bytes: number; records: number }
  /** The attacker did something on purpose (stripped, blocked, upgraded upstream, flipped a byte). */
  | { kind: "action"; tactic: string; text: string }
  | { kind: "loot"; loot: LootItem }
  | { kind: "auth"; mechanism: string; username: string; ok: boolean; reason: string | null }
  /** A client chose the channel binding for its SCRAM -PLUS login (tls.ts CHANNEL_BINDINGS), and why. */
  | { kind: "channel-binding"; type: string; why: string }
  | { kind: "bound"; jid: string }
  | { kind: "message"; what: "sent" | "received" | "routed"; from: string; to: string; body: string }
  /** A sentence for the learner about a decision a node made ("no <starttls/>, carrying on in cleartext"). */
  | { kind: "note"; text: string }
  | { kind: "error"; code: string; message: string; explain: string }
  | { kind: "closed"; reason: string | null };

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
