import crypto, { X509Certificate } from "node:crypto";
import tls from "node:tls";
import type { CertFacts } from "./events.js";
import { LabError } from "./errors.js";

/**
 * Where TLS secrets go, one NSS key-log line at a time (the SSLKEYLOGFILE format Wireshark
 * reads). Teaching only: with it, anyone holding the file can decrypt the capture.
 */
export type KeyLog = (line: Buffer) => void;

/** A certificate and key, PEM. */
export interface Identity {
  cert: string;
  key: string;
}

/**
 * SPKI pin, the HPKP `pin-sha256` value: base64(SHA-256(DER SubjectPublicKeyInfo)).
 * Not sha256(cert.pubkey): for EC keys Node's `pubkey` is the raw point, not the SPKI
 * (reference §4), so go through X509Certificate.publicKey.
 */
export function spkiPin(cert: string | Buffer | X509Certificate): string {
  const x = cert instanceof X509Certificate ? cert : new X509Certificate(cert);
  const der = x.publicKey.export({ type: "spki", format: "der" });
  return "sha256/" + crypto.createHash("sha256").update(der).digest("base64");
}

export function certFacts(cert: string | Buffer | X509Certificate): CertFacts {
  const x = cert instanceof X509Certificate ? cert : new X509Certificate(cert);
  return {
    subject: cn(x.subject),
    issuer: cn(x.issuer),
    pin: spkiPin(x),
    selfSigned: x.subject === x.issuer,
  };
}

function cn(dn: string): string {
  const m = /(?:^|\n)CN=([^\n]+)/.exec(dn);
  return m ? m[1] : dn.replace(/\n/g, ", ");
}

/**
 * How a client checks the server's certificate: not at all; the chain only, not the name (the
 * bug of CVE-2014-5075, Smack's SSLSocket without a hostname check); chain and name (RFC 6120
 * §13.7.2.1); or an SPKI pin.
 */
export type VerifyMode = "none" | "chain" | "ca" | "pin";
export const VERIFY_MODES: readonly VerifyMode[] = ["none", "chain", "ca", "pin"];

export interface VerifyPolicy {
  mode: VerifyMode;
  /** Trust anchors (PEM). With mode "pin" they are checked too when given. */
  ca?: string[];
  /** `sha256/BASE64` SPKI pins; any one matching is enough. */
  pins?: string[];
}

/** tls.connect options for a client that checks the server as `policy` says. */
export function clientTlsOptions(policy: VerifyPolicy, domain: string): tls.ConnectionOptions {
  const checkChain = policy.mode === "ca" || policy.mode === "chain" || (policy.mode === "pin" && (policy.ca?.length ?? 0) > 0);
  const options: tls.ConnectionOptions = {
    // XEP-0368 §3: SNI set to the JID domain, ALPN xmpp-client. RFC 6120 §13.7.2.1: the
    // reference identifier is the domain, so `servername` is also what the name check uses.
    servername: domain,
    ALPNProtocols: ["xmpp-client"],
    ca: policy.ca,
    rejectUnauthorized: checkChain,
    minVersion: "TLSv1.2", // RFC 7590 §3.1 via BCP 195: no SSL, no TLS 1.0/1.1
  };
  // CVE-2014-5075: a verified chain, and no identity check - any name a trusted CA vouched for passes.
  if (policy.mode === "chain") options.checkServerIdentity = () => undefined;
  return options;
}

/**
 * The name check a "chain" client skipped (RFC 6120 §13.7.2.1 reference identifier: the
 * domain): null when the certificate is for `domain`, else what it is for.
 */
export function nameMismatch(cert: X509Certificate, domain: string): string | null {
  if (cert.checkHost(domain)) return null;
  return cert.subjectAltName ?? cn(cert.subject);
}

/**
 * Runs after every handshake, resumed or not. Node skips checkServerIdentity when the chain
 * check is off or the session is resumed (reference §4), so the pin is checked here instead.
 * Takes the certificate rather than the socket: on Node 20 a second getPeerX509Certificate()
 * on the same socket returns undefined (seen here), so callers fetch it exactly once.
 */
