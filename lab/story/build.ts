import { type Element as XmlElement, parse } from "ltx";
import type { LabEvent } from "../core/events.js";
import { labelOf } from "../core/stanzas.js";
import { placeNarration, type Trace } from "../facts.js";
import { ctMonitorPanel } from "./ct.js";
import { storyEvents } from "./events.js";
import { authFailureText, decisionText, editsText, LAB_NAMES, moveText, type Names, NEUTRAL_NAMES, tacticText } from "../sentences.js";
import { connectedGist, crossingOfLoot, decisionGist, guessedGist, moveGist, sealedText, socketReason, tacticGist, tlsText } from "./words.js";
import type { Actor, Arrow, Crossing, Element, Handshake, Local, Step, XmlSection } from "./types.js";

type Ev<K extends LabEvent["kind"]> = Extract<LabEvent, { kind: K }>;
type Stanza = Ev<"stanza">;
type Relay = Ev<"relay">;

/**
 * The trace as steps, in wire order.
 *
 * Wire order: an element is one arrow, placed where its sender put it on the wire, carrying
 * everything that happened to it on its way - mallory's edits and loot at her lane, what the
 * receiver got. So an edit is never shown before the element it edits, nor after the
 * receiver has acted on it, even when mallory holds the element back while she decides.
 *
 * Matching: mallory's relay events name the element she read (`original ?? xml`, byte for
 * byte what the sender logged) and the one she wrote (`xml`, what the receiver logs); each
 * side's elements are matched first in, first out. What no relay accounts for is hers: an
 * element the client sent that she kept (it ends at her lane), one the client received that no
 * server sent (she answered in its name), and the same toward the server. While she relays TLS
 * she cannot read (sealed), the sender's and the receiver's logs are matched to each other.
 */
export function buildStory(t: Trace): Step[] {
  const b = new Builder("run", LAB_NAMES);
  for (const e of storyEvents([...t.events])) b.add(e);
  b.finish();
  attachNarration(t, b.steps);
  return b.steps;
}

/**
 * The story of one connection through a standalone mallory, from her log alone (a live session:
 * `mitm-lab attacker --console`, `mitm-lab watch`). No endpoint reports here, so every step is
 * what mallory read, wrote or did: an element is drawn from the side she read it from to the
 * side she wrote it to (`original ?? xml`, then `xml`), TLS she cannot read is drawn as the
 * records she counted, and nothing is said about what the receiver did with it. The same
 * steps, words and marks as a scenario's story; the names are neutral (she does not know who
 * her client is).
 */
export function buildMalloryStory(events: readonly LabEvent[], names: Names = NEUTRAL_NAMES): Step[] {
  const b = new Builder("mallory", names);
  for (const e of events) if (e.node === "mallory" || e.node === undefined) b.add(e);
  b.finish();
  return b.steps;
}

interface Pending {
  step: Arrow;
  xml: string;
  /** mallory wrote bytes of her own right behind the element: the receiver logs the element alone. */
  appended?: boolean;
}

/**
 * Whose reports the story is built from: a scenario run's (every node's, `run`), or mallory's
 * alone (`mallory`: a standalone attacker's log, where her relay is the only witness of the wire).
 */
type View = "run" | "mallory";

class Builder {
  constructor(
    private readonly view: View,
    private readonly names: Names,
  ) {}

  steps: Step[] = [];
  /** Elements sent, waiting for mallory's relay (or, sealed, for the receiver). */
  private sentByAlice: Pending[] = [];
  private sentByServer: Pending[] = [];
  /** Elements mallory wrote, waiting for their receiver. */
  private toServer: Pending[] = [];
  private toAlice: Pending[] = [];
  /** mallory's loot, waiting for the element it came from (she notes it before she forwards). */
  private loot: Ev<"loot">[] = [];
  /** How mallory stands on alice's stream: parsing it, relaying TLS she cannot read, piping bytes. */
  private mode: "parse" | "sealed" | "byte-relay" = "parse";
  /** The TLS session alice is in, to tell one session relayed (same ClientHello) from two. */
  private aliceTls: { step: Handshake; random: string | null } | null = null;
  /** mallory answered alice's TLS herself (intercept-tls): the handshake ends at her lane. */
  private answered: Handshake | null = null;
  /** Bytes of her own that mallory pipelined behind an element, not yet seen at the server. */
  private injected = "";
  /** mallory's view: her leg to the server is her own TLS (the sslstrip move, intercept-tls). */
  private upstreamTls = false;
  /** mallory's view: the TLS records she counted, by the arrow that draws them. */
  private sealedArrows = new Map<Arrow, { bytes: number; records: number }>();
  /** Her last offline guess: the password it found is told there, not on the next element. */
  private guess: Local | null = null;

