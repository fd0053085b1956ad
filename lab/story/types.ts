/**
 * The story of a run: its trace as the steps a presenter shows, one fact each, in wire order.
 * Built once from the typed events (build.ts), pure, and read by every renderer - the console's
 * sequence diagram, the plain narrator, the exports - so a fact is worded in one place.
 *
 * Three actors, three lanes: alice (the client), mallory (on the path), the server (bob waits
 * behind it). Everything on the wire is an Arrow from one lane to another; everything an actor
 * does on its own (decides, checks, refuses, logs in) is a Local in its lane.
 */

export type Actor = "alice" | "mallory" | "server";

/** One XML element (or stream header) as one side of a leg saw it. */
export interface Element {
  /** Short, for the arrow: `features [starttls, PLAIN]`, `message → bob`, `auth PLAIN`. */
  label: string;
  /** The element as it crossed, for the XML pane. */
  xml: string;
  /** A message's body, when the element is one: shown whole under the arrow, never in the label. */
  body: string | null;
}

/**
 * What mallory did to an element where it crossed her lane. The mark is the meaning (never
 * colour alone): ✂ removed, ✎ rewritten, ★ password taken, ◆ SCRAM exchange recorded,
 * 👁 read, 🔓 read inside her own TLS, 🔒 sealed (sizes, and SNI/ALPN in the handshake), ⚑ hers (answered or sent in
 * someone else's name), ✘ dropped or blocked.
 */
export interface Crossing {
  mark: string;
  /** A few words, shown at her lane under the arrow: `removed <starttls/>`. */
  text: string;
}

export interface XmlSection {
  label: string;
  xml: string;
}

interface StepBase {
  /** Seq of the first event of this step: steps are in this order (wire order, see build.ts). */
  first: number;
  /** Seq of the last event this step covers: what the step has shown up to (the notebook). */
  seq: number;
  /** Every event this step covers. */
  seqs: number[];
  /** The fact's own sentence (lab/sentences.ts), or null (a renderer may explain the element, explain.ts). */
  say: string | null;
  /**
   * The scenario's narration lines that hold in this run and land on this step (lab/facts.ts):
   * the scenario's words for what this step shows.
   */
  lines: string[];
  /** What crossed the wire at this step, before and after mallory; empty when nothing did. */
  xml: XmlSection[];
  /** Views a narration line asked for (`show`), drawn under its lines: the CT monitor's. */
  panels?: Panel[];
}

/**
 * A view drawn beside the diagram, worded from the trace alone (lab/story/ct.ts): a title and
 * rows, each with its mark (✔ ⚠ · or blank), the meaning in the symbol.
 */
export interface Panel {
  title: string;
  rows: Array<{ mark: string; text: string }>;
}

/**
 * An element on the wire from one actor to another. alice ⇄ server arrows pass through
 * mallory's lane (`via`), where `crossings` say what she did to them; an arrow that starts or
 * ends at mallory is hers (she answered, withheld, or spoke to the server herself).
 */
export interface Arrow extends StepBase {
  kind: "arrow";
  from: Actor;
  to: Actor;
  via: boolean;
  /** What left the sender. */
  sent: Element;
  /** What reached the receiver, when mallory changed it; null: as sent, or it never arrived (`lost`). */
  delivered: Element | null;
  /** It never reached `to`: held back, dropped, or refused by the receiver's TLS. */
  lost: boolean;
  /**
   * Whose word `delivered` is: the receiver's own log (a scenario run: it arrived), or only
   * mallory's (her log alone, a live session: what she wrote toward the receiver).
   */
  heard: "receiver" | "mallory";
  /** Which legs were TLS: alice ⇄ mallory, mallory ⇄ server (the same flag twice when not via). */
  secure: { left: boolean; right: boolean };
  crossings: Crossing[];
}

/** A TLS handshake between two actors (a double arrow); `via`: mallory relayed it unread. */
export interface Handshake extends StepBase {
  kind: "tls";
  from: Actor;
  to: Actor;
  via: boolean;
  /** `TLSv1.3 · lab.example by xmpp-mitm-lab CA` */
  text: string;
  /** The connection was refused or dropped before TLS could start (a blocked port). */
  failed: boolean;
  crossings: Crossing[];
}

/** Something one actor did on its own: a decision, a check, a login, a refusal, a note. */
export interface Local extends StepBase {
  kind: "local";
  actor: Actor;
  /** ✔ ✘ ℹ 🔗 🔒 ⚑ · ✉ - meaning in the symbol. */
  mark: string;
  /** The gist, a few words; `say` has the whole sentence. */
  text: string;
  /** A refusal or failure (✘): drawn as one. */
  failure: boolean;
  /** A message body this fact is about (what bob received): shown whole, like an arrow's. */
  body: string | null;
}

export type Step = Arrow | Handshake | Local;
