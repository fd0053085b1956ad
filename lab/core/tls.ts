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

export type VerifyMode = "none" | "ca" | "pin";

export interface VerifyPolicy {
  mode: VerifyMode;
  /** Trust anchors (PEM). With mode "pin" they are checked too when given. */
  ca?: string[];
  /** `sha256/BASE64` SPKI pins; any one matching is enough. */
  pins?: string[];
}

/** tls.connect options for a client that checks the server as `policy` says. */
export function clientTlsOptions(policy: VerifyPolicy, domain: string): tls.ConnectionOptions {
  const checkChain = policy.mode === "ca" || (policy.mode === "pin" && (policy.ca?.length ?? 0) > 0);
  return {
    // XEP-0368 §3: SNI set to the JID domain, ALPN xmpp-client. RFC 6120 §13.7.2.1: the
    // reference identifier is the domain, so `servername` is also what the name check uses.
    servername: domain,
    ALPNProtocols: ["xmpp-client"],
    ca: policy.ca,
    rejectUnauthorized: checkChain,
    minVersion: "TLSv1.2", // RFC 7590 §3.1 via BCP 195: no SSL, no TLS 1.0/1.1
  };
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
    return new LabError("CERT_UNTRUSTED", msg, `${who} refused the certificate: it is self-signed, and nothing ${who} trusts vouches for it.`, { cause: err });
  }
  if (code === "UNABLE_TO_VERIFY_LEAF_SIGNATURE" || code === "UNABLE_TO_GET_ISSUER_CERT_LOCALLY" || code === "CERT_SIGNATURE_FAILURE") {
    return new LabError("CERT_UNTRUSTED", msg, `${who} refused the certificate: it was issued by a CA ${who} does not trust.`, { cause: err });
  }
  if (code === "ERR_TLS_CERT_ALTNAME_INVALID") {
    return new LabError("CERT_NAME_MISMATCH", msg, `${who} refused the certificate: it is not for the server's name.`, { cause: err });
  }
  if (code === "CERT_HAS_EXPIRED" || code === "CERT_NOT_YET_VALID") {
    return new LabError("CERT_EXPIRED", msg, `${who} refused the certificate: it is outside its validity period.`, { cause: err });
  }
  if (/bad record mac|decryption failed|BAD_RECORD_MAC|DECRYPTION_FAILED|alert number 20\b/i.test(msg + code)) {
    return new LabError(
      "TLS_INTEGRITY",
      msg,
      "TLS detected that a record was altered in transit (bad record MAC) and tore the connection down: ciphertext cannot be edited without the keys.",
      { cause: err },
    );
  }
  if (code === "ECONNRESET" || code === "EPIPE" || /socket disconnected|socket hang up/i.test(msg)) {
    return new LabError("TLS_ABORTED", msg, "The connection was cut during or after the TLS handshake.", { cause: err });
  }
  return new LabError("TLS_FAILED", msg, `The TLS handshake failed: ${msg}`, { cause: err });
}

/** "80BC...:error:0A0003FC:SSL routines:ssl3_read_bytes:sslv3 alert bad record mac:../x.c:1601:SSL alert number 20" → the words. */
export function tidyOpenSsl(msg: string): string {
  const m = /SSL routines:[^:]*:([^:]+):[^:]*:\d+:?(.*)$/s.exec(msg.trim());
  return m ? (m[1] + (m[2].trim() ? ` (${m[2].trim()})` : "")).trim() : msg.trim();
}

export type ChannelBindingType = "tls-exporter" | "tls-server-end-point";

/**
 * Channel-binding data for this TLS session.
 * tls-exporter, RFC 9266 §2: label "EXPORTER-Channel-Binding", empty context, 32 bytes; only
 * defined with TLS 1.3 (or 1.2 with extended master secret), so the lab refuses it below 1.3.
 * tls-server-end-point, RFC 5929 §4.1: hash of the server certificate, SHA-256 for the lab's
 * ECDSA-with-SHA256 certificates.
 */
export function channelBindingData(socket: tls.TLSSocket, type: ChannelBindingType, serverCertDer?: Buffer | null): Buffer | null {
  if (type === "tls-exporter") {
    if (socket.getProtocol() !== "TLSv1.3") return null;
    return socket.exportKeyingMaterial(32, "EXPORTER-Channel-Binding", Buffer.alloc(0));
  }
  // The caller passes the server certificate's DER: the client kept it from the handshake, the
  // server knows its own (as Prosody 13 does). Node 20 hands the peer certificate out only once.
  const raw = serverCertDer;
  if (!raw) return null;
  return crypto.createHash("sha256").update(raw).digest();
}

/**
 * Settles when a TLS socket's handshake is done ("secure" on a server socket, "secureConnect" on
 * a client one), fails, or the socket closes first - a socket destroyed mid-handshake may close
 * without an error. Keys go to `keylog` when given.
 */
export function handshakeDone(s: tls.TLSSocket, done: "secure" | "secureConnect", keylog?: KeyLog): Promise<tls.TLSSocket> {
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

export function serverContext(id: Identity): tls.SecureContext {
  return tls.createSecureContext({ cert: id.cert, key: id.key, minVersion: "TLSv1.2" });
}