  add(e: LabEvent): void {
    switch (e.kind) {
      case "stanza":
        return this.stanza(e);
      case "relay":
        return this.relay(e);
      case "loot":
        // A password from an offline guess came from no element crossing now: it joins the guess.
        if (e.loot.type === "credential" && e.loot.mechanism !== "PLAIN") return this.guessed(e);
        this.loot.push(e);
        return;
      case "move":
        return this.move(e);
      case "tactic":
        this.local(e, "mallory", "·", tacticGist(e.tactic, e.status), tacticText(e.tactic, e.status, e.context, e.why, this.names) + ".");
        return;
      case "sealed":
        if (this.view === "mallory") this.sealed(e);
        return;
      case "connected":
        // In a run the endpoints tell the story; from mallory's log alone, a connection starts it.
        if (this.view === "mallory") this.local(e, "mallory", "·", connectedGist(e.peer, this.names), `${cap(this.names.client)} connects to mallory from ${e.peer}.`);
        return;
      case "tls":
        return this.tls(e);
      case "decision": {
        if (e.node === "bob") return;
        const actor: Actor = e.node === "server" ? "server" : "alice";
        const g = decisionGist(e.decision);
        this.local(e, actor, g.mark, g.text, decisionText(e.decision, e.node) + ".", g.failure);
        return;
      }
      case "auth":
        // The server's verdict; the client's view of the same login adds nothing.
        if (e.node !== "server") return;
        if (e.ok) this.local(e, "server", "✔", `${e.username} logged in (${e.mechanism})`, null);
        // "?": refused before any name was read (a mechanism not offered, TLS required first). "A
        // login as alice", not "alice's": the one mallory pipelines behind <starttls/> is hers.
        else this.local(e, "server", "✘", `refused ${e.username === "?" ? "a login" : e.username}: ${authFailureText(e.reason, e.condition)}`, `The server refuses ${e.username === "?" ? `a ${e.mechanism} login` : `a ${e.mechanism} login as ${e.username}`}: ${authFailureText(e.reason, e.condition)}.`, true);
        return;
      case "error":
        this.local(e, actorOf(e.node), "✘", e.code, e.explain, true);
        return;
      case "message":
        if (e.node === "bob" && e.what === "received") this.local(e, "server", "✉", "bob receives the message", `bob receives: "${e.body}"`, false, e.body);
        return;
      case "closed":
        if (this.view === "mallory") {
          this.local(e, "mallory", "·", "the connection is closed", `The connection through mallory is closed${e.reason ? `: ${socketReason(e.reason)}` : ""}.`);
          return;
        }
        // A server that closes with a TLS error tells what its TLS saw (a tampered record);
        // other closing reasons (a reset after the end) are the teardown, not the story.
        if (e.node === "server" && e.reason && /SSL|TLS/.test(e.reason)) this.local(e, "server", "✘", `closed: ${socketReason(e.reason)}`, `The server closed the connection: ${socketReason(e.reason)}.`, true);
        return;
      default:
        return;
    }
  }

