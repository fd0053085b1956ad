import type { Scenario } from "../scenarios/index.js";

/**
 * A scenario's settings in words, without its outcome: docs/scenarios.md lists them, and the
 * console's predict mode shows them as the question ("will mallory's attack work?"), so they
 * must never give the answer away. Read from the settings, so they stay true when changed.
 */
const TLS_WORDS = { off: "no TLS", opportunistic: "STARTTLS if offered", required: "requires STARTTLS", direct: "TLS from the first byte" };
const VERIFY_WORDS = { none: "accepts any certificate", chain: "verifies the chain but not the name", ca: "verifies the chain against its CAs and the name", pin: "pins the server's public key (SPKI)" };
const SERVER_WORDS = { none: "no TLS", starttls: "offers STARTTLS", "starttls-required": "requires STARTTLS", direct: "TLS from the first byte" };

export function aliceSetup(s: Scenario): string {
  const a = s.alice;
  const parts = [TLS_WORDS[a.tls]];
  if (a.tls !== "off") parts.push(VERIFY_WORDS[a.verify]);
  if (a.trustsRogueCa) parts.push("also trusts the rogue CA");
  if (a.trustsPublicCa) parts.push("also trusts the public CA (as every client trusts Let's Encrypt)");
  if (a.fallbackToStartTls) parts.push(a.fallbackTls === "required" ? "falls back to STARTTLS, required and verified" : "falls back to STARTTLS-if-offered");
  if (a.channelBinding) parts.push(`uses SCRAM -PLUS channel binding${a.channelBindingType ? ` (${a.channelBindingType} only)` : ""}`);
  if (a.rememberedMechanisms?.length) parts.push(`remembers the mechanisms offered before (${a.rememberedMechanisms.join(", ")})`);
  if (a.downgradeProtection) parts.push("checks the XEP-0474 hash");
  if (a.allowPlainWithoutTls) parts.push("would send PLAIN without TLS");
  parts.push(`${a.password ?? "strong"} password`);
  return parts.join("; ");
}

export function serverSetup(s: Scenario): string {
  const v = s.server;
  const parts = [SERVER_WORDS[v.tls]];
  if (v.directTls) parts.push("plus a direct-TLS port");
  parts.push(`mechanisms ${(v.mechanisms ?? ["SCRAM-SHA-256-PLUS", "SCRAM-SHA-1-PLUS", "SCRAM-SHA-256", "SCRAM-SHA-1", "PLAIN"]).join(", ")}`);
  if (v.allowPlainCleartext) parts.push("allows PLAIN before TLS");
  if (v.tlsMaxVersion) parts.push(`TLS up to ${v.tlsMaxVersion}`);
  if (v.downgradeProtection) parts.push("sends the XEP-0474 hash");
  if (v.starttlsBufferingBug) parts.push("has the STARTTLS buffering bug");
  return parts.join("; ");
}

export function mallorySetup(s: Scenario): string {
  const m = s.mallory;
  return [`tactics ${m.tactics.join(", ")}`, m.identity ? `identity: ${m.identity}` : "", m.blockDirectTls ? "blocks the direct-TLS port" : ""].filter(Boolean).join("; ");
}
