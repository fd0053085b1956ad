import type { RunResult } from "../runner.js";
import type { Step } from "../story/index.js";
import { type Line, line, span } from "./lines.js";
import { LANE_COLOR } from "./theme.js";
import { width, wrap } from "./text.js";

/**
 * mallory's notebook: what the path exposed so far - from the witness (lab/witness/), never
 * from mallory's own reports. Each exposure is placed at the event that sent it, so stepping
 * back takes it out again. The password first (the headline), each rewrite as two whole lines
 * (neither IBAN is ever split), then what she read, the relayed login, and what SCRAM left her.
 * `shown` says whether the event with a seq is on screen yet (shownBy: the steps drawn so far).
 */
export function notebookLines(r: RunResult, shown: (seq: number) => boolean, w: number): Line[] {
  const wit = r.witness;
  const seen = <T extends { seq: number }>(xs: T[]) => xs.filter((x) => shown(x.seq));
  const label = span(w >= 96 ? " mallory's notebook: " : " notebook: ", { bold: true, color: LANE_COLOR.mallory() });
  const items: string[][] = [];
  const passwords = new Set<string>();
  for (const p of seen(wit.passwordExposed)) {
    if (passwords.has(p.password)) continue;
    passwords.add(p.password);
    items.push([`★ ${p.username}'s password: "${p.password}"`]);
  }
  for (const x of seen(wit.scramExposed)) {
    if (x.cracked && x.password !== null) items.push([`★ ${x.username}'s password, guessed offline from SCRAM: "${x.password}" (${x.guesses} guesses, ${x.iterations} iterations)`]);
    else items.push([`◆ a ${x.mechanism} exchange of ${x.username}'s (${x.iterations} iterations): the wordlist did not find the password`]);
  }
  const altered = seen(wit.messagesAltered);
  for (const t of altered) items.push([`✎ rewrote "${t.sent}"`, `       to "${t.delivered}"`]);
  for (const m of seen(wit.messagesRead)) if (!altered.some((t) => t.sent === m.body)) items.push([`👁 read "${m.body}"`]);
  for (const l of seen(wit.loginRelayed)) items.push([`⇄ alice's login, relayed: the server accepted her on ${l.stream === "cleartext" ? "a cleartext stream" : "mallory's TLS, not alice's own"}`]);
  if (!items.length) {
    const sealed = r.events.some((e) => shown(e.seq) && e.node === "mallory" && e.kind === "sealed");
    items.push([sealed ? "(empty) 🔒 only record sizes and SNI" : "(empty)"]);
  }
  // One line when everything fits; otherwise one item per line, each wrapped whole.
  const one = items.map((x) => x.join(" ")).join("   ");
  if (items.every((x) => x.length === 1) && width(label.t) + width(one) <= w) return [line(label, one)];
  const out: Line[] = [line(label)];
  for (const it of items) for (const l of it) for (const [i, t] of wrap(l, w - 4).entries()) out.push(line(i === 0 ? "   " : "     ", t));
  return out;
}

/**
 * Whether an event is on screen once the first `at` steps are drawn: the event belongs to the
 * step that covers it, or - an event no step draws, such as alice's "message sent" - to the
 * first step that starts after it. Not "seq <= the step's last seq": steps interleave on the
 * wire (alice's presence reaches the server after her message has left), and the notebook would
 * show a message read one step before the message is sent.
 */
export function shownBy(steps: Step[], at: number): (seq: number) => boolean {
  return (seq) => {
    let owner = steps.findIndex((s) => s.seqs.includes(seq));
    if (owner < 0) owner = steps.findIndex((s) => s.first >= seq);
    if (owner < 0) owner = steps.length - 1;
    return owner < at;
  };
}