  private stanza(e: Stanza): void {
    if (e.node !== "alice" && e.node !== "server") return;
    const el = element(e);
    if (e.node === "alice" && e.dir === "out") return void this.sentByAlice.push({ step: this.arrow(e.seq, e.secure, "alice", "server", el), xml: e.xml });
    if (e.node === "server" && e.dir === "out") return void this.sentByServer.push({ step: this.arrow(e.seq, e.secure, "server", "alice", el), xml: e.xml });
    // Received: written by mallory (a relay), passed through unread (sealed), or hers alone.
    const from = e.node === "alice" ? this.toAlice : this.toServer;
    const unread = e.node === "alice" ? this.sentByServer : this.sentByAlice;
    const written = take(from, e.xml);
    if (written) return void this.receive(written.step, e);
    // Byte for byte what the other side sent, with no relay event: it passed through her -
    // unread when she relays TLS she cannot read, untouched otherwise (a stream's end tag).
    const passed = take(unread, e.xml);
    if (passed) {
      if (this.mode === "sealed" && !passed.step.crossings.some((c) => c.mark === "🔒")) passed.step.crossings.push({ mark: "🔒", text: "sealed: sizes, SNI" });
      return void this.receive(passed.step, e);
    }
    // No one sent it but mallory.
    const to: Actor = e.node;
    const step = this.arrow(e.seq, e.secure, "mallory", to, el);
    step.via = false;
    // Bytes she pipelined behind an element, in cleartext, that the server only now reads - as
    // if they had come inside TLS (its buffering bug): drawn where the server acts on them, but
    // as the cleartext they were on the wire.
    const i = to === "server" ? this.injected.indexOf(e.xml) : -1;
    if (i >= 0) {
      this.injected = this.injected.slice(i + e.xml.length);
      step.secure = { left: false, right: false };
      step.crossings.push({ mark: "⚑", text: "pipelined in cleartext behind <starttls/>; read by the server as if inside TLS" });
      step.say = `The server reads mallory's ${el.label}, sent in cleartext behind <starttls/>, as if it came inside alice's TLS.`;
      step.xml = [{ label: "what mallory pipelined, as the server read it", xml: e.xml }];
      return;
    }
    // Toward alice the point is whose name she speaks in; toward the server the ⚑ says it all.
    step.crossings.push({ mark: "⚑", text: to === "alice" ? "in the server's name" : "" });
    step.say = to === "alice" ? `mallory answers alice with ${el.label}, in the server's name.` : `mallory sends the server ${el.label} herself.`;
    step.xml = [{ label: `what mallory sent ${to === "alice" ? "alice, in the server's name" : "the server"}`, xml: e.xml }];
  }

  private relay(e: Relay): void {
    const sent = e.dir === "c2s" ? this.sentByAlice : this.sentByServer;
    // From mallory's log alone, what she read is the only record of what the sender sent.
    const p = take(sent, e.original ?? e.xml) ?? (this.view === "mallory" ? { step: this.read(e), xml: e.original ?? e.xml } : undefined);
    if (!p) return;
    const step = p.step;
    if (!step.seqs.includes(e.seq)) step.seqs.push(e.seq);
    step.seq = Math.max(step.seq, e.seq);
    const leg = e.dir === "c2s" ? "right" : "left";
    step.secure[leg] = e.context === "inside-tls" || (leg === "right" && this.upstreamTls);
    // Her loot came from this element: it crosses her lane with it.
    for (const l of this.loot.splice(0)) {
      step.crossings.push(crossingOfLoot(l.loot));
      step.seqs.push(l.seq);
    }
    const kept = e.edits.some((x) => x.op === "withheld" || x.op === "dropped");
    const told = e.edits.filter((x) => x.op !== "rewrote-body" || !step.crossings.some((c) => c.mark === "✎"));
    for (const x of told) step.crossings.push({ mark: x.op === "rewrote-body" ? "✎" : x.op === "appended" ? "⚑" : "✂", text: editsText([x], this.names) });
    if (e.context === "inside-tls" && !step.crossings.length) step.crossings.push({ mark: "🔓", text: "reads it: her own TLS" });
    const to = e.dir === "c2s" ? this.names.server : this.names.client;
    const from = e.dir === "c2s" ? this.names.client : this.names.server;
    if (kept) {
      // She has it and passes nothing on: the arrow ends at her lane.
      step.to = "mallory";
      step.via = false;
      step.xml = [{ label: `what ${from} sent (mallory passed nothing on)`, xml: step.sent.xml }];
      return;
    }
    if (e.edits.length) {
      step.delivered = elementOf(e.label, e.xml);
      step.xml = [
        { label: `before: what ${from} sent`, xml: step.sent.xml },
        { label: `after: what mallory passed on to ${to}`, xml: e.xml },
      ];
    }
    // Only a run has a receiver's log to match what she wrote against.
    if (this.view !== "run") return;
    // Bytes of her own behind the element: the receiver logs the element; the rest is hers.
    const appended = e.edits.some((x) => x.op === "appended") && e.original !== null && e.xml.startsWith(e.original);
    if (appended) this.injected += e.xml.slice(e.original!.length);
    (e.dir === "c2s" ? this.toServer : this.toAlice).push({ step, xml: appended ? e.original! : e.xml });
  }

