import type { CertFacts, LabEvent } from "./core/events.js";
import type { Outcome, Scenario } from "../scenarios/index.js";

export interface Loot {
  credentials: Array<{ mechanism: string; username: string; password?: string }>;
  messagesRead: string[];
  messagesTampered: Array<{ sent: string; delivered: string }>;
  /** SCRAM exchanges recorded: not the password, but material for an offline guess. */
  scramExchanges: number;
}

export interface Verdict {
  outcome: Outcome;
  asExpected: boolean;
  loot: Loot;
  /** Why, in a sentence: what mallory got, or what stopped her. */
  reason: string;
  /** The same, short enough for a banner on an 80-column screen. */
  headline: string;
  /** The error that stopped alice (or the server), if one did. */
  defence: { code: string; message: string; explain: string } | null;
  client: {
    completed: boolean;
    tls: { protocol: string | null; cipher: string | null; peerCert: CertFacts | null; authorized: boolean | null } | null;
    error: { code: string; message: string } | null;
  };
}

/** What stopped mallory, in a few words, from the code of the error that did. */
function shortWhy(code: string | undefined, serverRefusal: string | null, sealed: boolean): string {
  if (serverRefusal?.includes("channel-binding")) return "the server refused the relayed login: channel binding";
  switch (code) {
    case "PIN_MISMATCH": return "alice refused: not the pinned key";
    case "CERT_UNTRUSTED": return "alice refused: certificate not trusted";
    case "CERT_NAME_MISMATCH": return "alice refused: certificate for another name";
    case "STARTTLS_UNAVAILABLE": return "alice refused to go on without TLS";
    case "NO_SAFE_MECHANISM": return "alice refused to send PLAIN in the clear";
    case "TLS_INTEGRITY": return "TLS caught the altered record";
    case undefined: return sealed ? "encrypted end to end: sizes only" : "mallory learned nothing";
    default: return `alice stopped: ${code}`;
  }
}

/**
 * The verdict is computed from what happened, never declared: the attack succeeds iff
 * mallory's own parser decoded alice's real password, or read a message alice really sent,
 * or altered a message so that bob received something alice did not send.
 */
export function judge(s: Scenario, events: LabEvent[], passwords: Record<string, string>): Verdict {
  const mine = events.filter((e) => e.node === "mallory");
  const sent = events.filter((e) => e.node === "alice" && e.kind === "message" && e.what === "sent").map((e) => (e as { body: string }).body);
  const bobGot = events.filter((e) => e.node === "bob" && e.kind === "message" && e.what === "received").map((e) => (e as { body: string }).body);

  const loot: Loot = { credentials: [], messagesRead: [], messagesTampered: [], scramExchanges: 0 };
  for (const e of mine) {
    if (e.kind !== "loot") continue;
    const l = e.loot;
    // Confirmed against ground truth: a guess or a wrong password is not loot.
    if (l.type === "credential" && passwords[l.username] === l.password) loot.credentials.push({ mechanism: l.mechanism, username: l.username, password: l.password });
    if (l.type === "scram") loot.scramExchanges++;
    if (l.type === "message-read" && sent.includes(l.body)) loot.messagesRead.push(l.body);
    if (l.type === "message-tampered" && sent.includes(l.sent) && bobGot.includes(l.delivered) && !sent.includes(l.delivered)) {
      loot.messagesTampered.push({ sent: l.sent, delivered: l.delivered });
    }
  }
  const succeeded = loot.credentials.length > 0 || loot.messagesRead.length > 0 || loot.messagesTampered.length > 0;
  const outcome: Outcome = succeeded ? "attack-succeeds" : "attack-fails";

  const aliceError = events.find((e) => e.node === "alice" && e.kind === "error") as Extract<LabEvent, { kind: "error" }> | undefined;
  const serverAuthFail = events.find((e) => e.node === "server" && e.kind === "auth" && !e.ok) as Extract<LabEvent, { kind: "auth" }> | undefined;
  const tls = events.find((e) => e.node === "alice" && e.kind === "tls") as Extract<LabEvent, { kind: "tls" }> | undefined;
  const sawSealed = mine.some((e) => e.kind === "sealed");

  let reason: string;
  if (succeeded) {
    const parts: string[] = [];
    if (loot.credentials.length) parts.push("password captured");
    if (loot.messagesTampered.length) parts.push("message rewritten");
    else if (loot.messagesRead.length) parts.push("message read");
    reason = parts.join(", ");
  } else if (aliceError) {
    reason = serverAuthFail ? `the server refused the login (${serverAuthFail.reason}); ${aliceError.explain}` : aliceError.explain;
  } else if (sawSealed) {
    reason = "the stream was encrypted end to end: mallory saw only the sizes of TLS records";
  } else {
    reason = "mallory learned nothing";
  }

  const headline = succeeded ? reason : shortWhy(aliceError?.code, serverAuthFail?.reason ?? null, sawSealed);
  return {
    outcome,
    asExpected: outcome === s.expected,
    loot,
    reason,
    headline,
    defence: aliceError ? { code: aliceError.code, message: aliceError.message, explain: aliceError.explain } : null,
    client: {
      completed: sent.length > 0 && !aliceError,
      tls: tls ? { protocol: tls.protocol, cipher: tls.cipher, peerCert: tls.peerCert, authorized: tls.authorized } : null,
      error: aliceError ? { code: aliceError.code, message: aliceError.message } : null,
    },
  };
}
