/**
 * The typed facts inside lab events: what an edit removed or rewrote, which move mallory made,
 * what a client decided, why a tactic could not act. Data, never prose: renderers turn them
 * into sentences (lab/sentences.ts), the witness and the tests read them as they are.
 */

/** What a TLS handshake showed about a certificate. */
export interface CertFacts {
  subject: string;
  issuer: string;
  /** SPKI pin, `sha256/BASE64` (the same value as openssl's pipeline, see tls.ts). */
  pin: string;
  selfSigned: boolean;
}

/**
 * One certificate as a Certificate Transparency log shows it (RFC 9162 §3: the whole
 * certificate is logged; a monitor reads its names, issuer, validity and key).
 */
export interface CtEntry {
  /** Its place in the log, counting every domain's certificates. */
  index: number;
  issuer: string;
  subject: string;
  dnsNames: string[];
  serial: string;
  notBefore: string;
  notAfter: string;
  /** SPKI pin of the certified key: what a monitor compares with the key the domain really uses. */
  pin: string;
  /** SHA-256 of the certificate, as crt.sh lists it. */
  sha256: string;
}

export type Direction = "c2s" | "s2c";

/**
 * Where mallory stands on one stream: she reads it in the clear, reads it inside a TLS session
 * she terminated herself, relays TLS records she cannot read, or pipes bytes untouched.
 */
export type ReadContext = "cleartext" | "inside-tls" | "sealed" | "byte-relay";

/** What one tactic changed in one element. `tactic` names the tactic that made the change. */
export type Edit =
  | { tactic: string; op: "removed-starttls"; required: boolean }
  | { tactic: string; op: "removed-mechanisms"; mechanisms: string[] }
  /** XEP-0440's <sasl-channel-binding/> feature, with the types it listed. */
  | { tactic: string; op: "removed-channel-binding"; types: string[] }
  | { tactic: string; op: "added-mechanisms"; mechanisms: string[] }
  | { tactic: string; op: "rewrote-body"; before: string; after: string }
  /** sslstrip's move: these pre-TLS features never reach the client (it gets the post-TLS ones). */
  | { tactic: string; op: "withheld" }
  /** An element dropped on its way (a student's tactic may do this). */
  | { tactic: string; op: "dropped" }
  /** A user's tactic changed an element in a way none of the other edits names (labels before and after). */
  | { tactic: string; op: "replaced"; was: string; now: string }
  /** Bytes of her own written right behind the element, in the same write (`what`: a short label). */
  | { tactic: string; op: "appended"; bytes: number; what: string };

export type EditOp = Edit["op"];

/** Why mallory went to the server with STARTTLS herself (sslstrip's third move). */
export type UpstreamStartTlsReason =
  /** The stripped <starttls/> carried <required/> (RFC 6120 §5.3.1). */
  | "server-requires-tls"
  /** Before authentication the server offered no SASL mechanism without TLS (§6.3.4). */
  | "no-mechanisms-before-tls";

/** Something mallory did on purpose or saw happen on her sockets. */
export type Move =
  /** block: she dropped the client's connection at once. */
  | { type: "blocked" }
  /** intercept-tls: she answered the client's TLS handshake herself, with the certificate of her identity. */
  | { type: "tls-answered"; how: "direct" | "starttls"; cert: CertFacts }
  /** The client completed her handshake and sent its stream through it: she reads it decrypted. */
  | { type: "client-sent-through-tls" }
  /** The client closed the connection after the handshake without sending a byte through it. */
  | { type: "client-hung-up" }
  /** The client's TLS stack ended the handshake with an alert (quoted as OpenSSL said it). */
  | { type: "client-tls-alert"; alert: string }
  /** Her own TLS toward the server failed: the client has nothing to do with it. */
  | { type: "server-tls-failed"; error: string }
  /** The client asked for STARTTLS although she hid it; she answered <failure/> in the server's name. */
  | { type: "starttls-refused" }
  /** sslstrip's move: STARTTLS with the server herself, the client kept in cleartext. */
  | { type: "upstream-starttls"; because: UpstreamStartTlsReason }
  /** TLS is up toward the server; its post-TLS features go to the client as its first ones. */
  | { type: "upstream-starttls-done" }
  | { type: "upstream-starttls-failed"; error: string }
  /** flip-bytes: one bit flipped in a TLS record on its way to the server. */
  | { type: "bit-flipped"; record: string; index: number; length: number }
  /** The stream is TLS she cannot read: from here on she relays records and sees their sizes. */
  | { type: "sealed" }
  /** Nothing left to read or change: she pipes bytes both ways untouched. */
  | { type: "byte-relay" }
  /** The server could not be reached at all (before any byte was relayed). */
  | { type: "upstream-unreachable"; error: string }
  /**
   * What came from one side is not an XMPP stream she can read (`condition` is the stream error
   * its receiver will give, RFC 6120 §4.9.3): she relays that side's bytes as they are from here.
   */
  | { type: "unreadable"; dir: Direction; condition: string; text: string }
  /** A tactic tripped over one element (`error`): she forwarded it as it came and goes on with the rest. */
  | { type: "element-unread"; dir: Direction; element: string; error: string }
  /** A stanza larger than she holds went by unread, byte for byte; she reads on after it. */
  | { type: "stanza-too-large"; dir: Direction; limit: number }
  /** Her cap on connections from one address (RFC 6120 §13.12's advice, for her too) refused one. */
  | { type: "too-many-connections"; address: string; limit: number }
  /** Nothing crossed either way for `seconds`: she closed the connection. */
  | { type: "idle-closed"; seconds: number }
  /**
   * crack: a dictionary attack on a SCRAM exchange she recorded (RFC 5802 §9), run offline
   * against `words` guesses; `password` null when none reproduced the proof. `ms` is wall time.
   */
  | { type: "offline-guess"; username: string; mechanism: string; iterations: number; words: number; guesses: number; ms: number; password: string | null }
  /** crack: the recorded exchange could not be guessed at (an iteration count above her limit, say). */
  | { type: "offline-guess-skipped"; username: string; mechanism: string; why: string };