  /** mallory's view: the element as she read it, from the side she read it from. */
  private read(e: Relay): Arrow {
    const xml = e.original ?? e.xml;
    const from: Actor = e.dir === "c2s" ? "alice" : "server";
    const secure = e.context === "inside-tls";
    const step = this.arrow(e.seq, secure, from, from === "alice" ? "server" : "alice", elementOf(e.original ? labelOfXml(e.original, e.label) : e.label, xml));
    // Her leg to the server may be her own TLS while alice's is cleartext (the sslstrip move).
    step.secure.right = secure || this.upstreamTls;
    step.xml = [{ label: `what ${from === "alice" ? this.names.client : this.names.server} sent (as mallory read it)`, xml }];
    return step;
  }

  /**
   * mallory's view: TLS she relays unread, as the records she counted - one arrow per run of
   * records in one direction, growing while the run lasts.
   */
  private sealed(e: Ev<"sealed">): void {
    const last = this.steps.at(-1);
    const from: Actor = e.dir === "c2s" ? "alice" : "server";
    let step = last?.kind === "arrow" && this.sealedArrows.has(last) && last.from === from ? last : null;
    if (!step) {
      step = this.arrow(e.seq, true, from, from === "alice" ? "server" : "alice", { label: "", xml: "", body: null });
      step.xml = [];
      step.crossings.push({ mark: "🔒", text: "sealed: sizes, SNI" });
      this.sealedArrows.set(step, { bytes: 0, records: 0 });
    } else {
      step.seqs.push(e.seq);
      step.seq = e.seq;
    }
    const n = this.sealedArrows.get(step)!;
    n.bytes += e.bytes;
    n.records += e.records;
    const t = sealedText(n.records, n.bytes);
    step.sent = { label: t.label, xml: "", body: null };
    step.say = t.say;
  }

  /** An offline guess's password: told with the guess (or on its own when the guess is not in view). */
  private guessed(e: Ev<"loot">): void {
    const l = e.loot;
    if (l.type !== "credential") return;
    if (this.guess) {
      this.guess.seqs.push(e.seq);
      this.guess.seq = e.seq;
      return;
    }
    const g = guessedGist(l.username, l.password);
    this.local(e, "mallory", g.mark, g.text, null);
  }

  private receive(step: Arrow, e: Stanza): void {
    step.seqs.push(e.seq);
    step.seq = Math.max(step.seq, e.seq);
    const leg = e.node === "alice" ? "left" : "right";
    step.secure[leg] = e.secure;
  }

  private arrow(seq: number, secure: boolean, from: Actor, to: Actor, sent: Element): Arrow {
    const step: Arrow = {
      kind: "arrow", from, to, via: true, sent, delivered: null, lost: false, heard: this.view === "run" ? "receiver" : "mallory",
      secure: { left: secure, right: secure }, crossings: [],
      first: seq, seq, seqs: [seq], say: null, lines: [],
      xml: [{ label: from === "alice" ? "what alice sent" : "what the server sent", xml: sent.xml }],
    };
    this.steps.push(step);
    return step;
  }