export function checkPeer(peer: X509Certificate | undefined, policy: VerifyPolicy): LabError | null {
  if (policy.mode !== "pin") return null;
  const raw = peer;
  if (!raw) return new LabError("PIN_MISMATCH", "server sent no certificate", "alice expected a pinned key and got none.");
  const presented = spkiPin(raw);
  const pins = policy.pins ?? [];
  if (pins.includes(presented)) return null;
  return new LabError(
    "PIN_MISMATCH",
    `certificate key ${presented} does not match the pinned ${pins.join(" or ") || "(no pin)"}`,
    `alice refused the certificate: its public key (${short(presented)}) is not the pinned key (${short(pins[0] ?? "?")}). ` +
      "This is exactly what pinning is for: even a certificate a trusted CA issued is refused.",
  );
}

function short(pin: string): string {
  return pin.length > 20 ? pin.slice(0, 18) + "…" : pin;
}

/** Turn what OpenSSL and Node say into a sentence a student understands. */
export function explainTlsError(err: unknown, who = "alice"): LabError {
  const e = err as NodeJS.ErrnoException & { reason?: string };
  const code = e?.code ?? "";
  const msg = tidyOpenSsl(e?.message ?? String(err));
  if (err instanceof LabError) return err;
  if (code === "DEPTH_ZERO_SELF_SIGNED_CERT" || code === "SELF_SIGNED_CERT_IN_CHAIN") {
    return new LabError("CERT_UNTRUSTED", msg, `${who} refused the certificate: it is self-signed, and nothing ${who} trusts vouches for it.`, { cause: err, detail: code || null });
  }
  if (code === "UNABLE_TO_VERIFY_LEAF_SIGNATURE" || code === "UNABLE_TO_GET_ISSUER_CERT_LOCALLY" || code === "CERT_SIGNATURE_FAILURE") {
    return new LabError("CERT_UNTRUSTED", msg, `${who} refused the certificate: it was issued by a CA ${who} does not trust.`, { cause: err, detail: code || null });
  }
  if (code === "ERR_TLS_CERT_ALTNAME_INVALID") {
    // RFC 6120 §13.7.2.1: the reference identifier is the domain the client asked for.
    return new LabError("CERT_NAME_MISMATCH", msg, `${who} refused the certificate: it is not for the server's name (RFC 6120 §13.7.2.1).`, { cause: err, detail: code || null });
  }
  if (code === "CERT_HAS_EXPIRED" || code === "CERT_NOT_YET_VALID") {
    return new LabError("CERT_EXPIRED", msg, `${who} refused the certificate: it is outside its validity period.`, { cause: err, detail: code || null });
  }
  if (/bad record mac|decryption failed|BAD_RECORD_MAC|DECRYPTION_FAILED|alert number 20\b/i.test(msg + code)) {
    return new LabError(
      "TLS_INTEGRITY",
      msg,
      "TLS detected that a record was altered in transit (bad record MAC) and tore the connection down: ciphertext cannot be edited without the keys.",
      { cause: err, detail: code || null },
    );
  }
  if (code === "ECONNRESET" || code === "EPIPE" || /socket disconnected|socket hang up/i.test(msg)) {
    return new LabError("TLS_ABORTED", msg, "The connection was cut during or after the TLS handshake.", { cause: err, detail: code || null });
  }
  return new LabError("TLS_FAILED", msg, `The TLS handshake failed: ${msg}`, { cause: err, detail: code || null });
}

/** "80BC...:error:0A0003FC:SSL routines:ssl3_read_bytes:sslv3 alert bad record mac:../x.c:1601:SSL alert number 20" → the words. */
export function tidyOpenSsl(msg: string): string {
  const m = /SSL routines:[^:]*:([^:]+):[^:]*:\d+:?(.*)$/s.exec(msg.trim());
  return m ? (m[1] + (m[2].trim() ? ` (${m[2].trim()})` : "")).trim() : msg.trim();
}

/**
 * The channel-binding types the lab knows, as data: where each is defined and on which TLS
 * versions it means anything. Clients, the server and scenarios all read this table.
 */
export const CHANNEL_BINDINGS = {
  // RFC 9266 §2: keying material exported under "EXPORTER-Channel-Binding"; RFC 9266 §3 makes it
  // the type for TLS 1.3. Below 1.3 it is safe only with extended master secret (RFC 7627),
  // which Node cannot confirm, so the lab uses it on TLS 1.3 only.
  "tls-exporter": { spec: "RFC 9266 §2", versions: ["TLSv1.3"] },
  // RFC 5929 §3.1: the first Finished message of the latest handshake. Not defined on TLS 1.3
  // (RFC 8446 §C.5, RFC 9266 §1), where Node still returns 48 bytes: never used there.
  "tls-unique": { spec: "RFC 5929 §3.1", versions: ["TLSv1.2"] },
  // RFC 5929 §4.1: the hash of the server's certificate; any TLS version.
  "tls-server-end-point": { spec: "RFC 5929 §4.1", versions: ["TLSv1.2", "TLSv1.3"] },
} as const satisfies Record<string, { spec: string; versions: readonly string[] }>;

