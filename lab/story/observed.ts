import type { LabEvent } from "../core/events.js";

/**
 * mallory's notebook from her log alone (a live session): what she noted, up to a point in it.
 * Unlike a scenario run's notebook, which reads the witness, nothing here is checked - no
 * endpoint reports in a live session. What is said is hers; what the server answered is said
 * only as she relayed it (a <success/> after the <auth/> she read), never as the server's word.
 */
export interface Observation {
  mark: string;
  /** One or more lines, each shown whole (a rewrite is two: neither body is ever split). */
  lines: string[];
  /** The event it comes from. */
  seq: number;
}

export function observations(events: readonly LabEvent[], upTo: number): Observation[] {
  const seen = events.filter((e) => e.seq <= upTo);
  const out: Observation[] = [];
  const tampered = new Set<string>();
  for (const e of seen) if (e.kind === "loot" && e.loot.type === "message-tampered") tampered.add(e.loot.sent);
  for (const e of seen) {
    if (e.kind === "move" && e.move.type === "offline-guess") {
      const m = e.move;
      out.push(m.password !== null
        ? { mark: "★", lines: [`${m.username}'s password, guessed offline from ${m.mechanism}: "${m.password}" (guess ${m.guesses} of ${m.words}, ${m.iterations} iterations)`], seq: e.seq }
        : { mark: "◆", lines: [`offline guess at ${m.username}'s ${m.mechanism} exchange: none of ${m.guesses} words`], seq: e.seq });
      continue;
    }
    if (e.kind !== "loot") continue;
    const l = e.loot;
    switch (l.type) {
      case "credential":
        // A guessed password is told with its guess (above).
        if (l.mechanism === "PLAIN") out.push({ mark: "★", lines: [`${l.username}'s password: "${l.password}" (PLAIN)${answer(seen, e.seq)}`], seq: e.seq });
        break;
      case "scram":
        out.push({ mark: "◆", lines: [`${l.username}'s ${l.mechanism} exchange (${l.iterations} iterations): enough for an offline guess${answer(seen, e.seq)}`], seq: e.seq });
        break;
      case "message-read":
        if (!tampered.has(l.body)) out.push({ mark: "👁", lines: [`read${l.to ? ` (to ${l.to})` : ""}: "${l.body}"`], seq: e.seq });
        break;
      case "message-tampered":
        out.push({ mark: "✎", lines: [`rewrote "${l.sent}"`, `     to "${l.delivered}"`], seq: e.seq });
        break;
    }
  }
  return out;
}

/**
 * What the server answered the login she read, as she relayed it: the first SASL outcome
 * after it (RFC 6120 §6.4.5, §6.4.6). Nothing when none has crossed her yet.
 */
function answer(events: readonly LabEvent[], after: number): string {
  const r = events.find((e) => e.seq > after && e.kind === "relay" && e.dir === "s2c" && (e.label === "SASL success" || e.label.startsWith("SASL failure")));
  if (!r || r.kind !== "relay") return "";
  const condition = /<([^/>]+)\/>$/.exec(r.label)?.[1];
  return r.label === "SASL success" ? " · the server answered <success/>" : ` · the server answered <failure/>${condition ? ` (${condition})` : ""}`;
}
