import type { LabEvent } from "./core/events.js";
import type { RunResult } from "./runner.js";
import { ACTS, type Scenario } from "../scenarios/index.js";
import { authFailureText, decisionText, editsText, LAB_NAMES, moveText, type Names, tacticText } from "./sentences.js";
import { claimsSentence, lessonSentences, witnessSentence } from "./closing.js";
import { placeNarration } from "./facts.js";
import { effectiveSettings, formatValue, settingsChanged } from "./settings.js";
import { plain, type Style } from "./style.js";

/**
 * The plain narrator: a run's trace as sentences. It reads the same events as the console
 * and the tests, and says only what an event shows.
 */

/** Events about alice's path: everything except bob's own session and its server side. */
export function storyEvents(events: LabEvent[]): LabEvent[] {
  const bobConns = new Set(
    events.filter((e) => e.node === "server" && ((e.kind === "auth" && e.username === "bob") || (e.kind === "bound" && e.jid.startsWith("bob@")))).map((e) => e.conn),
  );
  return events.filter(
    (e) =>
      !(e.node === "bob" && e.kind !== "message") &&
      !(e.node === "server" && e.conn && bobConns.has(e.conn)),
  );
}

/** One event as one line, or null for events the transcript leaves out. */
export function describe(e: LabEvent, st: Style = plain, names: Names = LAB_NAMES): string | null {
  switch (e.kind) {
    case "stanza":
      if (e.node !== "alice") return null;
      return e.dir === "out" ? `alice  ──▶ ${e.label}${e.secure ? " 🔒" : ""}` : `alice  ◀── ${e.label}${e.secure ? " 🔒" : ""}`;
    case "relay": {
      // A rewritten body is already told by its loot line, when mallory noted it.
      const told = e.edits.filter((x) => x.op !== "rewrote-body");
      if (!told.length) return null;
      return st.warn(`mallory ✂ ${e.dir === "s2c" ? `toward ${names.client}` : `toward ${names.server}`}${e.context === "inside-tls" ? " (inside her TLS)" : ""}: ${editsText(told, names)}`);
    }
    case "move":
      return st.warn(`mallory ⚑ ${moveText(e.move, names)}`);
    case "tactic":
      return st.dim(`mallory · ${tacticText(e.tactic, e.status, e.context, e.why, names)}`);
    case "loot": {
      const l = e.loot;
      if (l.type === "credential") return st.bad(`mallory ★ password captured: ${l.username} / "${l.password}" (${l.mechanism})`);
      if (l.type === "scram") return st.warn(`mallory ◆ recorded a ${l.mechanism} exchange for ${l.username} (salt, ${l.iterations} iterations, proof): material for an offline guess, not the password`);
      if (l.type === "message-read") return st.bad(`mallory 👁 read a message: "${l.body}"`);
      return st.bad(`mallory ✎ rewrote a message: "${l.sent}" → "${l.delivered}"`);
    }
    case "tls": {
      if (e.node === "alice") {
        const c = e.peerCert;
        const cert = c ? `certificate ${c.subject} issued by ${c.issuer}${c.selfSigned ? " (self-signed)" : ""}, key ${c.pin.slice(0, 19)}…` : "no certificate";
        return `alice  🔒 TLS (${e.how}) ${e.protocol}: ${cert}`;
      }
      if (e.node === "server") return `server 🔒 TLS (${e.how}) ${e.protocol} with its peer`;
      return null;
    }
    case "decision":
      if (e.node === "bob") return null;
      if (e.decision.type === "channel-binding") return `${e.node.padEnd(6)} 🔗 ${decisionText(e.decision, e.node)}`;
      return `ℹ ${decisionText(e.decision, e.node)}`;
    case "error":
      return st.bad(`${e.node} ✘ ${e.code}: ${e.explain}`);
    case "auth":
      if (e.node !== "server") return null;
      return e.ok ? `server ✔ ${e.username} logged in with ${e.mechanism}` : st.good(`server ✘ refused ${e.username === "?" ? "a" : e.username + "'s"} ${e.mechanism} login: ${authFailureText(e.reason, e.condition)}`);
    case "message":
      if (e.node === "bob" && e.what === "received") return `bob    ✉ received: "${e.body}"`;
      return null;
    default:
      return null;
  }
}

/** The transcript of one run: events, sealed traffic collapsed, scenario lines after their event. */
export function transcript(r: RunResult, st: Style = plain): string[] {
  const lines: string[] = [];
  // The scenario's lines that hold in this run, each after the event that made it true (lab/facts.ts).
  const pending = placeNarration(r);
  const say = (upTo: number) => {
    while (pending.length && pending[0].at <= upTo) {
      flushSealed();
      lines.push(st.accent(`  ▸ ${pending.shift()!.say}`));
    }
  };
  let sealed: { bytes: number; records: number } | null = null;
  const flushSealed = () => {
    if (sealed) lines.push(st.dim(`mallory 🔒 relayed ${sealed.records} TLS records, ${sealed.bytes} bytes: sizes only, no content`));
    sealed = null;
  };
  for (const e of storyEvents(r.events)) {
    if (e.kind === "sealed") {
      sealed ??= { bytes: 0, records: 0 };
      sealed.bytes += e.bytes;
      sealed.records += e.records;
    } else {
      const line = describe(e, st);
      if (line) {
        flushSealed();
        lines.push(line);
      }
    }
    say(e.seq);
  }
  say(Infinity);
  flushSealed();
  return lines;
}

