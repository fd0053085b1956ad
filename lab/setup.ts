import type { Scenario } from "../scenarios/index.js";

/**
 * A scenario's settings in words, without its outcome: docs/scenarios.md lists them, and the
 * console's predict mode shows them as the question ("will mallory's attack work?"), so they
 * must never give the answer away. Read from the settings, so they stay true when changed.
 */
const TLS_WORDS = { off: "no TLS", opportunistic: "STARTTLS if offered", required: "requires STARTTLS", direct: "TLS from the first byte" };
const VERIFY_WORDS = { none: "accepts any certificate", ca: "verifies the chain against its CAs and the name", pin: "pins the server's public key (SPKI)" };
const SERVER_WORDS = { none: "no TLS", starttls: "offers STARTTLS", "starttls-required": "requires STARTTLS", direct: "TLS from the first byte" };

export function aliceSetup(s: Scenario): string {
  const a = s.alice;
  const parts = [TLS_WORDS[a.tls]];
  if (a.tls !== "off") parts.push(VERIFY_WORDS[a.verify]);
  if (a.trustsRogueCa) parts.push("also trusts the rogue CA");
  if (a.fallbackToStartTls) parts.push("falls back to STARTTLS-if-offered");
  if (a.channelBinding) parts.push("uses SCRAM -PLUS channel binding");
  if (a.allowPlainWithoutTls) parts.push("would send PLAIN without TLS");
  return parts.join("; ");
}

export function serverSetup(s: Scenario): string {
  const v = s.server;
  const parts = [SERVER_WORDS[v.tls]];
  if (v.directTls) parts.push("plus a direct-TLS port");
  parts.push(`mechanisms ${(v.mechanisms ?? ["SCRAM-SHA-256-PLUS", "SCRAM-SHA-1-PLUS", "SCRAM-SHA-256", "SCRAM-SHA-1", "PLAIN"]).join(", ")}`);
  if (v.allowPlainCleartext) parts.push("allows PLAIN before TLS");
  return parts.join("; ");
}

export function mallorySetup(s: Scenario): string {
  const m = s.mallory;
  return [`tactics ${m.tactics.join(", ")}`, m.identity ? `identity: ${m.identity}` : "", m.blockDirectTls ? "blocks the direct-TLS port" : ""].filter(Boolean).join("; ");
}
