import type { Actor, Arrow, Crossing, Handshake, Local, Step } from "../story/index.js";
import { Row } from "./canvas.js";
import { type Line, span } from "./lines.js";
import { LANE_COLOR } from "./theme.js";
import { width, wrap } from "./text.js";

/**
 * The sequence diagram: one lifeline per actor, every element an arrow from its sender's
 * lifeline to its receiver's, crossing mallory's where she relays it; what she did to it is
 * marked on her lifeline (✂ ✎ ★ ◆ 👁 🔓 🔒 ⚑ ✘) and said under the arrow. A TLS leg is drawn
 * ═, a cleartext one ─ (meaning in the line, not only in colour). Message bodies go whole on
 * their own lines under the arrow: never cut, wrapped only where the terminal is too narrow.
 */

interface Geometry {
  w: number;
  /** Lifeline columns. */
  x: Record<Actor, number>;
}

export function geometry(w: number): Geometry {
  const A = 2;
  const S = w - 2;
  return { w, x: { alice: A, mallory: Math.round((A + S) / 2), server: S } };
}

const color = (a: Actor) => LANE_COLOR[a]();

/** A lane's title: the long form where it fits a third of the width, else the short one. */
export type LaneTitles = Record<Actor, [long: string, short: string]>;

const LAB_LANES: LaneTitles = {
  alice: ["alice (client)", "alice"],
  mallory: ["mallory (attacker)", "mallory"],
  server: ["server lab.example", "server"],
};

export function laneTitles(w: number, titles: LaneTitles = LAB_LANES): Line {
  const g = geometry(w);
  const row = new Row(w);
  const title = (a: Actor, long: string, short: string, at: "left" | "center" | "right") => {
    const room = Math.floor(w / 3) - 1;
    const t = width(long) <= room ? long : short;
    const x = g.x[a];
    const col = at === "left" ? x - 1 : at === "center" ? x - Math.floor(width(t) / 2) : x + 1 - width(t);
    row.put(col, t, { bold: true, underline: true, color: color(a) });
  };
  title("alice", ...titles.alice, "left");
  title("mallory", ...titles.mallory, "center");
  title("server", ...titles.server, "right");
  return row.line();
}

/** A row with the three lifelines drawn. */
function lifelines(g: Geometry, bold: boolean): Row {
  const row = new Row(g.w);
  for (const a of ["alice", "mallory", "server"] as Actor[]) row.put(g.x[a], "│", { color: color(a), bold });
  return row;
}

/** The steps up to the current one (`at`), as many lines as fit, the current one whole at the bottom. */
export function diagramLines(steps: Step[], at: number, w: number, rows: number): Line[] {
  const g = geometry(w);
  if (at < 1) return [];
  // The current step from its first line (the arrow), even when it alone is taller than the room.
  const current = stepLines(steps[at - 1], g, true).slice(0, rows);
  const out: Line[] = [];
  for (let i = at - 2; i >= 0 && out.length + current.length < rows; i--) out.unshift(...stepLines(steps[i], g, false));
  return [...out.slice(-(rows - current.length) || out.length), ...current].slice(-rows);
}

export function stepLines(step: Step, g: Geometry, current: boolean): Line[] {
  const rows = step.kind === "arrow" ? arrowRows(step, g, current) : step.kind === "tls" ? handshakeRows(step, g, current) : localRows(step, g, current);
  // The current step is marked with › (not by colour alone), and drawn bold.
  if (current) rows[0].put(0, "›", { bold: true });
  return rows.map((r) => r.line());
}

/** The crossings worth a line of their own: not the routine 🔒 / 🔓, not a bare mark. */
const told = (c: Crossing) => c.mark !== "🔒" && c.mark !== "🔓" && c.text !== "";

