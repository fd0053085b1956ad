import { type Step, stepWords } from "../../story/index.js";
import { observations } from "../../story/observed.js";
import type { LiveSession } from "../../live/sessions.js";
import { NEUTRAL_NAMES } from "../../sentences.js";
import { footer } from "../chrome.js";
import { type LaneTitles, laneTitles } from "../diagram.js";
import { diagramWithXml } from "../diagram-pane.js";
import { fill, type Line, line, para, rule, span } from "../lines.js";
import { LANE_COLOR } from "../theme.js";
import { fit, width, wrap } from "../text.js";
import { sessionId } from "./list.js";
import type { LiveSource } from "./source.js";
import type { LiveState } from "./state.js";

/** The lanes of a live session: the client as mallory saw it connect, the server she relays to. */
export function liveLanes(x: LiveSession, src: LiveSource): LaneTitles {
  return {
    alice: [x.peer ? `client ${x.peer}` : "client", "client"],
    mallory: ["mallory (attacker)", "mallory"],
    server: [src.upstream ? `server ${src.upstream}` : x.domain ? `server ${x.domain}` : "server", "server"],
  };
}

/**
 * One live session: the same sequence diagram as a scenario's, from mallory's log alone, up to
 * the step on screen; what the step means; her notebook (her own notes, never confirmed);
 * and, where a scenario has its verdict, the plain statement that there is none to give.
 */
export function sessionLines(s: LiveState, x: LiveSession, steps: Step[], src: LiveSource, w: number, rows: number): { lines: Line[]; maxScroll: number } {
  const v = s.view!;
  const who = x.account ?? (x.domain ? `an account at ${x.domain}` : "account not seen yet");
  // Open or ended first: where the header is cut on a narrow terminal, the end goes.
  const id = sessionId(x, new Set(s.log.sessions.map((o) => o.run)).size > 1);
  const right = " mallory's view only ";
  // The peer only whole: the client's lane names it too, so a narrow terminal leaves it out.
  const short = ` live · ${id} ${x.open ? "● open" : "ended"} · ${who}`;
  const full = `${short}${x.peer ? ` · from ${x.peer}` : ""}`;
  const head = width(full) <= w - width(right) - 1 ? full : short;
  const top: Line[] = [
    line(span(fit(head, w - width(right) - 1), { bold: true }), " ".repeat(Math.max(1, w - width(fit(head, w - width(right) - 1)) - width(right))), span(right, { bold: true, color: LANE_COLOR.mallory() })),
    laneTitles(w, liveLanes(x, src)),
    rule(w),
  ];
  const behind = steps.length - v.at;
  const where = `step ${v.at}/${steps.length}${v.following ? ` ▶ follows${behind > 0 ? `, ${behind} to come` : ""}` : " ⏸"}`;
  const keys = footer(hints(s), w, where);
  const step = steps[v.at - 1];
  const say = para(`▸ ${step ? stepWords(step, NEUTRAL_NAMES) : x.open ? "waiting for the first element…" : "nothing crossed this connection."}`, w, { bold: true }).slice(0, 3);
  const notice = s.notice ? para(s.notice, w, { bold: true }) : [];
  const bottom: Line[] = [rule(w), ...say, ...notebook(x, step?.seq ?? -1, w, !x.open && v.at === steps.length), ...notice];
  const { diagram, pane, maxScroll } = diagramWithXml(steps, v.at, { open: s.xml, scroll: s.xmlScroll }, w, rows - top.length - bottom.length - 1);
  return { lines: fill([...top, ...diagram, ...pane, ...bottom, keys], rows, top.length + diagram.length), maxScroll };
}

/**
 * mallory's notebook for the session, up to the step on screen: her own notes, labelled as
 * such. The line under it says what a live session cannot have: a witness at the endpoints.
 */
function notebook(x: LiveSession, upTo: number, w: number, whole: boolean): Line[] {
  const label = span(w >= 96 ? " mallory's notebook, her own notes: " : " her notes: ", { bold: true, color: LANE_COLOR.mallory() });
  const items = observations(x.events, upTo).map((o) => o.lines.map((l, i) => (i === 0 ? `${o.mark} ${l}` : l)));
  const honest = line(span(fit(` unconfirmed: no endpoint reports in a live session${w >= 90 ? " (a scenario's witness would)" : ""}`, w)));
  // "yet" while more can come: the session is open, or steps are still ahead on screen.
  if (!items.length) return [line(label, whole ? "(nothing)" : "(nothing yet)"), honest];
  const one = items.map((i) => i.join(" ")).join("   ");
  if (items.every((i) => i.length === 1) && width(label.t) + width(one) <= w) return [line(label, one), honest];
  const out: Line[] = [line(label)];
  for (const it of items) for (const l of it) for (const [i, t] of wrap(l, w - 4).entries()) out.push(line(i === 0 ? "   " : "     ", t));
  return [...out, honest];
}

function hints(s: LiveState): Array<[string, string]> {
  return [
    ["space", "next"],
    ["←", "back"],
    ["e", "now"],
    ["f", s.view?.following ? "pause" : "follow"],
    ["x", s.xml ? "close XML" : "XML"],
    ["tab", "next session"],
    ["m", "handout"],
    ["?", "help"],
    ["q", "list"],
  ];
}
