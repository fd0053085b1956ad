import type { AuthFailure, DecisionType, Direction, EditOp, LootItem, MoveType } from "../lab/core/events.js";

/** How an on-path party could read something (the witness's word, lab/witness/witness.ts). */
export type How = "cleartext" | "terminated-tls";

/**
 * The typed facts a narration line is keyed to. A scenario's line says what it says only when
 * every fact in its `when` holds in the run (lab/facts.ts finds where). Each fact is read from
 * the trace or the witness - never from a line of text.
 */
export type Fact =
  /** mallory changed an element in this way (a relay event's edit). */
  | { fact: "edit"; op: EditOp; dir?: Direction; context?: "cleartext" | "inside-tls" }
  /** mallory made this move. */
  | { fact: "move"; move: MoveType }
  /** A client decided this (alice unless `node` says otherwise). `belowPreference`: for a mechanism, one she prefers was not available. */
  | {
      fact: "decision";
      decision: DecisionType;
      node?: string;
      /** mechanism: the one chosen, or its first letters ("SCRAM-"); whether the stream was TLS; a mechanism not offered. */
      chosen?: string;
      secure?: boolean;
      notOffered?: string;
      belowPreference?: boolean;
      /** channel-binding: the type used. */
      binding?: string;
    }
  /** A node stopped with this error code (alice unless `node` says otherwise). */
  | { fact: "error"; code: string; detail?: string; node?: string }
  /** A node sent or received an element with this label (alice unless `node` says otherwise). */
  | { fact: "stanza"; dir: "in" | "out"; label: string; node?: string }
  /**
   * alice's TLS handshake completed, showing this. `accepted`: she went on to send through it.
   * `reachedServer`: the session was the server's own (the witness's match). `serverKey`: the
   * key presented is the server's real one.
   */
  | {
      fact: "tls";
      how?: "starttls" | "direct";
      verify?: "none" | "chain" | "ca" | "pin";
      pinMatched?: boolean;
      authorized?: boolean;
      selfSigned?: boolean;
      /** The certificate's subject and issuer (CN). */
      subject?: string;
      issuer?: string;
      reachedServer?: boolean;
      serverKey?: boolean;
      accepted?: boolean;
    }
  /**
   * The channel-binding flag that opens alice's first SCRAM message (its gs2-header, RFC 5802
   * §7): "n" she does not bind, "y" she would but saw no -PLUS offered (§6), "p" she binds.
   */
  | { fact: "scram-flag"; flag: "n" | "y" | "p" }
  /**
   * A Certificate Transparency monitor watching alice's domain finds the certificate alice was
   * shown in the log (lab/ct-log.ts, RFC 9162). `serverKey`: its key is the one the server uses.
   */
  | { fact: "ct-logged"; serverKey?: boolean }
  /** The server's verdict on alice's login (ok, or refused for this reason). */
  | { fact: "auth"; ok: boolean; reason?: AuthFailure }
  /** mallory noted this in her notebook (a claim the witness checked). */
  | { fact: "loot"; type: LootItem["type"] }
  /** mallory relayed TLS records she could not read. */
  | { fact: "sealed" }
  /** The witness: alice's password was exposed to the path. */
  | { fact: "password-exposed"; mechanism?: string; how?: How }
  /** The witness: alice's SCRAM exchange was readable on the path. */
  | { fact: "scram-exposed"; cracked?: boolean; how?: How }
  | { fact: "message-read"; how?: How }
  | { fact: "message-altered" }
  | { fact: "login-relayed" }
  /** Negative facts, established at the end of the run. */
  | { fact: "no-password-exposed" }
  | { fact: "no-message-sent" }
  | { fact: "no-login-relayed" }
  /** Nothing of alice's was readable on the path: no password, no SCRAM exchange, no message. */
  | { fact: "nothing-exposed" };

