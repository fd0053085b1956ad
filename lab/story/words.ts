import type { Decision, LabEvent, LootItem, Move } from "../core/events.js";
import { LAB_NAMES, type Names } from "../sentences.js";
import type { Crossing } from "./types.js";

/**
 * The few words a diagram has room for: the gist of a fact, with its mark. The whole sentence
 * for the same fact is lab/sentences.ts's, shown as the step's `say`; both read the same
 * typed fields, so the gist cannot claim more than the sentence.
 */

export interface Gist {
  mark: string;
  text: string;
  failure: boolean;
}

const gist = (mark: string, text: string, failure = false): Gist => ({ mark, text, failure });

export function decisionGist(d: Decision): Gist {
  switch (d.type) {
    case "cleartext-without-starttls":
      return gist("ℹ", "no <starttls/>: stays in cleartext");
    case "starttls-anyway":
      return gist("ℹ", "no <starttls/>: asks for it anyway");
    case "fallback":
      return gist("ℹ", d.tls === "required" ? `falls back to required STARTTLS` : `falls back to STARTTLS-if-offered`);
    case "name-not-checked":
      return gist("⚠", `certificate for ${d.certName}: name not checked`);
    case "downgrade-hash":
      return d.result === "match" ? gist("✔", "XEP-0474 hash matches") : gist("ℹ", "no XEP-0474 hash to check");
    case "processes-cleartext-as-tls":
      return gist("⚠", `takes ${d.bytes} cleartext bytes as TLS`);
    case "unverified-certificate-accepted":
      return gist("⚠", "certificate not verified: carries on");
    case "channel-binding":
      return d.binding ? gist("🔗", `binds the login to TLS: ${d.binding}`) : gist("🔗", "cannot bind the login to TLS");
    case "mechanism":
      return !d.secure && d.chosen === "PLAIN" ? gist("ℹ", "sends PLAIN in cleartext") : gist("ℹ", `chooses ${d.chosen}`);
    default:
      return gist("ℹ", (d as { type: string }).type.replace(/-/g, " "));
  }
}

export function moveGist(m: Move, n: Names = LAB_NAMES): Gist {
  switch (m.type) {
    case "blocked":
      return gist("✘", `drops ${n.client}'s connection`, true);
    case "tls-answered":
      return gist("⚑", `answers ${n.client}'s TLS herself`);
    case "client-sent-through-tls":
      return gist("🔓", `${n.client} talks through her TLS: she reads all`);
    case "client-hung-up":
      return gist("·", `${n.client} hung up: nothing learned`);
    case "client-tls-alert":
      return gist("✘", `${n.client}'s TLS refused her (${m.alert})`, true);
    case "server-tls-failed":
      return gist("✘", "her own TLS to the server failed", true);
    case "starttls-refused":
      return gist("⚑", "answers <failure/> in the server's name");
    case "upstream-starttls":
      return gist("⚑", "STARTTLS with the server herself");
    case "upstream-starttls-done":
      return gist("⚑", `its TLS features go to ${n.client} in cleartext`);
    case "upstream-starttls-failed":
      return gist("✘", "STARTTLS to the server failed", true);
    case "bit-flipped":
      return gist("✎", "flips a bit in a TLS record");
    case "sealed":
      return gist("🔒", "TLS she cannot read: sizes, SNI");
    case "byte-relay":
      return gist("·", "now a plain byte relay");
    case "upstream-unreachable":
      return gist("✘", "cannot reach the server", true);
    case "offline-guess":
      return m.password !== null ? gist("★", `guessed ${m.username}'s password offline: "${m.password}"`) : gist("◆", `offline guess: none of ${m.guesses} words`);
    case "offline-guess-skipped":
      return gist("◆", "no offline guess");
    default:
      return gist("⚑", (m as { type: string }).type.replace(/-/g, " "));
  }
}

export function tacticGist(tactic: string, status: "inapplicable" | "unused"): string {
  return `${tactic}: ${status === "inapplicable" ? "cannot act" : "did nothing"}`;
}

/** A password recovered by an offline guess whose move is not in the story (its connection's log was cut). */
export function guessedGist(username: string, password: string): Gist {
  return gist("★", `guessed ${username}'s password offline: "${password}"`);
}

/** A client connecting to a standalone mallory: where a live session starts. */
export function connectedGist(peer: string, n: Names): string {
  return `${n.client} connects from ${peer}`;
}

/** TLS records mallory relayed unread (from her log alone): what she counted, and all she knows. */
export function sealedText(records: number, bytes: number): { label: string; say: string } {
  const r = `${records} TLS record${records === 1 ? "" : "s"}`;
  return { label: `${r}, ${bytes} B`, say: `mallory relays ${r} (${bytes} bytes) she cannot read: she sees ${records === 1 ? "its size" : "their sizes"}, nothing of what is inside.` };
}

/** mallory's loot, drawn where the element it came from crosses her lane. */
export function crossingOfLoot(l: LootItem): Crossing {
  switch (l.type) {
    case "credential":
      return { mark: "★", text: `password "${l.password}"` };
    case "scram":
      return { mark: "◆", text: "SCRAM exchange recorded" };
    case "message-read":
      return { mark: "👁", text: "reads it" };
    case "message-tampered":
      return { mark: "✎", text: "rewrites the body" };
  }
}

/** OpenSSL's error string, down to its reason: `decryption failed or bad record mac`. */
export function socketReason(reason: string): string {
  const ssl = /SSL routines:[^:]*:([^:]+):/.exec(reason);
  return (ssl ? ssl[1] : reason).trim();
}

/** The certificate alice's TLS reached, and how she checked it. */
export function tlsText(e: Extract<LabEvent, { kind: "tls" }>): string {
  const c = e.peerCert;
  const cert = c ? `${c.subject} by ${c.issuer}${c.selfSigned ? " (self-signed)" : ""}` : "no certificate";
  const check =
    e.verify === "pin" ? (e.pinMatched ? "pin ✔" : "pin ✘") :
    e.verify === "none" ? "not checked" :
    e.verify ? (e.authorized ? "verified" : `not verified${e.authorizationError ? ` (${e.authorizationError})` : ""}`) : "";
  return check ? `${cert} · ${check}` : cert;
}
