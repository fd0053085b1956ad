import type { LiveSource } from "../console/live/source.js";
import { liveLanes } from "../console/live/session.js";
import type { LiveListener, LiveSession } from "../live/sessions.js";
import { NEUTRAL_NAMES } from "../sentences.js";
import type { Step } from "../story/index.js";
import { observations } from "../story/observed.js";
import { VERSION } from "../version.js";
import { diagramText } from "./diagram.js";
import { code, fenced, heading, md } from "./markdown.js";
import { stepList, xmlSections } from "./steps.js";

/**
 * A live session as Markdown (`m` in the live console): the same page as a run's, from
 * mallory's log alone - so it says what it cannot have: a witness at the endpoints, a verdict,
 * an expected outcome. What she noted is listed as hers.
 */
export function liveHandout(x: LiveSession, steps: readonly Step[], src: LiveSource, listener: LiveListener | null, written: Date): string {
  const out: string[] = [
    `<!-- A handout of a live session through a standalone mallory, written by xmpp-mitm-lab ${VERSION} at ${written.toISOString()}. -->`,
    "",
    // A later attacker run appending to the same log starts again at m1: its sessions are named with the run, as on screen.
    heading(1, `A live session through mallory: ${x.run > 1 ? `${x.run}:` : ""}${x.conn}${x.peer ? ` from ${x.peer}` : ""}`),
    "",
    "Drawn from mallory's own log - what she read, wrote and noted on her sockets. No endpoint reports here: nothing on this page is confirmed by the client, the server or the message's recipient, and there is no verdict. A scenario run (`npx mitm-lab run <id> --markdown FILE`) has that witness.",
    "",
    heading(2, "Set-up, as mallory saw it"),
    "",
  ];
  if (listener) out.push(`- mallory: listening on ${code(src.listen ?? `${listener.address}:${listener.port}`)}, tactics ${md(listener.tactics.split(",").join(", "))}${src.upstream ? `, relaying to ${code(src.upstream)}` : ""}`);
  out.push(
    `- the client: ${x.peer ? code(x.peer) : "address not in her log"}${x.account ? `, account ${code(x.account)} (as her log shows it)` : x.domain ? `, for ${code(x.domain)}; no account seen` : ""}`,
    `- the session: ${x.open ? "still open" : "ended"} when this page was written (${written.toISOString()}), ${steps.length} steps`,
    src.file ? `- her log: ${code(src.file)} (${code(`npx mitm-lab crack ${src.file}`)} guesses every SCRAM login in it)` : "- her log: not written (start the attacker with --jsonl FILE to keep one)",
    "",
    heading(2, "What happened"),
    "",
    md("What she read, from the side she read it from, and what she passed on; ═ a TLS leg, ─ cleartext; ✂ removed · ✎ rewritten · ★ password · ◆ SCRAM exchange recorded · 👁 read · 🔓 read inside her own TLS · 🔒 TLS she relayed unread: sizes only · ⚑ hers."),
    "",
    ...fenced(diagramText(steps, liveLanes(x, src)), "text"),
    "",
    heading(2, "Step by step"),
    "",
    ...stepList(steps, NEUTRAL_NAMES),
    "",
  );
  const xml = xmlSections(steps, "###");
  if (xml.length) out.push(heading(2, "The XML that matters"), "", ...xml);
  const notes = observations(x.events, Infinity);
  out.push(heading(2, "mallory's notes (hers, unconfirmed)"), "");
  if (!notes.length) out.push("- nothing: no password, no SCRAM exchange, no message crossed where she could read it");
  for (const n of notes) out.push(`- ${n.mark} ${md(n.lines.map((l) => l.trim()).join(" "))}`);
  out.push(
    "",
    heading(2, "What this page cannot tell"),
    "",
    "Whether the password she noted is the account's (only the server knows; she saw its answer), what the recipient received (she saw what she passed on), and which TLS session the client's traffic reached. To check, look at the other side: the server's log, the recipient's client. The scenarios answer these with a witness (`npx mitm-lab run starttls-strip --markdown strip.md`).",
    "",
    heading(2, "References"),
    "",
    "- docs/real-software.md, \"On stage: the live console over real traffic\"",
    "- RFC 7590 §3.1: the STARTTLS feature \"might be stripped out by an attacker\"; RFC 5802 §9: a recorded SCRAM exchange allows an offline dictionary attack",
  );
  return out.join("\n").trimEnd() + "\n";
}

/** The handout's file name: the session and when it was written (several sessions, several pages). */
export function liveHandoutName(x: LiveSession, written: Date): string {
  const t = written.toISOString().replace(/[-:]/g, "").replace("T", "-").slice(0, 15);
  return `live-${x.run > 1 ? `${x.run}-` : ""}${x.conn}-${t}.md`;
}