  private move(e: Ev<"move">): void {
    const m = e.move;
    switch (m.type) {
      case "starttls-refused": {
        // She kept alice's <starttls/> and answers it herself (the <failure/> that follows is hers).
        const p = this.sentByAlice.pop();
        if (p) {
          p.step.to = "mallory";
          p.step.via = false;
          p.step.seqs.push(e.seq);
          p.step.seq = e.seq;
          p.step.crossings.push({ mark: "⚑", text: "keeps it; answers <failure/>" });
          p.step.say = `mallory: ${moveText(m, this.names)}.`;
          return;
        }
        if (this.view === "mallory") {
          // Her log has no relay for what she kept: the move itself says the client asked.
          const step = this.arrow(e.seq, false, "alice", "mallory", { label: "<starttls/>", xml: "", body: null });
          step.via = false;
          step.xml = [];
          step.crossings.push({ mark: "⚑", text: "keeps it; answers <failure/>" });
          step.say = `mallory: ${moveText(m, this.names)}.`;
          return;
        }
        break;
      }
      case "bit-flipped": {
        const p = this.sentByAlice.at(-1);
        if (p) {
          p.step.crossings.push({ mark: "✎", text: `flipped a bit in a TLS record` });
          p.step.seqs.push(e.seq);
          p.step.seq = e.seq;
          p.step.say = `mallory: ${moveText(m, this.names)}.`;
          return;
        }
        break;
      }
      case "blocked": {
        // A connection that never got anywhere: drawn as a failure, not as a note.
        const step: Handshake = {
          // Any listener of hers may block (mallory.tactics=block): not only the direct-TLS port.
          kind: "tls", from: "alice", to: "mallory", via: false, text: "connection", failed: true,
          crossings: [{ mark: "✘", text: "drops it" }], first: e.seq, seq: e.seq, seqs: [e.seq], say: `mallory: ${moveText(m, this.names)}.`, lines: [], xml: [],
        };
        this.steps.push(step);
        return;
      }
      case "tls-answered": {
        const step: Handshake = {
          kind: "tls", from: "alice", to: "mallory", via: false, text: `she presents ${m.cert.subject} by ${m.cert.issuer}${m.cert.selfSigned ? " (self-signed)" : ""}`, // not "her own": a stolen one is the server's
          failed: false, crossings: [{ mark: "⚑", text: `answers ${this.names.client}'s TLS` }], first: e.seq, seq: e.seq, seqs: [e.seq], say: `mallory: ${moveText(m, this.names)}.`, lines: [], xml: [],
        };
        this.answered = step;
        this.steps.push(step);
        return;
      }
      case "sealed":
        this.mode = "sealed";
        break;
      case "byte-relay":
        this.mode = "byte-relay";
        break;
      case "upstream-starttls-done":
        // From here her leg to the server is her own TLS, whatever her relay events call it.
        if (this.view === "mallory") this.upstreamTls = true;
        break;
    }
    const g = moveGist(m, this.names);
    const step = this.local(e, "mallory", g.mark, g.text, `mallory: ${moveText(m, this.names)}.`, g.failure);
    if (m.type === "offline-guess") this.guess = step;
  }

  private tls(e: Ev<"tls">): void {
    if (e.node === "alice") {
      const text = tlsText(e);
      if (this.answered) {
        // alice completed the handshake mallory answered: her own view of it joins that step.
        const h = this.answered;
        h.text = `${e.protocol ?? "TLS"} · ${text}`;
        h.seqs.push(e.seq);
        h.seq = e.seq;
        this.aliceTls = { step: h, random: e.clientRandom };
        return;
      }
      const step: Handshake = {
        kind: "tls", from: "alice", to: "server", via: true, text: `${e.protocol ?? "TLS"} · ${text}`, failed: false,
        crossings: [{ mark: "🔒", text: "relays it unread" }], first: e.seq, seq: e.seq, seqs: [e.seq], say: certSentence(e), lines: [], xml: [],
      };
      this.aliceTls = { step, random: e.clientRandom };
      this.steps.push(step);
      return;
    }
    if (e.node !== "server") return;
    // The same session alice is in (the same ClientHello): mallory relayed it; nothing new.
    if (this.aliceTls && e.clientRandom && this.aliceTls.random === e.clientRandom) {
      this.aliceTls.step.seqs.push(e.seq);
      return;
    }
    // Otherwise the server's peer is mallory: her own TLS toward it. The server reports it when
    // the first stream over it starts, so it goes before the element that started that stream.
    const opened = [...this.steps].reverse().find((x): x is Arrow => x.kind === "arrow" && x.to === "server" && x.secure.right);
    const first = opened ? opened.first - 0.5 : e.seq;
    const step: Handshake = {
      kind: "tls", from: "mallory", to: "server", via: false, text: `${e.protocol ?? "TLS"} (${e.how === "direct" ? "direct" : "STARTTLS"})`, failed: false,
      crossings: [], first, seq: e.seq, seqs: [e.seq], say: `mallory has her own TLS session with the server (${e.protocol ?? "TLS"}).`, lines: [], xml: [],
    };
    this.steps.push(step);
  }

