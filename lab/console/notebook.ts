import type { LabEvent } from "../core/events.js";
import type { Loot } from "../verdict.js";
import { type Line, line, span } from "./lines.js";
import { LANE_COLOR } from "./theme.js";
import { width, wrap } from "./text.js";

/** mallory's loot so far, from her loot events up to the step on screen. */
export function lootSoFar(events: LabEvent[], upTo: number): Loot {
  const loot: Loot = { credentials: [], messagesRead: [], messagesTampered: [], scramExchanges: 0 };
  for (const e of events) {
    if (e.seq > upTo || e.node !== "mallory" || e.kind !== "loot") continue;
    const l = e.loot;
    if (l.type === "credential") loot.credentials.push({ mechanism: l.mechanism, username: l.username, password: l.password });
    if (l.type === "scram") loot.scramExchanges++;
    if (l.type === "message-read") loot.messagesRead.push(l.body);
    if (l.type === "message-tampered") loot.messagesTampered.push({ sent: l.sent, delivered: l.delivered });
  }
  return loot;
}

/**
 * mallory's notebook: what she holds, the password first (the headline), then each rewrite in
 * full - both IBANs whole, wrapped rather than cut - then what she read. `sealed` says whether
 * she saw ciphertext, for an empty notebook that is empty for a reason.
 */
export function notebookLines(loot: Loot, sealed: boolean, w: number): Line[] {
  const label = span(w >= 100 ? " mallory's notebook: " : " notebook: ", { bold: true, color: LANE_COLOR.mallory() });
  // Each item is one or more lines; a rewrite is two, so neither IBAN is ever split.
  const items: string[][] = [];
  for (const c of loot.credentials) items.push([`★ ${c.username}'s password: "${c.password}"`]);
  if (loot.scramExchanges) items.push([`◆ ${loot.scramExchanges} SCRAM exchange${loot.scramExchanges > 1 ? "s" : ""} recorded (offline guessing)`]);
  for (const t of loot.messagesTampered) items.push([`✎ rewrote "${t.sent}"`, `       to "${t.delivered}"`]);
  const unchanged = loot.messagesRead.filter((m) => !loot.messagesTampered.some((t) => t.sent === m));
  for (const m of unchanged) items.push([`👁 read "${m}"`]);
  if (!items.length) items.push([sealed ? "(empty) 🔒 only ciphertext sizes" : "(empty)"]);
  const one = items.map((x) => x.join(" ")).join("   ");
  if (items.every((x) => x.length === 1) && width(label.t) + width(one) <= w) return [line(label, one)];
  const out: Line[] = [line(label)];
  for (const it of items) for (const l of it) for (const [i, t] of wrap(l, w - 4).entries()) out.push(line(i === 0 ? "   " : "     ", t));
  return out;
}