export type MoveType = Move["type"];

/** Why a configured tactic did nothing on one connection. */
export type TacticWhy =
  /** The stream is TLS mallory cannot read. */
  | "sealed"
  /** STARTTLS exists only before TLS (RFC 6120 §5.4.3.3): nothing to strip inside TLS. */
  | "no-starttls-inside-tls"
  /** flip-bytes flips TLS records; this stream carried none mallory relays unread. */
  | "no-tls-records"
  /** intercept-tls needs a TLS handshake from the client; none came. */
  | "no-tls-from-client"
  /** The feature the tactic edits never crossed (no <starttls/>, no mechanism to remove…). */
  | "nothing-to-edit"
  /** No message crossed where mallory could read it. */
  | "no-message"
  /** Nothing in a readable element matched (no IBAN in the body). */
  | "no-match"
  /** loot: nothing readable crossed (no SASL exchange, no message). */
  | "nothing-readable"
  /** Mallory piped bytes untouched from this point (no tactic left that needed parsing). */
  | "byte-relay"
  /** mallory answered the client's <starttls/> herself (strip-starttls): nothing went on to the server. */
  | "starttls-refused"
  /** block dropped the connection before anything crossed. */
  | "blocked"
  /** crack: no SCRAM exchange crossed where she could read it. */
  | "no-scram-exchange"
  /** inject-after-starttls: the client sent no <starttls/> in the clear. */
  | "no-starttls-from-client";

/** A decision a victim client made, with what it saw. */
export type Decision =
  /** Opportunistic: no <starttls/> was offered, so it carries on in cleartext. */
  | { type: "cleartext-without-starttls" }
  /** Requires TLS: <starttls/> missing, it asks for it anyway (RFC 7590 §3.1). */
  | { type: "starttls-anyway" }
  /**
   * Direct TLS could not be reached; it falls back to STARTTLS on the other port (XEP-0368
   * clients): if offered ("opportunistic"), or STARTTLS or nothing ("required", as Gajim).
   */
  | { type: "fallback"; from: string; to: string; code: string; tls: "opportunistic" | "required" }
  /** Chain-only verification: the certificate is for another name and the client does not check it (CVE-2014-5075). */
  | { type: "name-not-checked"; certName: string; domain: string }
  /** XEP-0474: the server's h= was absent (nothing to check) or matched what the client saw. */
  | { type: "downgrade-hash"; result: "absent" | "match"; channelBinding: boolean }
  /** The server's STARTTLS buffering bug: cleartext that followed <starttls/> processed as if it came over TLS. */
  | { type: "processes-cleartext-as-tls"; bytes: number; read: string[] }
  /** The certificate did not verify, and the client checks nothing: it carries on. */
  | { type: "unverified-certificate-accepted"; error: string | null }
  /**
   * The channel binding for a SCRAM -PLUS login (tls.ts CHANNEL_BINDINGS): a type the server
   * announced (XEP-0440), or the TLS version's default; `binding` null when none fits.
   */
  | { type: "channel-binding"; binding: string | null; basis: "announced" | "default"; announced: string[]; protocol: string | null }
  /** The SASL mechanism chosen, from what was offered, in its own preference order (RFC 6120 §6.3.3). */
  | { type: "mechanism"; chosen: string; offered: string[]; preference: string[]; secure: boolean };

export type DecisionType = Decision["type"];

/** Why the server refused a login (the SASL condition goes to the client; this stays in the trace). */
export type AuthFailure =
  | "wrong-password"
  | "unknown-user"
  /** The client's SCRAM-PLUS binding is not this TLS session's (RFC 5802 §6): a relay. */
  | "channel-binding-mismatch"
  | "channel-binding-unavailable"
  /** "y": the client saw no -PLUS although the server offered it (RFC 5802 §6): stripped. */
  | "plus-stripped"
  | "channel-binding-flag-mismatch"
  | "nonce-mismatch"
  | "malformed-request"
  /** RFC 6120 §6.5.5: the SASL data was not base64 (or not UTF-8 inside). */
  | "incorrect-encoding"
  /** RFC 6120 §6.5.6: an authzid for another account. */
  | "invalid-authzid"
  | "invalid-mechanism"
  | "encryption-required"
  | "aborted";

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
