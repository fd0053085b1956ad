import type { CertFacts, LabEvent } from "./core/events.js";
import type { Outcome, Scenario } from "../scenarios/index.js";
import { authFailureText } from "./sentences.js";
import type { Claim, Witness } from "./witness/index.js";
import { notBobs } from "./witness/bob.js";

/** DESIGN §4's loot, holding what the witness proved - whatever mallory herself claimed. */
export interface Loot {
  /** Passwords exposed on a leg mallory could read, or recovered from SCRAM with the bundled wordlist. */
  credentials: Array<{ mechanism: string; username: string; password?: string }>;
  /** Messages alice sent that crossed where mallory could read them. */
  messagesRead: string[];
  /** What bob received from alice that she never sent, with what she did send. */
  messagesTampered: Array<{ sent: string; delivered: string }>;
  /** SCRAM exchanges of alice's readable on the path: not the password, but material for an offline guess. */
  scramExchanges: number;
}

/**
 * STARTTLS injection, from the server's ground truth: it processed bytes that crossed in
 * cleartext behind <starttls/> as part of a TLS session (victim-server's buffering bug), and
 * these are the elements it took in from them - words the client never said.
 */
export interface Injection {
  bytes: number;
  /** What the server read from the injected bytes, as labels ("stream header", "auth PLAIN"). */
  processed: string[];
}

export interface Verdict {
  outcome: Outcome;
  /** The server acted on bytes mallory pipelined behind <starttls/>, inside the client's TLS. */
  injection: Injection | null;
  asExpected: boolean;
  loot: Loot;
  /** Why, in a sentence: what the witness proved, or what stopped mallory. */
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
  witness: Witness;
  /** mallory's reports, each checked against the witness and the endpoints. */
  claims: Claim[];
}

/** What stopped mallory, in a few words. */
function shortWhy(code: string | undefined, refusal: Extract<LabEvent, { kind: "auth" }> | undefined, e2e: boolean): string {
  if (refusal?.reason === "channel-binding-mismatch") return "the server refused the relayed login: channel binding";
  if (refusal?.reason === "plus-stripped") return "the server caught the stripped -PLUS";
  switch (code) {
    case "PIN_MISMATCH": return "alice refused: not the pinned key";
    case "CERT_UNTRUSTED": return "alice refused: certificate not trusted";
    case "CERT_NAME_MISMATCH": return "alice refused: certificate for another name";
    case "STARTTLS_UNAVAILABLE": return "alice refused to go on without TLS";
    case "NO_SAFE_MECHANISM": return "alice refused to send PLAIN in the clear";
    case "TLS_INTEGRITY": return "TLS caught the altered record";
    case undefined: return e2e ? "TLS to the server: mallory saw sizes and SNI" : "nothing readable reached mallory";
    default: return `alice stopped: ${code}`;
  }
}

const HOW = { cleartext: "in cleartext", "terminated-tls": "inside TLS that mallory terminated" } as const;

/**
 * The verdict is the witness's (lab/witness/): the attack succeeds iff alice's password was
 * exposed to the path (a SCRAM exchange the bundled wordlist cracks counts), a message she sent
 * was readable on the path, bob received something she did not send, or the server accepted
 * her login on a stream that was not her own TLS session with it. mallory's code is not asked.
 */
