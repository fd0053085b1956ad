import type { LabEvent } from "../core/events.js";
import { matches, storyEvents } from "../narration.js";
import { authFailureText, decisionText, editsText, moveText, tacticText } from "../sentences.js";
import type { Scenario } from "../../scenarios/index.js";

export type Lane = "alice" | "mallory" | "server";

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
  xml: string | null;
  /** The trace position this step shows (seq of its last event). */
  seq: number;
}

/** The end of a long body, where the IBAN is: the part the room needs to see. */
const tail = (body: string, n = 34) => (body.length <= n ? `"${body}"` : `"…${body.slice(-n)}"`);

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
        const label = m ? `message → ${m[1].split("@")[0]}: ${tail(m[2])}` : e.label;
        return { lane: "alice", dir: e.dir === "out" ? "right" : "left", text: `${e.secure ? "🔒 " : ""}${label}`, tone: e.secure ? "sealed" : "plain", say: null, xml: e.xml };
      }
    case "relay": {
      const told = e.edits.filter((x) => x.op !== "rewrote-body");
      if (!told.length) return null;
      return { lane: "mallory", dir: e.dir === "s2c" ? "left" : "right", text: `✂ ${editsText(told)}`, tone: "attack", say: null, xml: `<!-- before -->\n${e.original}\n<!-- after -->\n${e.xml}` };
    }
    case "move":
      return { lane: "mallory", dir: null, text: `⚑ ${moveText(e.move)}`, tone: "attack", say: null, xml: null };
    case "tactic":
      return { lane: "mallory", dir: null, text: `· ${e.tactic}: ${e.status === "inapplicable" ? "cannot act" : "did nothing"}`, tone: "note", say: tacticText(e.tactic, e.status, e.context, e.why) + ".", xml: null };
    case "loot": {
      const l = e.loot;
      const text =
        l.type === "credential" ? `★ password "${l.password}"` :
        l.type === "scram" ? `◆ SCRAM exchange recorded (offline guessing)` :
        l.type === "message-read" ? `👁 read ${tail(l.body, 26)}` : `✎ rewrote → ${tail(l.delivered, 26)}`;
      return { lane: "mallory", dir: null, text, tone: "attack", say: null, xml: null };
    }
    case "sealed":
      return { lane: "mallory", dir: e.dir === "c2s" ? "right" : "left", text: `🔒 ${e.records} TLS record${e.records === 1 ? "" : "s"}, ${e.bytes} B`, tone: "sealed", say: null, xml: null };
    case "tls":
      if (e.node === "alice") {
        const c = e.peerCert;
        return {
          lane: "alice", dir: null, tone: "sealed", xml: null,
          text: c ? `🔒 ${e.protocol}: ${c.subject} by ${c.issuer}` : `🔒 ${e.protocol}`,
          say: c ? `Certificate for ${c.subject}, issued by ${c.issuer}${c.selfSigned ? " (self-signed)" : ""}; key ${c.pin.slice(0, 22)}…` : null,
        };
      }
      if (e.node === "server") return { lane: "server", dir: null, text: `🔒 ${e.protocol} (${e.how})`, tone: "sealed", say: null, xml: null };
      return null;
    case "auth":
      if (e.node !== "server") return null;
      return e.ok
        ? { lane: "server", dir: null, text: `✔ ${e.username} logged in (${e.mechanism})`, tone: "plain", say: null, xml: null }
        : { lane: "server", dir: null, text: `✘ refused ${e.username}: ${authFailureText(e.reason, e.condition)}`, tone: "defence", say: null, xml: null };
    case "message":
      if (e.node === "bob" && e.what === "received") return { lane: "server", dir: null, text: `✉ bob gets ${tail(e.body, 16)}`, tone: "plain", say: `bob receives: "${e.body}"`, xml: null };
      return null;
    case "decision": {
      if (e.node === "bob") return null;
      const say = decisionText(e.decision, e.node);
      // The lane shows the gist; the narration line shows the whole sentence.
      if (e.decision.type === "channel-binding") {
        const d = e.decision;
        return { lane: "alice", dir: null, text: d.binding ? `🔗 binds to TLS: ${d.binding}` : "🔗 cannot bind to TLS", tone: "note", say: say + ".", xml: null };
      }
      return { lane: e.node === "server" ? "server" : "alice", dir: null, text: "ℹ " + say.split(/[;:(]/)[0].trim(), tone: "note", say: say + ".", xml: null };
    }
    case "error":
      return { lane: e.node === "mallory" ? "mallory" : e.node === "server" ? "server" : "alice", dir: null, text: `✘ ${e.code}`, tone: "defence", say: e.explain, xml: null };
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
