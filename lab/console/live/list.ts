import type { LabEvent } from "../../core/events.js";
import { buildMalloryStory, type Step } from "../../story/index.js";
import type { LiveSession } from "../../live/sessions.js";
import { footer } from "../chrome.js";
import { blank, fill, type Line, line, para, span } from "../lines.js";
import { LANE_COLOR } from "../theme.js";
import { fit, pad, width } from "../text.js";
import type { LiveSource } from "./source.js";
import type { LiveState } from "./state.js";

/** The marks a session's steps carry, in the order of the legend: what mallory did and got. */
const ORDER = ["✂", "★", "◆", "👁", "✎", "⚑", "🔓", "🔒", "✘"];
export function marksOf(steps: readonly Step[]): string {
  const got = new Set<string>();
  for (const st of steps) {
    if (st.kind === "local" && st.actor === "mallory") got.add(st.mark);
    if (st.kind !== "local") for (const c of st.crossings) got.add(c.mark);
  }
  return ORDER.filter((m) => got.has(m)).join(" ");
}

/** The top of the list: where mallory is and what she does, wrapped rather than cut (her tactics matter). */
export function liveTitle(s: LiveState, src: LiveSource, w: number): Line[] {
  const l = s.log.listeners.at(-1);
  const where = l ? `mallory on ${clientsAt(s, src)}${src.upstream ? ` → ${src.upstream}` : ""} · ${l.tactics}` : src.file ? `waiting for mallory's log ${src.file}` : "starting mallory…";
  return para(`xmpp-mitm-lab · live · ${where}`, w, { bold: true });
}

/**
 * The sessions: one line each, newest last, with what mallory did and got in each (the marks
 * of its steps), and how to start one.
 */
export function listLines(s: LiveState, src: LiveSource, w: number, rows: number): Line[] {
  const top: Line[] = [...liveTitle(s, src, w), blank()];
  const sessions = s.log.sessions;
  const body: Line[] = [];
  if (!sessions.length) {
    const l = s.log.listeners.at(-1);
    body.push(...para(l ? `No session yet. Point an XMPP client at ${clientsAt(s, src)} (instead of the server): each connection through mallory appears here, drawn as it happens.` : src.file ? `Waiting for ${src.file} to show an attacker. Start one with: mitm-lab attacker … --jsonl ${src.file}` : "mallory is starting.", w));
  } else {
    body.push(line(span(" sessions through mallory (newest last)", { bold: true, underline: true })));
    body.push(...sessionRows(sessions, s.selected, w));
  }
  if (s.log.others) body.push(blank(), ...para(`⚠ ${s.log.others} events in this log are not mallory's (a server's or client's log?): only an attacker's log is drawn here.`, w));
  const honest = para("Everything shown is what mallory observed on her own sockets. The client, the server and the message's recipient report nothing here: nothing is confirmed by them.", w);
  const notice = s.notice ? para(s.notice, w, { bold: true }) : [];
  const keys = footer(sessions.length ? [["↑↓", "choose"], ["enter", "open"], ["?", "help"], ["q", "quit"]] : [["?", "help"], ["q", "quit"]], w);
  const bottom = [blank(), ...honest, ...notice, keys];
  const room = Math.max(1, rows - top.length - bottom.length);
  // Keep the chosen session in view when the list is longer than the screen.
  const chosen = sessions.length ? s.selected + 1 : 0;
  const start = Math.max(0, Math.min(chosen - Math.floor(room / 2), body.length - room));
  return fill([...top, ...body.slice(start, start + room), ...bottom], rows, top.length + Math.min(room, body.length));
}

/** Where clients connect to mallory: what this process knows, else what her log says. */
function clientsAt(s: LiveState, src: LiveSource): string {
  const l = s.log.listeners.at(-1);
  return src.listen ?? (l ? `${l.address}:${l.port}` : "?");
}

/** Each session's steps, built once per change: a batch leaves the sessions it does not touch as they were. */
const built = new WeakMap<readonly LabEvent[], Step[]>();
export function stepsOf(x: LiveSession): Step[] {
  let steps = built.get(x.events);
  if (!steps) built.set(x.events, (steps = buildMalloryStory(x.events)));
  return steps;
}

/**
 * One line a session, columns as wide as their widest entry, in the order of what matters to
 * the room: the state, then what mallory did and got (its marks), then whose and from where -
 * so that where a terminal cuts the line (80 columns, a long account), the marks stay.
 */
function sessionRows(sessions: readonly LiveSession[], selected: number, w: number): Line[] {
  const showRun = new Set(sessions.map((x) => x.run)).size > 1;
  const cells = sessions.map((x, i) => {
    const steps = stepsOf(x);
    return {
      n: String(i + 1),
      id: sessionId(x, showRun),
      state: x.open ? "● open" : "  ended",
      steps: `${steps.length} step${steps.length === 1 ? "" : "s"}`,
      marks: marksOf(steps) || "·",
      who: x.account ?? (x.domain ? `?@${x.domain}` : "?"),
      peer: x.peer ?? "",
    };
  });
  const col = (k: keyof (typeof cells)[number]) => Math.max(...cells.map((c) => width(c[k])));
  const wn = col("n"), wid = col("id"), wstate = col("state"), wsteps = col("steps"), wmarks = col("marks"), wwho = col("who");
  return cells.map((c, i) => {
    const on = i === selected;
    const text = ` ${on ? "▸" : " "} ${pad(c.n, wn)}  ${pad(c.id, wid)}  ${pad(c.state, wstate)}  ${pad(c.steps, wsteps)}  ${pad(c.marks, wmarks)}  ${pad(c.who, wwho)}  ${c.peer}`;
    const l = line(span(fit(text.trimEnd(), w), { color: on ? LANE_COLOR.mallory() : undefined }));
    return on ? l.map((sp) => ({ ...sp, inverse: true, bold: true })) : l;
  });
}

/** A session's name on screen: its connection, and the attacker run when her log holds several (`2:m1`). */
export function sessionId(x: LiveSession, showRun: boolean): string {
  return showRun ? `${x.run}:${x.conn}` : x.conn;
}
