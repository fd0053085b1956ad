import { clone as ltxClone, Element, parse } from "ltx";
import type { Edit, ReadContext } from "../../lab/core/events.js";
import { NS } from "../../lab/core/ns.js";
import { channelBindingTypesOf, labelOf, mechanismsOf } from "../../lab/core/stanzas.js";
import type { Edited, ElementTactic, Where } from "./shape.js";

/**
 * A tactic of the user's own (a student's file, `--tactic FILE`): one function over parsed
 * elements, given a copy of each element mallory can read. It may change the copy and return
 * nothing, return another element, or return { el, append }. What it changed is derived here
 * as typed edits by comparing before and after - the function never reports it itself, so what
 * the lab says it did is what it did. Whatever it claims, the witness judges the outcome.
 *
 *   export default function tactic(el, where, lab) { ... }
 *
 * docs/exercises.md documents it for students.
 */
export type UserTacticFn = (el: Element, where: Readonly<Where>, lab: TacticHelpers) => unknown;

/** The third argument: what a tactic file needs without importing anything. */
export interface TacticHelpers {
  /** Namespaces: NS.tls, NS.sasl, NS.saslChannelBinding, NS.client, ... */
  NS: typeof NS;
  /** A new element: lab.element("mechanism", {}, "PLAIN"). */
  element(name: string, attrs?: Record<string, string>, ...children: Array<Element | string>): Element;
  /** Parse one element from XML text. */
  parse(xml: string): Element;
  /** The SASL mechanisms a <stream:features> offers, in order. */
  mechanisms(features: Element): string[];
}

export const HELPERS: TacticHelpers = Object.freeze({
  NS,
  element(name: string, attrs: Record<string, string> = {}, ...children: Array<Element | string>) {
    const el = new Element(name, attrs);
    for (const c of children) el.cnode(c as Element);
    return el;
  },
  parse: (xml: string) => parse(xml) as Element,
  mechanisms: mechanismsOf,
});

/** The name a user tactic goes by in events and in the registry. */
export const CUSTOM = "custom" as const;

/** Where a user tactic can act: wherever mallory reads the stream. */
export const CUSTOM_CONTEXTS: readonly ReadContext[] = ["cleartext", "inside-tls"];

export interface TacticFault {
  error: string;
  element: string;
  where: Where;
}

/**
 * The ElementTactic for a user's function. `onFault` hears each exception the function throws
 * (the element then passes unchanged): a student's bug is reported, not a crash of mallory.
 */
export function userTactic(fn: UserTacticFn, onFault: (f: TacticFault) => void = () => {}): ElementTactic {
  return (el, where) => {
    const copy = ltxClone(el) as Element;
    const original = el.toString();
    let result: unknown;
    try {
      result = fn(copy, Object.freeze({ ...where }), HELPERS);
    } catch (err) {
      onFault({ error: err instanceof Error ? `${err.name}: ${err.message}` : String(err), element: labelOf(el), where });
      return null;
    }
    const { out, append } = normalise(result, copy);
    if (out === undefined) {
      onFault({ error: "returned something that is not an element, null or { el, append }", element: labelOf(el), where });
      return null;
    }
    try {
      out?.toString(); // an element the relay cannot serialise is the tactic's fault, not mallory's crash
    } catch (err) {
      onFault({ error: `returned an element that cannot be written as XML (${err instanceof Error ? err.message : String(err)})`, element: labelOf(el), where });
      return null;
    }
    const edits = editsOf(el, out, append);
    if (!edits.length) return null;
    return { el: out !== null && out.toString() === original ? el : out, edits, append: append || undefined } satisfies Edited;
  };
}

/** The function's answer as (element or null to drop, appended text); undefined if it makes no sense. */
function normalise(result: unknown, copy: Element): { out: Element | null | undefined; append: string } {
  if (result === undefined || result === null || result === true) return { out: copy, append: "" };
  if (isElement(result)) return { out: result, append: "" };
  if (typeof result === "object") {
    const r = result as { el?: unknown; append?: unknown };
    const append = typeof r.append === "string" ? r.append : "";
    if (r.el === null || r.el === false) return { out: null, append: "" };
    if (r.el === undefined) return { out: copy, append };
    if (isElement(r.el)) return { out: r.el, append };
  }
  return { out: undefined, append: "" };
}

/** An ltx element, also one made by another copy of ltx (a tactic file may bring its own). */
function isElement(x: unknown): x is Element {
  const e = x as Element;
  return !!e && typeof e === "object" && typeof e.name === "string" && Array.isArray(e.children) && typeof e.attrs === "object" && typeof e.getChild === "function";
}

/** What changed between `before` and `after`, as the typed edits every renderer and the claims know. */
export function editsOf(before: Element, after: Element | null, append: string): Edit[] {
  const tactic = CUSTOM;
  if (after === null) return [{ tactic, op: "dropped" }];
  const edits: Edit[] = [];
  if (before.name === "stream:features" && after.name === "stream:features") {
    const st = before.getChild("starttls", NS.tls);
    if (st && !after.getChild("starttls", NS.tls)) edits.push({ tactic, op: "removed-starttls", required: !!st.getChild("required") });
    const [was, now] = [mechanismsOf(before), mechanismsOf(after)];
    const removed = was.filter((m) => !now.includes(m));
    const added = now.filter((m) => !was.includes(m));
    if (removed.length) edits.push({ tactic, op: "removed-mechanisms", mechanisms: removed });
    if (added.length) edits.push({ tactic, op: "added-mechanisms", mechanisms: added });
    if (before.getChild("sasl-channel-binding", NS.saslChannelBinding) && !after.getChild("sasl-channel-binding", NS.saslChannelBinding)) {
      edits.push({ tactic, op: "removed-channel-binding", types: channelBindingTypesOf(before) });
    }
  }
  if (before.name === "message" && after.name === "message") {
    const [b, a] = [before.getChildText("body"), after.getChildText("body")];
    if (b !== null && a !== null && a !== b) edits.push({ tactic, op: "rewrote-body", before: b, after: a });
  }
  if (!edits.length && after.toString() !== before.toString()) edits.push({ tactic, op: "replaced", was: labelOf(before), now: labelOf(after) });
  if (append) edits.push({ tactic, op: "appended", bytes: Buffer.byteLength(append), what: "bytes of the tactic's own" });
  return edits;
}