export type ChannelBindingType = keyof typeof CHANNEL_BINDINGS;
export const CHANNEL_BINDING_TYPES = Object.keys(CHANNEL_BINDINGS) as ChannelBindingType[];

export function isChannelBindingType(t: string): t is ChannelBindingType {
  return Object.hasOwn(CHANNEL_BINDINGS, t);
}

/** Is `type` defined for this TLS version ("TLSv1.2", "TLSv1.3")? */
export function bindingDefinedOn(type: ChannelBindingType, protocol: string | null): boolean {
  return (CHANNEL_BINDINGS[type].versions as readonly string[]).includes(protocol ?? "");
}

/**
 * The type a client uses when the server announces none (no XEP-0440 feature): RFC 9266 §3
 * for TLS 1.3 (tls-exporter), RFC 5929 §3.1 / RFC 5802 §6 for TLS 1.2 (tls-unique).
 */
export function defaultBindingFor(protocol: string | null): ChannelBindingType | null {
  if (protocol === "TLSv1.3") return "tls-exporter";
  if (protocol === "TLSv1.2") return "tls-unique";
  return null;
}

/**
 * Channel-binding data for this TLS session, or null where the type is not defined on it.
 * `role` says which end computes it: tls-unique is the first Finished message, and which end
 * sent that depends on the handshake (below). `serverCertDer`: for tls-server-end-point the
 * client passes the certificate it kept from the handshake, the server its own (as Prosody 13
 * does); Node 20 hands the peer certificate out only once.
 */
export function channelBindingData(
  socket: tls.TLSSocket,
  type: ChannelBindingType,
  serverCertDer?: Buffer | null,
  role: "client" | "server" = "client",
): Buffer | null {
  const protocol = socket.getProtocol();
  if (!bindingDefinedOn(type, protocol)) return null;
  if (type === "tls-exporter") {
    return socket.exportKeyingMaterial(32, "EXPORTER-Channel-Binding", Buffer.alloc(0));
  }
  if (type === "tls-unique") {
    // RFC 5929 §3.1: "the first TLS Finished message sent ... in the most recent TLS handshake".
    // In a full handshake the client sends its Finished first; in an abbreviated (resumed) one
    // the server does. So a resumed session binds to the server's Finished - and, because a
    // resumed session's master secret may be shared with another connection (the "triple
    // handshake", RFC 7627 §1), tls-unique is only as good as extended master secret there.
    // The lab's listeners allow no renegotiation, so the latest handshake is the only one.
    const clientSentFirst = !socket.isSessionReused();
    const mine = clientSentFirst === (role === "client");
    return (mine ? socket.getFinished() : socket.getPeerFinished()) ?? null;
  }
  const raw = serverCertDer;
  if (!raw) return null;
  // RFC 5929 §4.1: the certificate's own signature hash, SHA-256 for MD5/SHA-1; the lab's
  // certificates are ECDSA with SHA-256.
  return crypto.createHash("sha256").update(raw).digest();
}

export interface BindingChoice {
  type: ChannelBindingType;
  /** Why this type, for the learner: the server's XEP-0440 list, or the TLS version's default. */
  why: string;
  /** The same as data: from the server's announced list (XEP-0440) or the version's default. */
  basis: "announced" | "default";
}

/**
 * Which channel binding a client uses on this session. XEP-0440 §4: a type the server announced,
 * in the client's order of preference; without the feature, the default for the TLS version
 * in use (RFC 9266 §3, RFC 5929). Null with the reason when no type fits.
 */
export function chooseChannelBinding(
  socket: tls.TLSSocket,
  announced: string[],
  serverCertDer: Buffer | null,
  preference: readonly ChannelBindingType[] = ["tls-exporter", "tls-unique", "tls-server-end-point"],
): BindingChoice | { type: null; why: string; basis: "announced" | "default" } {
  const protocol = socket.getProtocol();
  const computable = (t: ChannelBindingType) => channelBindingData(socket, t, serverCertDer) !== null;
  if (announced.length) {
    const type = preference.find((t) => announced.includes(t) && computable(t));
    if (type) return { type, basis: "announced", why: `the server announced [${announced.join(", ")}] (XEP-0440) and ${type} is defined on ${protocol}` };
    // "will use", not "can compute": alice.channelBindingType may leave out a type she could compute.
    return { type: null, basis: "announced", why: `none of the announced types [${announced.join(", ")}] is one alice uses on ${protocol}` };
  }
  const type = defaultBindingFor(protocol);
  if (type && preference.includes(type) && computable(type)) {
    return { type, basis: "default", why: `the server announced no types (no XEP-0440), and ${type} is the default on ${protocol} (${CHANNEL_BINDINGS[type].spec})` };
  }
  return { type: null, basis: "default", why: `the server announced no types and ${protocol} has no default alice uses` };
}

