import crypto from "node:crypto";

/**
 * XEP-0474 v0.5.0 (SASL SCRAM Downgrade Protection, Experimental) §4.1: the hash a server puts
 * in server-first as the attribute h=, over what it advertised. Because h= is inside the
 * AuthMessage the SCRAM proofs sign (RFC 5802 §3), an attacker cannot change it without the
 * password; a client recomputes it from the features it saw (§4.2) and fails on a mismatch.
 * It does not cover a downgrade to PLAIN (XEP-0474 §3): only refusing PLAIN does.
 */
export function ssdpHash(mechanisms: readonly string[], channelBindings: readonly string[] | null, hash: "sha1" | "sha256"): string {
  // §4.1: sort with the "i;octet" collation (RFC 4790 §9.3), i.e. by bytes, not by locale.
  const sorted = (xs: readonly string[]) => [...xs].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
  // §4.1 steps 2-4: mechanisms joined by 0x1E; then, only if XEP-0440 was used, 0x1F and the
  // channel-binding types joined by 0x1E.
  let s = sorted(mechanisms).join("\x1e");
  if (channelBindings !== null) s += "\x1f" + sorted(channelBindings).join("\x1e");
  // §4.1 step 5: the SCRAM mechanism's own hash, base64.
  return crypto.createHash(hash).update(s, "utf8").digest("base64");
}
