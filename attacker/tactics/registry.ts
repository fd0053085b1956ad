import type { ReadContext, TacticWhy } from "../../lab/core/events.js";
import { DEFAULT_STRIP_MECHANISMS, offerPlain, stripMechanisms, stripPlus, stripStartTls } from "./features.js";
import { injectAfterStartTls } from "../injection.js";
import { CUSTOM, CUSTOM_CONTEXTS } from "./custom.js";
import type { ElementTactic } from "./shape.js";
import { IBAN_RULE, tamper, type TamperRule } from "./tamper.js";

/**
 * The one registry of mallory's tactics. Every tactic says where it can act; the relay applies
 * the element tactics in the order of REGISTRY below to whatever stream mallory can read -
 * cleartext, or inside a TLS session she terminated herself - and a tactic that cannot act in
 * the context at hand says so once per connection (a `tactic` event), never silently.
 */
export const TACTICS = [
  "observe",
  "strip-starttls",
  "strip-mechanisms",
  "strip-plus",
  "offer-plain",
  "intercept-tls",
  "tamper",
  "flip-bytes",
  "block",
  "loot",
  "inject-after-starttls",
  "crack",
] as const;
/** "custom": a user's own tactic file (tactics/custom.ts), never a name to type in a list. */
export type TacticName = (typeof TACTICS)[number] | typeof CUSTOM;

export interface TacticDef {
  name: TacticName;
  /** Where it can act. Outside these it is reported inapplicable when the stream gets there. */
  contexts: readonly ReadContext[];
  /** For tactics that edit elements: the pure function (tactics/shape.ts). */
  edit?: ElementTactic;
  /** What it reports at the end of a connection on which it never acted. */
  idle: TacticWhy;
  /** One line for `mitm-lab help` and the docs. */
  summary: string;
}

export interface RegistryOptions {
  tamper?: TamperRule;
  stripMechanism?: (m: string) => boolean;
  /** inject-after-starttls: the bytes she pipelines (attacker/injection.ts injectionPayload). */
  injection?: string;
}

const READABLE = ["cleartext", "inside-tls"] as const;

/**
 * The tactics in their order of effect. For one <stream:features>: strip STARTTLS first (it
 * decides sslstrip's move: a server that requires TLS is then met with STARTTLS by mallory
 * herself), then remove mechanisms, then -PLUS, then offer PLAIN where nothing is offered. For
 * the client's <starttls/>: pipeline her own bytes behind it. For a message on its way to the
 * server: tamper. The moves that are not element edits (answer TLS, flip a record's bit, drop
 * the connection) and the readers (loot, crack, observe) close the list.
 */
export function registry(o: RegistryOptions = {}): TacticDef[] {
  return [
    { name: "strip-starttls", contexts: ["cleartext"], edit: stripStartTls, idle: "nothing-to-edit", summary: "delete <starttls/> from the features (and STARTTLS to a server that requires it, herself)" },
    { name: "strip-mechanisms", contexts: READABLE, edit: stripMechanisms(o.stripMechanism ?? DEFAULT_STRIP_MECHANISMS), idle: "nothing-to-edit", summary: "remove every SCRAM mechanism and the channel-binding feature, leaving PLAIN" },
    { name: "strip-plus", contexts: READABLE, edit: stripPlus, idle: "nothing-to-edit", summary: "remove only the -PLUS mechanisms and <sasl-channel-binding/>" },
    { name: "offer-plain", contexts: READABLE, edit: offerPlain, idle: "nothing-to-edit", summary: "show a PLAIN-only list where the server offers no mechanism" },
    { name: "inject-after-starttls", contexts: ["cleartext"], edit: injectAfterStartTls(o.injection ?? ""), idle: "no-starttls-from-client", summary: "pipeline a stream and a login of her own behind the client's <starttls/>, in one TCP segment" },
    { name: "tamper", contexts: READABLE, edit: tamper(o.tamper ?? IBAN_RULE), idle: "no-message", summary: "rewrite the IBAN in a message on its way to the server" },
    { name: "intercept-tls", contexts: ["cleartext", "inside-tls", "sealed"], idle: "no-tls-from-client", summary: "answer the client's TLS with her own certificate (needs --identity)" },
    { name: "flip-bytes", contexts: ["sealed"], idle: "no-tls-records", summary: "flip one bit in the client's second application-data TLS record" },
    { name: "block", contexts: ["cleartext", "inside-tls", "sealed", "byte-relay"], idle: "nothing-to-edit", summary: "drop the client's connection" },
    { name: "loot", contexts: READABLE, idle: "nothing-readable", summary: "note passwords, SCRAM exchanges and messages she can read" },
    { name: "crack", contexts: READABLE, idle: "no-scram-exchange", summary: "guess the password of a SCRAM exchange she read, offline, with a wordlist (RFC 5802 §9)" },
    { name: "observe", contexts: ["cleartext", "inside-tls", "sealed", "byte-relay"], idle: "nothing-readable", summary: "watch and relay (always on)" },
  ];
}

/**
 * A user's tactic, first among the element tactics: it sees each element as the other side sent
 * it, before any built-in edit, and the built-ins then act on what it forwards.
 */
export function customDef(edit: ElementTactic): TacticDef {
  return { name: CUSTOM, contexts: CUSTOM_CONTEXTS, edit, idle: "nothing-to-edit", summary: "the user's own tactic file (--tactic FILE)" };
}

export function parseTactics(list: string): TacticName[] {
  const names = list.split(",").map((s) => s.trim()).filter(Boolean);
  for (const n of names) {
    if (!(TACTICS as readonly string[]).includes(n)) {
      throw new Error(`unknown tactic "${n}"; choose from ${TACTICS.join(", ")}`);
    }
  }
  return names as TacticName[];
}
