import type { RunResult } from "./runner.js";
import { formatValue } from "./settings-format.js";

/**
 * The end of a run's story, shared by the plain narrator and the console: what the witness
 * proved, whether mallory's claims held, and then either the scenario's lesson or - when the
 * outcome is not the one the scenario expects - which settings differ and what came of them.
 * The lesson explains the expected outcome under the scenario's own settings, so it is shown
 * only then; with other settings it is labelled as the scenario's, not this run's.
 */

const WHERE = { "alice-mallory": "alice↔mallory", "mallory-server": "mallory↔server" } as const;
const HOW = { cleartext: "in cleartext", "terminated-tls": "inside TLS mallory terminated" } as const;

/** One finding of the witness, with the event of alice's (or bob's) it rests on, when there is one. */
export interface Finding {
  text: string;
  seq: number | null;
}

/** What the witness proved, one finding each, independent of mallory's reports. */
export function witnessFindings(r: RunResult): Finding[] {
  const w = r.witness;
  const out: Finding[] = [];
  const at = (seq: number) => (seq >= 0 ? seq : null);
  for (const p of w.passwordExposed) out.push({ text: `★ alice's password exposed (${p.mechanism}, ${HOW[p.how]}, ${WHERE[p.leg]})`, seq: at(p.seq) });
  for (const x of w.scramExposed) {
    out.push({
      text: x.cracked
        ? `★ alice's ${x.mechanism} exchange readable (${HOW[x.how]}) and cracked by the bundled wordlist (guess ${x.guesses}, ${x.iterations} iterations)`
        : `◆ alice's ${x.mechanism} exchange readable (${HOW[x.how]}): ${x.iterations} iterations, not on the bundled wordlist`,
      seq: at(x.seq),
    });
  }
  const altered = new Set(w.messagesAltered.map((m) => m.sent));
  for (const m of w.messagesRead) if (!altered.has(m.body)) out.push({ text: `👁 her message readable (${HOW[m.how]})`, seq: at(m.seq) });
  // bob kept out by a setting: the server's routing is the endpoint, and the sentence says so.
  for (const m of w.messagesAltered) out.push({ text: `✎ ${m.at === "bob" ? "bob got" : "the server accepted, for bob,"} "${m.delivered}", which alice never sent`, seq: at(m.seq) });
  for (const l of w.loginRelayed) out.push({ text: `⇄ the server accepted alice's login on ${l.stream === "cleartext" ? "a cleartext stream" : "mallory's TLS session, not hers"}`, seq: at(l.seq) });
  return out;
}

/** One sentence: what the witness proved, independent of mallory's reports. */
export function witnessSentence(r: RunResult): string {
  const parts = witnessFindings(r).map((f) => f.text);
  if (!parts.length) {
    const e2e = r.witness.sessions.some((s) => s.reachedServer);
    return `Witness: nothing of alice's was exposed${e2e ? "; her TLS session was the server's own (one hop, alice to the server)" : ""}.`;
  }
  return `Witness: ${parts.join("; ")}.`;
}

/** mallory's claims against the witness: all held, or which did not (a lab bug, loudly). */
export function claimsSentence(r: RunResult): string | null {
  if (!r.claims.length) return null;
  const bad = r.claims.filter((c) => !c.supported);
  if (!bad.length) return r.claims.length === 1 ? "mallory's one claim holds against the witness." : `mallory's ${r.claims.length} claims all hold against the witness.`;
  return `⚠ ${bad.length} of mallory's claims do not hold against the witness (${bad.map((c) => c.claim).join(", ")}): a lab bug, please report it.`;
}

const OUTCOME = { "attack-succeeds": "the attack succeeds", "attack-fails": "the attack fails" } as const;

/** The lesson, or why there is none for this run. */
export function lessonSentences(r: RunResult): string[] {
  const changed = r.scenario.variant?.changed ?? [];
  const list = changed.map((c) => `${c.path}=${formatValue(c.used)} (scenario: ${formatValue(c.scenario)})`).join(", ");
  if (r.asExpected && !changed.length) return [`Lesson: ${r.scenario.lesson}`];
  if (r.asExpected) {
    return [`As the scenario expects (${OUTCOME[r.scenario.expected]}), with your settings: ${list}.`, `The scenario's lesson, for its own settings: ${r.scenario.lesson}`];
  }
  if (!changed.length) {
    return [`⚠ The scenario expects that ${OUTCOME[r.scenario.expected]}, with exactly these settings, and it did not: a lab bug (or a machine too slow for its timeouts). Please report it with the --json output.`];
  }
  return [
    `Not the scenario's outcome: it expects that ${OUTCOME[r.scenario.expected]}. Settings that differ from it: ${list}.`,
    `With them, ${OUTCOME[r.outcome]}: ${r.reason.replace(/\.$/, "")}.`,
  ];
}