/** Which scenario, what mallory can do, what it expects - and, with --set, what differs. The lesson comes after the verdict (lab/closing.ts). */
export function heading(s: Scenario, total: number, st: Style = plain): string[] {
  const changed = s.variant?.changed ?? [];
  return [
    st.bold(`━━ ${s.n}/${total} ${s.id} · ${ACTS[s.act].split(" - ")[0]} · ${s.title}`),
    st.dim(`   mallory: ${s.capability}. Expected${changed.length ? " with the scenario's own settings" : ""}: ${s.expected === "attack-succeeds" ? "the attack succeeds" : "the attack fails"}.`),
    ...(changed.length ? [st.warn(`   ⚙ --set: ${changed.map((c) => `${c.path}=${formatValue(c.used)} (scenario: ${formatValue(c.scenario)})`).join(", ")}`)] : []),
  ];
}

export function verdictLine(r: RunResult, st: Style = plain): string {
  const head = r.outcome === "attack-succeeds" ? st.bad("✘ ATTACK SUCCEEDED") : st.good("✔ ATTACK FAILED");
  const mark = r.asExpected ? "" : st.bad("   ⚠ NOT AS EXPECTED (expected " + r.scenario.expected + ")");
  return `${head} - ${r.reason}${mark}`;
}

export function narrate(r: RunResult, total: number, st: Style = plain): string {
  const s = r.scenario;
  const claims = claimsSentence(r);
  return [
    ...heading(s, total, st),
    "",
    ...transcript(r, st).map((l) => "  " + l),
    "",
    "  " + witnessSentence(r),
    ...(claims ? ["  " + (claims.startsWith("⚠") ? st.bad(claims) : st.dim(claims))] : []),
    "  " + verdictLine(r, st),
    ...lessonSentences(r).map((l) => "  " + (r.asExpected ? st.bold(l) : st.warn(l))),
    st.dim(`  Reference: ${s.reference}`),
    "",
  ].join("\n");
}

/** The verdict table after a run. */
export function verdictTable(results: RunResult[], st: Style = plain): string {
  const rows = results.map((r) => {
    const ok = r.asExpected ? st.good("✔ as expected") : st.bad("✘ NOT as expected");
    const what = [
      r.loot.credentials.length ? "★ password" : "",
      r.loot.messagesTampered.length ? "✎ rewritten" : r.loot.messagesRead.length ? "👁 read" : "",
      r.witness.loginRelayed.length ? "⇄ login relayed" : "",
      r.defence ? `stopped by ${r.defence.code}` : "",
    ].filter(Boolean).join(", ") || (r.witness.sessions.some((x) => x.reachedServer) ? "sealed: sizes only" : "");
    return [String(r.scenario.n).padStart(2), r.scenario.id.padEnd(31), r.outcome.padEnd(16), ok, what];
  });
  const header = st.bold(` #  ${"scenario".padEnd(31)} ${"outcome".padEnd(16)} verdict          evidence`);
  const body = rows.map(([n, id, outcome, ok, what]) => `${n}  ${id} ${outcome} ${ok}   ${what}`);
  const bad = results.filter((r) => !r.asExpected).length;
  const total = results.reduce((a, r) => a + r.durationMs, 0);
  const summary = bad === 0 ? st.good(`${results.length} of ${results.length} scenarios as expected`) : st.bad(`${bad} of ${results.length} scenarios NOT as expected`);
  return [header, ...body, "", `${summary} (${total} ms of scenario time)`].join("\n");
}

/** DESIGN §4's JSON line for one scenario. */
export function jsonResult(r: RunResult) {
  return {
    id: r.scenario.id,
    n: r.scenario.n,
    act: r.scenario.act,
    title: r.scenario.title,
    expected: r.scenario.expected,
    outcome: r.outcome,
    asExpected: r.asExpected,
    reason: r.reason,
    loot: { credentials: r.loot.credentials, messagesRead: r.loot.messagesRead, messagesTampered: r.loot.messagesTampered, scramExchanges: r.loot.scramExchanges },
    injection: r.injection,
    client: r.client,
    defence: r.defence,
    witness: witnessJson(r),
    claims: r.claims,
    settings: effectiveSettings(r.scenario),
    settingsChanged: settingsChanged(r.scenario),
    durationMs: r.durationMs,
  };
}

/** The witness's findings for --json: where and how each thing was exposed (secrets stay in loot). */
function witnessJson(r: RunResult) {
  const w = r.witness;
  return {
    attackSucceeded: w.attackSucceeded,
    passwordExposed: w.passwordExposed.map(({ leg, how, mechanism, username }) => ({ leg, how, mechanism, username })),
    scramExposed: w.scramExposed.map(({ leg, how, mechanism, username, iterations, cracked, guesses }) => ({ leg, how, mechanism, username, iterations, cracked, guesses })),
    messagesRead: w.messagesRead.map(({ leg, how, body }) => ({ leg, how, body })),
    messagesAltered: w.messagesAltered.map(({ sent, delivered }) => ({ sent, delivered })),
    loginRelayed: w.loginRelayed.map(({ conn, mechanism, stream }) => ({ conn, mechanism, stream })),
    aliceTlsReachedServer: w.sessions.map((x) => x.reachedServer),
  };
}

/**
 * What differs between two runs of the same scenario: ports, keys (fresh PKI per run), TLS
 * record sizes (ECDSA signatures vary in length) and timings. Masked for snapshots and docs.
 */
export function maskVolatile(text: string): string {
  return text
    .replace(/127\.0\.0\.1:\d+/g, "127.0.0.1:PORT")
    .replace(/sha256\/[A-Za-z0-9+/]+=?…?/g, "sha256/…")
    .replace(/relayed \d+ TLS records, \d+ bytes/g, "relayed N TLS records, N bytes")
    .replace(/\(\d+ ms of scenario time\)/g, "(N ms of scenario time)")
    .replace(/guesses in \d+ ms/g, "guesses in N ms")
    .replace(/failed \(\d+ ms\)/g, "failed (N ms)");
}