export function judge(s: Scenario, events: readonly LabEvent[], w: Witness, claims: Claim[]): Verdict {
  const sent = events.filter((e) => e.node === "alice" && e.kind === "message" && e.what === "sent");
  const loot: Loot = {
    credentials: [
      ...w.passwordExposed.map((p) => ({ mechanism: p.mechanism, username: p.username, password: p.password })),
      ...w.scramExposed.filter((x) => x.cracked).map((x) => ({ mechanism: x.mechanism, username: x.username, password: x.password ?? undefined })),
    ],
    messagesRead: w.messagesRead.map((m) => m.body),
    messagesTampered: w.messagesAltered.map((m) => ({ sent: m.sent, delivered: m.delivered })),
    scramExchanges: w.scramExposed.length,
  };
  const outcome: Outcome = w.attackSucceeded ? "attack-succeeds" : "attack-fails";
  const injection: Injection | null = w.injected.length ? { bytes: w.injected[0].bytes, processed: w.injected[0].read } : null;

  const aliceError = events.find((e) => e.node === "alice" && e.kind === "error") as Extract<LabEvent, { kind: "error" }> | undefined;
  // The server's refusal of alice's login: bob's own (a setting can keep him out too) is not hers.
  const onPath = notBobs(events);
  const refusal = events.find((e) => e.node === "server" && e.kind === "auth" && !e.ok && onPath(e)) as Extract<LabEvent, { kind: "auth" }> | undefined;
  const tls = events.find((e) => e.node === "alice" && e.kind === "tls") as Extract<LabEvent, { kind: "tls" }> | undefined;
  const e2e = w.sessions.some((x) => x.reachedServer);

  let reason: string;
  let headline: string;
  if (w.attackSucceeded) {
    const parts: string[] = [];
    const short: string[] = [];
    for (const p of w.passwordExposed) parts.push(`alice's password crossed ${HOW[p.how]} (${p.mechanism})`);
    for (const x of w.scramExposed.filter((x) => x.cracked)) parts.push(`alice's ${x.mechanism} exchange was readable and the bundled wordlist recovers the password (guess ${x.guesses})`);
    if (loot.credentials.length) short.push("password exposed");
    if (w.messagesAltered.length) {
      const m = w.messagesAltered[0];
      parts.push(`${m.at === "bob" ? "bob received" : "the server accepted, for bob,"} "${m.delivered}", which alice never sent`);
      short.push("message rewritten");
    }
    if (w.messagesRead.length) {
      parts.push(`alice's message was readable ${HOW[w.messagesRead[0].how]}`);
      if (!w.messagesAltered.length) short.push("message read");
    }
    if (w.loginRelayed.length) {
      parts.push(`the server accepted alice's login on a stream that was not her own TLS session with it (${w.loginRelayed[0].stream === "cleartext" ? "cleartext" : "mallory's TLS"})`);
      short.push("login relayed");
    }
    if (injection) {
      parts.push(`the server processed ${injection.bytes} bytes mallory pipelined behind <starttls/> as alice's, inside her TLS (${injection.processed.join(", ")})`);
      short.push("words injected into alice's TLS");
    }
    reason = parts.join("; ");
    headline = short.join(", ");
  } else {
    if (aliceError) {
      reason = refusal ? `the server refused the login (${authFailureText(refusal.reason, refusal.condition)}); ${aliceError.explain}` : aliceError.explain;
    } else if (e2e) {
      reason = "alice's TLS session reached the server itself: mallory saw the sizes of its records and the server name (SNI) in the handshake, none of their content";
    } else {
      reason = "nothing of alice's that mallory could use crossed her";
    }
    const scram = w.scramExposed[0];
    if (scram) reason += ` (mallory could record a ${scram.mechanism} exchange, ${scram.iterations} iterations: the bundled wordlist does not recover the password)`;
    headline = shortWhy(aliceError?.code, refusal, e2e);
  }
  return {
    outcome,
    injection,
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
    witness: w,
    claims,
  };
}

/**
 * The server's own record (ground truth at the endpoint): its "processes-cleartext-as-tls"
 * decision lists what it read from bytes that crossed in cleartext behind <starttls/>.
 */
function injected(events: LabEvent[]): Injection | null {
  for (const e of events) {
    if (e.node !== "server" || e.kind !== "decision" || e.decision.type !== "processes-cleartext-as-tls") continue;
    if (e.decision.read.length) return { bytes: e.decision.bytes, processed: e.decision.read };
  }
  return null;
}
