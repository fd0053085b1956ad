import type { LabEvent } from "../core/events.js";
import { matches, storyEvents } from "../narration.js";
import { authFailureText, decisionText, editsText, moveText, tacticText } from "../sentences.js";
import type { Scenario } from "../../scenarios/index.js";

export type Lane = "alice" | "mallory" | "server";

export interface XmlSection {
  label: string;
  xml: string;
}

/** One beat of the presenter: a row across the three lanes, with what it means. */
export interface Step {
  lane: Lane;
  /** → toward the server, ← toward alice, or none. */
  dir: "right" | "left" | null;
  /** Symbol first (meaning never by colour alone): ✂ ★ ✎ 👁 🔒 ✘ ✔ ⚑ ✉ ℹ */
  text: string;
  tone: "plain" | "attack" | "defence" | "sealed" | "note";
  /** The sentence the narration line shows for this step. */
  say: string | null;
  /** What crossed the wire at this step, in sections ("before", "after"); empty when nothing did. */
  xml: XmlSection[];
  /** The trace position this step shows (seq of its last event). */
  seq: number;
}

const quote = (body: string) => `"${body}"`;

function beforeAfter(e: Extract<LabEvent, { kind: "relay" }>): XmlSection[] {
  const to = e.dir === "s2c" ? "alice" : "the server";
  const from = e.dir === "s2c" ? "the server" : "alice";
  return [
    { label: `before: what ${from} sent`, xml: e.original ?? "" },
    { label: `after: what mallory passed on to ${to}`, xml: e.xml },
  ];
}

function stepOf(e: LabEvent): Step | null {
  const step = stepBody(e);
  return step && { ...step, seq: e.seq };
}

function stepBody(e: LabEvent): Omit<Step, "seq"> | null {
  switch (e.kind) {
    case "stanza":
      if (e.node !== "alice") return null;
      {
        const m = /^message → ([^:]+): "(.*)"$/.exec(e.label);
        const label = m ? `message → ${m[1].split("@")[0]}: ${quote(m[2])}` : e.label;
        const xml = [{ label: e.dir === "out" ? "what alice sent" : "what reached alice", xml: e.xml }];
        return { lane: "alice", dir: e.dir === "out" ? "right" : "left", text: `${e.secure ? "🔒 " : ""}${label}`, tone: e.secure ? "sealed" : "plain", say: null, xml };
      }
    case "relay": {
      const told = e.edits.filter((x) => x.op !== "rewrote-body");
      if (!told.length) return null;
      return { lane: "mallory", dir: e.dir === "s2c" ? "left" : "right", text: `✂ ${editsText(told)}`, tone: "attack", say: null, xml: beforeAfter(e) };
    }
    case "move":
      return { lane: "mallory", dir: null, text: `⚑ ${moveText(e.move)}`, tone: "attack", say: null, xml: [] };
    case "tactic":
      return { lane: "mallory", dir: null, text: `· ${e.tactic}: ${e.status === "inapplicable" ? "cannot act" : "did nothing"}`, tone: "note", say: tacticText(e.tactic, e.status, e.context, e.why) + ".", xml: [] };
    case "loot": {
      const l = e.loot;
      const text =
        l.type === "credential" ? `★ password "${l.password}"` :
        l.type === "scram" ? `◆ SCRAM exchange recorded (offline guessing)` :
        l.type === "message-read" ? `👁 read ${quote(l.body)}` : `✎ rewrote → ${quote(l.delivered)}`;
      return { lane: "mallory", dir: null, text, tone: "attack", say: null, xml: [] };
    }
    case "sealed":
      return { lane: "mallory", dir: e.dir === "c2s" ? "right" : "left", text: `🔒 ${e.records} TLS record${e.records === 1 ? "" : "s"}, ${e.bytes} B`, tone: "sealed", say: null, xml: [] };
    case "tls":
      if (e.node === "alice") {
        const c = e.peerCert;
        return {
          lane: "alice", dir: null, tone: "sealed", xml: [],
          text: c ? `🔒 ${e.protocol}: ${c.subject} by ${c.issuer}` : `🔒 ${e.protocol}`,
          say: c ? `Certificate for ${c.subject}, issued by ${c.issuer}${c.selfSigned ? " (self-signed)" : ""}; key ${c.pin.slice(0, 22)}…` : null,
        };
      }
      if (e.node === "server") return { lane: "server", dir: null, text: `🔒 ${e.protocol} (${e.how})`, tone: "sealed", say: null, xml: [] };
      return null;
    case "auth":
      if (e.node !== "server") return null;
      return e.ok
        ? { lane: "server", dir: null, text: `✔ ${e.username} logged in (${e.mechanism})`, tone: "plain", say: null, xml: [] }
        : { lane: "server", dir: null, text: `✘ refused ${e.username}: ${authFailureText(e.reason, e.condition)}`, tone: "defence", say: null, xml: [] };
    case "message":
      if (e.node === "bob" && e.what === "received") return { lane: "server", dir: null, text: `✉ bob gets ${quote(e.body)}`, tone: "plain", say: `bob receives: "${e.body}"`, xml: [] };
      return null;
    case "decision": {
      if (e.node === "bob") return null;
      const say = decisionText(e.decision, e.node);
      // The lane shows the gist; the narration line shows the whole sentence.
      if (e.decision.type === "channel-binding") {
        const d = e.decision;
        return { lane: "alice", dir: null, text: d.binding ? `🔗 binds to TLS: ${d.binding}` : "🔗 cannot bind to TLS", tone: "note", say: say + ".", xml: [] };
      }
      return { lane: e.node === "server" ? "server" : "alice", dir: null, text: "ℹ " + say.split(/[;:(]/)[0].trim(), tone: "note", say: say + ".", xml: [] };
    }
    case "error":
      return { lane: e.node === "mallory" ? "mallory" : e.node === "server" ? "server" : "alice", dir: null, text: `✘ ${e.code}`, tone: "defence", say: e.explain, xml: [] };
    default:
      return null;
  }
}

/** The trace as presenter steps: consecutive sealed records in one direction collapse into one. */
export function toSteps(s: Scenario, events: LabEvent[]): Step[] {
  const steps: Step[] = [];
  const said = new Set<number>();
  let sealed: { step: Step; records: number; bytes: number } | null = null;
  for (const e of storyEvents(events)) {
    let step = stepOf(e);
    if (step && e.kind === "sealed") {
      if (sealed && sealed.step.dir === step.dir && steps.at(-1) === sealed.step) {
        sealed.records += e.records;
        sealed.bytes += e.bytes;
        sealed.step.text = `🔒 ${sealed.records} TLS records, ${sealed.bytes} B`;
        sealed.step.seq = e.seq;
        step = null;
      } else {
        sealed = { step, records: e.records, bytes: e.bytes };
        step.say = "Encrypted: mallory sees only the sizes of TLS records.";
      }
    }
    // The body rewrite is told by its loot line (✎); the relay that carried it brings the XML.
    if (e.kind === "relay" && e.edits.some((x) => x.op === "rewrote-body")) {
      const rewrite = [...steps].reverse().find((x) => x.text.startsWith("✎"));
      if (rewrite) rewrite.xml = beforeAfter(e);
    }
    if (step) steps.push(step);
    s.narration.forEach((n, i) => {
      if (!said.has(i) && matches(n.on, e)) {
        said.add(i);
        const last = steps.at(-1);
        if (last) last.say = n.say;
      }
    });
  }
  return steps;
}
