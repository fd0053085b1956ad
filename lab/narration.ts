import type { RunResult } from "./runner.js";
import { ACTS, type Scenario } from "../scenarios/index.js";
import { claimsSentence, lessonSentences, witnessSentence } from "./closing.js";
import { type Actor, buildStory, type Crossing, panelText, type Step } from "./story/index.js";
import { effectiveSettings, formatValue, settingsChanged } from "./settings.js";
import { plain, type Style } from "./style.js";

/**
 * The plain narrator: a run's story (lab/story/) as lines of text - the same steps the console
 * draws as a sequence diagram, so a fact is worded in one place. An element is one line with
 * its path (`alice ─▶ mallory ═▶ server`: ═ a TLS leg, ─ cleartext), what mallory did to it on
 * the lines under it, a body whole; what a node did on its own is its sentence.
 */

const ORDER: Actor[] = ["alice", "mallory", "server"];
const PATH_WIDTH = 26;

/** `alice ─▶ mallory ═▶ server`, in lane order, arrows in the element's direction. */
function path(from: Actor, to: Actor, via: boolean, secure: { left: boolean; right: boolean }, lost: boolean): string {
  const ltr = ORDER.indexOf(to) > ORDER.indexOf(from);
  const leg = (tls: boolean, last: boolean) => {
    const line = tls ? "═" : "─";
    if (last && lost) return ltr ? `${line}✕` : `✕${line}`;
    return ltr ? `${line}▶` : `◀${line}`;
  };
  if (via) return ltr ? `alice ${leg(secure.left, false)} mallory ${leg(secure.right, true)} server` : `alice ${leg(secure.left, true)} mallory ${leg(secure.right, false)} server`;
  const [a, b] = ltr ? [from, to] : [to, from];
  const tls = a === "alice" ? secure.left : secure.right;
  return `${a} ${leg(tls, true)} ${b}`;
}

const told = (c: Crossing) => c.mark !== "🔒" && c.mark !== "🔓" && c.text !== "";
const pad = (x: string) => x + " ".repeat(Math.max(1, PATH_WIDTH + 1 - [...x].length));

/** One step as transcript lines. */
function stepText(step: Step, st: Style): string[] {
  const under = " ".repeat(PATH_WIDTH + 1);
  if (step.kind === "local") {
    // Its own name is in the first column: "mallory: ..." would say it twice.
    const words = (step.say ?? step.text).replace(new RegExp(`^${step.actor}: `), "");
    const head = `${pad(step.actor)}${step.mark} ${words.replace(/\.$/, "")}`;
    const out = [step.failure ? st.bad(head) : head];
    if (step.body !== null && !words.includes(step.body)) out.push(`${under}"${step.body}"`);
    return out;
  }
  if (step.kind === "tls") {
    if (step.failed) return [st.bad(`${pad(`${step.from} ─✕ ${step.to}`)}✘ ${step.text}: ${(step.say ?? step.crossings.map((c) => c.text).join("; ")).replace(/\.$/, "")}`)];
    const ends = step.via ? "alice ◀═══════════▶ server" : `${step.from} ◀═▶ ${step.to}`;
    const marks = step.via ? ` (mallory ${step.crossings.map((c) => `${c.mark} ${c.text}`).join("; ")})` : "";
    return [`${pad(ends)}🔒 ${step.text}${marks}`];
  }
  const a = step;
  const routine = a.crossings.filter((c) => !told(c)).map((c) => c.mark);
  // "never read it", not "never arrives": the bytes may well arrive - a flipped record the
  // server's TLS refuses, XML alice's TLS takes for a bad record (alice.tls=direct to a
  // cleartext server) - what the story knows is that the receiver never logged reading it.
  const arrived = a.delivered && a.delivered.label !== a.sent.label ? `  → ${a.delivered.label}` : "";
  const out = [`${pad(path(a.from, a.to, a.via, a.secure, a.lost))}${a.sent.label}${arrived}${routine.length ? "  " + [...new Set(routine)].join("") : ""}${a.lost ? `  (${a.to} never read it)` : ""}`];
  const hers = a.crossings.filter(told);
  if (hers.length) {
    const line = `${under}mallory ${hers.map((c) => `${c.mark} ${c.text}`).join("; ")}`;
    out.push(hers.some((c) => "★👁✎◆".includes(c.mark)) ? st.bad(line) : st.warn(line));
  }
  if (a.sent.body !== null) {
    const got = a.delivered?.body;
    if (got !== undefined && got !== null && got !== a.sent.body) out.push(`${under}sent:      "${a.sent.body}"`, st.bad(`${under}✎ arrives: "${got}"`));
    else out.push(`${under}"${a.sent.body}"`);
  }
  return out;
}

/** The transcript of one run: its story, step by step, each scenario line under its step. */
export function transcript(r: RunResult, st: Style = plain): string[] {
  return buildStory(r).flatMap((step) => [
    ...stepText(step, st),
    ...step.lines.map((l) => st.accent(`  ▸ ${l}`)),
    ...(step.panels ?? []).flatMap((p) => panelText(p).map((l) => `    ${l}`)),
  ]);
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
/**
 * alice's errors that are no check of hers: a connection that closed or timed out (mallory's
 * own TLS to the server failed, a setting pointed alice at the wrong port), a blocked port,
 * settings that leave no mechanism. The attack failed, but nothing "stopped" it: the table
 * says "alice: CODE", as when the attack succeeded.
 */
const NOT_A_DEFENCE = new Set(["CONNECTION_CLOSED", "TIMEOUT", "CONNECT_FAILED", "TLS_FAILED", "TLS_ABORTED", "NO_MECHANISM"]);

export function verdictTable(results: RunResult[], st: Style = plain): string {
  const rows = results.map((r) => {
    const ok = r.asExpected ? st.good("✔ as expected") : st.bad("✘ NOT as expected");
    // The witness's evidence (issue 8), all of it: an injection the server acted on, and a SCRAM
    // exchange that crossed but resisted the wordlist, are evidence too.
    const w = r.witness;
    const cracked = w.scramExposed.some((x) => x.cracked);
    const what = [
      w.passwordExposed.length || cracked ? "★ password" : w.scramExposed.length ? "◆ SCRAM exchange" : "",
      w.messagesAltered.length ? "✎ rewritten" : w.messagesRead.length ? "👁 read" : "",
      w.loginRelayed.length ? "⇄ login relayed" : "",
      w.injected.length ? `⚠ ${w.injected.reduce((a, x) => a + x.bytes, 0)} bytes injected` : "",
      r.defence && r.outcome === "attack-fails" && !NOT_A_DEFENCE.has(r.defence.code) ? `stopped by ${r.defence.code}` : r.defence ? `alice: ${r.defence.code}` : "",
    ].filter(Boolean).join(", ") || (r.witness.sessions.some((x) => x.reachedServer) ? "sealed: sizes, SNI" : "");
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
    .replace(/failed \(\d+ ms\)/g, "failed (N ms)")
    // A certificate's validity in the CT monitor's view (lab/story/ct.ts): the lab issues them per run.
    .replace(/valid \d{4}-\d\d-\d\d → \d{4}-\d\d-\d\d/g, "valid YYYY-MM-DD → YYYY-MM-DD");
}