/**
 * Settles when a TLS socket's handshake is done ("secure" on a server socket, "secureConnect" on
 * a client one), fails, or the socket closes first - a socket destroyed mid-handshake may close
 * without an error. Keys go to `keylog` when given.
 */
export function handshakeDone(s: tls.TLSSocket, done: "secure" | "secureConnect", keylog?: KeyLog): Promise<tls.TLSSocket> {
  watchClientRandom(s);
  if (keylog) s.on("keylog", keylog);
  return new Promise((resolve, reject) => {
    s.once(done, () => {
      s.off("error", reject);
      resolve(s);
    });
    s.once("error", reject);
    s.once("close", () => reject(new Error("connection closed during the handshake")));
  });
}

const clientRandoms = new WeakMap<tls.TLSSocket, string>();

/**
 * Note a TLS session's ClientHello random from one of its key-log lines. Every NSS key-log
 * line is `LABEL <client_random hex> <secret>` (CLIENT_RANDOM in TLS 1.2, the *_TRAFFIC_SECRET
 * labels in TLS 1.3), so both ends of one session see the same value: the witness uses it to
 * tell a session that reached the server from one terminated on the path. The random is
 * public (it crosses the wire in the ClientHello); the secret is not kept.
 */
export function noteClientRandom(s: tls.TLSSocket, line: Buffer): void {
  if (clientRandoms.has(s)) return;
  const parts = line.toString("latin1").trim().split(" ");
  if (parts.length >= 3 && /^[0-9a-fA-F]{64}$/.test(parts[1])) clientRandoms.set(s, parts[1].toLowerCase());
}

/** Start noting `s`'s client random; call before its handshake has run (it runs asynchronously). */
export function watchClientRandom(s: tls.TLSSocket): void {
  if (s.listeners("keylog").some((l) => (l as { labRandom?: boolean }).labRandom)) return;
  const l = Object.assign((line: Buffer) => noteClientRandom(s, line), { labRandom: true });
  s.on("keylog", l);
}

export function clientRandomOf(s: tls.TLSSocket): string | null {
  return clientRandoms.get(s) ?? null;
}

/**
 * Every lab listener's TLS settings (the server's STARTTLS and direct-TLS ports, mallory's), the
 * model of a well-configured server that a student's scanner (testssl.sh) should find:
 * - TLS 1.2 and 1.3 only (RFC 7590 §3.1 via BCP 195, RFC 8996);
 * - on TLS 1.2 only ECDHE with AEAD suites (RFC 9325 §4.2): no CBC, so nothing for LUCKY13;
 * - the server's order of preference, not the client's;
 * - no renegotiation: a client-initiated one costs the server a handshake each (a DoS lever),
 *   and tls-unique is defined by "the most recent handshake" (RFC 5929 §3.1).
 */
export const SERVER_CIPHERS = [
  "TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256",
  "ECDHE-ECDSA-AES128-GCM-SHA256", "ECDHE-ECDSA-AES256-GCM-SHA384", "ECDHE-ECDSA-CHACHA20-POLY1305",
  "ECDHE-RSA-AES128-GCM-SHA256", "ECDHE-RSA-AES256-GCM-SHA384", "ECDHE-RSA-CHACHA20-POLY1305",
].join(":");

export function serverTlsOptions(id: Identity, maxVersion?: tls.SecureVersion): tls.SecureContextOptions {
  return {
    cert: id.cert,
    key: id.key,
    minVersion: "TLSv1.2",
    maxVersion,
    ciphers: SERVER_CIPHERS,
    honorCipherOrder: true,
    secureOptions: crypto.constants.SSL_OP_NO_RENEGOTIATION,
  };
}

export function serverContext(id: Identity, maxVersion?: tls.SecureVersion): tls.SecureContext {
  return tls.createSecureContext(serverTlsOptions(id, maxVersion));
}