function arrowRows(a: Arrow, g: Geometry, current: boolean): Row[] {
  const style = { color: color(a.from), bold: current };
  const row = lifelines(g, current);
  const { alice: A, mallory: M, server: S } = g.x;
  const x0 = g.x[a.from];
  const x1 = g.x[a.to];
  const ltr = x1 > x0;
  // The segments between lifelines, in the arrow's direction, each with its label.
  const segs: Array<{ lo: number; hi: number; secure: boolean; label: string }> = [];
  const between = (l: number, r: number, secure: boolean, label: string) => segs.push({ lo: l + 1, hi: r - 1, secure, label });
  const changed = a.delivered && a.delivered.label !== a.sent.label ? a.delivered.label : "";
  if (a.via) {
    const [first, second] = ltr ? [[A, M, a.secure.left], [M, S, a.secure.right]] as const : [[M, S, a.secure.right], [A, M, a.secure.left]] as const;
    between(first[0], first[1], first[2], a.sent.label);
    between(second[0], second[1], second[2], changed);
  } else {
    between(Math.min(x0, x1), Math.max(x0, x1), ltr ? (x0 === A ? a.secure.left : a.secure.right) : x1 === A ? a.secure.left : a.secure.right, a.sent.label);
  }
  // A lost arrow (drawn ╌, no head) says what the story knows, as the narrator does: the
  // receiver never logged reading it - the line alone left the room to guess.
  const lastSeg = segs[segs.length - 1];
  if (a.lost && lastSeg && !lastSeg.label) lastSeg.label = `${a.to} never read it`;
  const more: Array<{ lo: number; lines: string[] }> = [];
  segs.forEach((s, i) => {
    const last = i === segs.length - 1;
    const ch = last && a.lost ? "╌" : s.secure ? "═" : "─";
    row.fill(s.lo, s.hi + 1, ch, style);
    if (last && !a.lost) row.put(ltr ? s.hi : s.lo, ltr ? "▶" : "◀", style);
    if (s.label) {
      const room = Math.max(4, s.hi - s.lo - 4);
      const parts = wrap(s.label, room);
      row.put(s.lo + 2, ` ${parts[0]} `, style);
      if (parts.length > 1) more.push({ lo: s.lo + 3, lines: parts.slice(1) });
    }
  });
  // The sender's end, and mallory's lifeline where the arrow touches it.
  if (a.from !== "mallory") row.put(x0, ltr ? "├" : "┤", style);
  const marks = [...new Set(a.crossings.map((c) => c.mark))];
  if (a.via || a.from === "mallory" || a.to === "mallory") {
    const mark = marks.length ? marks.slice(0, 2).join("") : a.via ? "┼" : "│";
    row.put(M, mark, { color: color("mallory"), bold: true });
  }
  const rows = [row];
  // Label continuations, under their segments.
  const depth = Math.max(0, ...more.map((m) => m.lines.length));
  for (let i = 0; i < depth; i++) {
    const r = lifelines(g, current);
    for (const m of more) if (m.lines[i]) r.put(m.lo, m.lines[i], style);
    rows.push(r);
  }
  // What mallory did, at her lifeline.
  const notes = a.crossings.filter(told).map((c) => `${c.mark} ${c.text}`).join("  ");
  if (notes) rows.push(...textRows(g, notes, "mallory", current, { color: color("mallory"), bold: true }));
  // Message bodies, whole.
  if (a.sent.body !== null) {
    const body = (b: string) => `"${b}"`;
    const arrived = a.delivered?.body;
    if (arrived !== undefined && arrived !== null && arrived !== a.sent.body) {
      // What arrived, when the receiver's log says so; from mallory's log alone, what she passed on.
      const [sent, got] = a.heard === "receiver" ? ["sent:      ", "✎ arrives: "] : ["sent:        ", "✎ passed on: "];
      rows.push(...bodyRows(g, sent, body(a.sent.body), current, style));
      rows.push(...bodyRows(g, got, body(arrived), current, { color: color("mallory"), bold: true }));
    } else rows.push(...bodyRows(g, "", body(a.sent.body), current, style));
  }
  return rows;
}

/** A body line from alice's lifeline, across the others: a body is never shortened. */
function bodyRows(g: Geometry, prefix: string, text: string, current: boolean, style: { color?: string; bold?: boolean }, right = false): Row[] {
  const from = g.x.alice + 2;
  const room = g.x.server - 1 - from - width(prefix);
  return wrap(text, Math.max(10, room)).map((t, i) => {
    const r = lifelines(g, current);
    // The server's own (what bob received) ends at the server's lifeline.
    const at = right ? Math.max(from, g.x.server - 1 - width(prefix) - width(t)) : from;
    r.put(at, i === 0 ? prefix : " ".repeat(width(prefix)), style);
    r.put(at + width(prefix), t, style);
    return r;
  });
}

/**
 * Text that belongs to one actor, anchored at its lifeline: alice's runs right from hers and
 * stays left of mallory's; mallory's starts on hers; the server's ends at its own and stays
 * right of mallory's - wrapped, never moved into another actor's lane.
 */
function textRows(g: Geometry, text: string, actor: Actor, current: boolean, style: { color?: string; bold?: boolean }): Row[] {
  const { alice: A, mallory: M, server: S } = g.x;
  const [lo, hi] = actor === "alice" ? [A + 2, M - 2] : actor === "mallory" ? [M, S - 2] : [M + 2, S - 2];
  return wrap(text, Math.max(8, hi - lo + 1)).map((t) => {
    const r = lifelines(g, current);
    r.put(actor === "server" ? hi + 1 - width(t) : lo, t, style);
    return r;
  });
}

function localRows(l: Local, g: Geometry, current: boolean): Row[] {
  const style = { color: color(l.actor), bold: current || l.failure };
  const rows = textRows(g, `${l.mark} ${l.text}`, l.actor, current, style);
  if (l.body !== null) rows.push(...bodyRows(g, "", `"${l.body}"`, current, style, l.actor === "server"));
  return rows;
}

function handshakeRows(h: Handshake, g: Geometry, current: boolean): Row[] {
  const style = { color: color(h.from), bold: current };
  const row = lifelines(g, current);
  const x0 = g.x[h.from];
  const x1 = g.x[h.to];
  const [l, r] = [Math.min(x0, x1), Math.max(x0, x1)];
  const M = g.x.mallory;
  if (h.failed) {
    // A connection that got nowhere: a line that stops, struck out, where it was dropped.
    row.fill(l + 1, r, "─", style);
    row.put(x0, "├", style);
    row.put(x1, "✘", { color: color("mallory"), bold: true });
  } else {
    row.fill(l + 1, r, "═", style);
    row.put(l + 1, "◀", style);
    row.put(r - 1, "▶", style);
    if (h.via) row.put(M, h.crossings[0]?.mark ?? "┼", { color: color("mallory"), bold: true });
    else if (h.to === "mallory" || h.from === "mallory") row.put(M, h.crossings[0]?.mark ?? "│", { color: color("mallory"), bold: true });
  }
  // The handshake's words: in its first segment, wrapped under it when long.
  const segEnd = h.via ? M : r;
  const room = Math.max(4, segEnd - l - 6);
  const parts = wrap(h.failed ? h.text : `🔒 ${h.text}`, room);
  row.put(l + 3, ` ${parts[0]} `, style);
  const rows = [row];
  for (const p of parts.slice(1)) {
    const c = lifelines(g, current);
    c.put(l + 4, p, style);
    rows.push(c);
  }
  const notes = h.crossings.filter(told).map((c) => `${c.mark} ${c.text}`).join("  ");
  if (notes) rows.push(...textRows(g, notes, "mallory", current, { color: color("mallory"), bold: true }));
  return rows;
}

export { span };