  private local(e: LabEvent, actor: Actor, mark: string, text: string, say: string | null, failure = false, body: string | null = null): Local {
    const step: Local = { kind: "local", actor, mark, text, failure, body, first: e.seq, seq: e.seq, seqs: [e.seq], say, lines: [], xml: [] };
    this.steps.push(step);
    return step;
  }

  /**
   * What was never matched. Sent while she parsed the stream and never relayed: she kept it
   * (it ends at her lane). Sent while she relayed TLS unread, or written by her, and never
   * logged by its receiver: it did not arrive (a record the receiver's TLS refused, a stream's
   * end after the other side had gone).
   */
  finish(): void {
    for (const p of [...this.sentByAlice, ...this.sentByServer]) {
      if (this.mode === "parse") {
        p.step.to = "mallory";
        p.step.via = false;
      } else p.step.lost = true;
    }
    for (const p of [...this.toServer, ...this.toAlice]) p.step.lost = true;
    for (const l of this.loot.splice(0)) {
      const c = crossingOfLoot(l.loot);
      this.steps.push({ kind: "local", actor: "mallory", mark: c.mark, text: c.text, failure: false, body: null, first: l.seq, seq: l.seq, seqs: [l.seq], say: null, lines: [], xml: [] });
    }
    this.steps.sort((a, b) => a.first - b.first);
    // An arrow she did something to says so; one she merely relayed (🔒, 🔓) leaves the
    // sentence to the element's own explanation.
    const told = (c: Crossing) => c.mark !== "🔒" && c.mark !== "🔓";
    for (const st of this.steps) if (st.kind === "arrow" && st.say === null && st.crossings.some(told)) st.say = `mallory: ${st.crossings.filter(told).map((c) => c.text).join("; ")}.`;
  }
}

function actorOf(node: string): Actor {
  return node === "mallory" ? "mallory" : node === "server" ? "server" : "alice";
}

function take(list: Pending[], xml: string): Pending | undefined {
  // A stream error is sent with the stream's end tag in one write (RFC 6120 §4.9.1.1); mallory's
  // relay names the element alone: the same element either way.
  const el = (x: string) => (x.startsWith("<stream:error") ? x.replace(/<\/stream:stream>$/, "") : x);
  const i = list.findIndex((p) => el(p.xml) === el(xml));
  return i < 0 ? undefined : list.splice(i, 1)[0];
}

function element(e: Stanza): Element {
  return elementOf(e.label, e.xml);
}

/** The label of an element mallory read before her edits (her relay event labels what she wrote). */
function labelOfXml(xml: string, fallback: string): string {
  try {
    return labelOf(parse(xml) as XmlElement);
  } catch {
    return fallback;
  }
}

const cap = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** A message's body goes under the arrow, whole; the label keeps only whom it is for. */
function elementOf(label: string, xml: string): Element {
  if (!label.startsWith("message")) return { label, xml, body: null };
  let body: string | null = null;
  try {
    body = parse(xml).getChildText("body");
  } catch {
    body = null;
  }
  const to = /^message → ([^@:]+)/.exec(label)?.[1];
  return { label: to ? `message → ${to}` : "message", xml, body };
}

function certSentence(e: Ev<"tls">): string | null {
  const c = e.peerCert;
  if (!c) return null;
  return `TLS with a certificate for ${c.subject}, issued by ${c.issuer}${c.selfSigned ? " (self-signed)" : ""}; key ${c.pin.slice(0, 22)}…`;
}

/**
 * The scenario's narration lines that hold in this run (lab/facts.ts), each on the step that
 * holds the event establishing the last of its facts: the scenario's words for a fact win over
 * the fact's own.
 */
function attachNarration(t: Trace, steps: Step[]): void {
  const bySeq = new Map<number, Step>();
  for (const st of steps) for (const q of st.seqs) bySeq.set(q, st);
  for (const line of placeNarration(t)) {
    const st = bySeq.get(line.at) ?? [...steps].reverse().find((x) => x.first <= line.at) ?? steps[0];
    if (!st) continue;
    st.lines.push(line.say);
    const panel = line.show === "ct-monitor" ? ctMonitorPanel(t.events) : null;
    if (panel) st.panels = [...(st.panels ?? []), panel];
  }
}

export type { Crossing, XmlSection };
