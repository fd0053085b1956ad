import { clone as ltxClone, Element } from "ltx";
import type { Edit } from "../../lab/core/events.js";
import { NS } from "../../lab/core/ns.js";
import { isPlus } from "../../lab/core/sasl/scram.js";
import { channelBindingTypesOf, mechanismsOf } from "../../lab/core/stanzas.js";
import type { Edited, ElementTactic } from "./shape.js";

/**
 * The tactics that edit <stream:features>, as pure functions of parsed elements: no sockets,
 * testable alone. They work on parsed XML, never on regexes over bytes: striptls#4 missed the
 * self-closing `<starttls/>` form precisely because it matched bytes.
 */

function clone(el: Element): Element {
  return ltxClone(el) as Element;
}

const isFeatures = (el: Element) => el.name === "stream:features";

/** strip-starttls: remove `<starttls/>` in all its forms (empty, self-closing, with `<required/>`). */
export const stripStartTls: ElementTactic = (features) => {
  if (!isFeatures(features)) return null;
  const st = features.getChild("starttls", NS.tls);
  if (!st) return null;
  const out = clone(features);
  out.remove(out.getChild("starttls", NS.tls)!);
  return { el: out, edits: [{ tactic: "strip-starttls", op: "removed-starttls", required: !!st.getChild("required") }] };
};

export const DEFAULT_STRIP_MECHANISMS = (m: string) => m.startsWith("SCRAM-") || isPlus(m);

/** Remove the mechanisms `drop` picks and, with `cb`, XEP-0440's channel-binding feature. */
function dropMechanisms(features: Element, tactic: string, drop: (m: string) => boolean, cb: boolean): Edited | null {
  if (!isFeatures(features)) return null;
  const removed = mechanismsOf(features).filter(drop);
  const cbFeature = cb ? features.getChild("sasl-channel-binding", NS.saslChannelBinding) : undefined;
  if (!removed.length && !cbFeature) return null;
  const out = clone(features);
  const edits: Edit[] = [];
  const mechs = out.getChild("mechanisms", NS.sasl);
  if (mechs && removed.length) {
    for (const m of mechs.getChildren("mechanism")) if (drop(m.getText().trim())) mechs.remove(m);
    edits.push({ tactic, op: "removed-mechanisms", mechanisms: removed });
  }
  if (cbFeature) {
    out.remove(out.getChild("sasl-channel-binding", NS.saslChannelBinding)!);
    edits.push({ tactic, op: "removed-channel-binding", types: channelBindingTypesOf(features) });
  }
  return { el: out, edits };
}

/**
 * strip-mechanisms: remove chosen SASL mechanisms (by default every SCRAM, so PLAIN is left)
 * and the XEP-0440 channel-binding feature: RFC 6120 §13.9.4's downgrade.
 */
export function stripMechanisms(drop: (m: string) => boolean = DEFAULT_STRIP_MECHANISMS): ElementTactic {
  return (features) => dropMechanisms(features, "strip-mechanisms", drop, true);
}

/**
 * strip-plus: remove only the -PLUS mechanisms and <sasl-channel-binding/>, so a client that
 * would bind its SCRAM proof to the TLS session sees no way to. RFC 5802 §6's "y" flag is what
 * catches this: a client that supports binding says so, and a server that offered -PLUS refuses.
 */
export const stripPlus: ElementTactic = (features) => dropMechanisms(features, "strip-plus", isPlus, true);

/** offer-plain: a server that offers no mechanism (before TLS) is shown a PLAIN-only list anyway. */
export const offerPlain: ElementTactic = (features) => {
  if (!isFeatures(features)) return null;
  if (mechanismsOf(features).length > 0 || features.getChild("bind", NS.bind)) return null;
  const out = clone(features);
  out.c("mechanisms", { xmlns: NS.sasl }).c("mechanism").t("PLAIN");
  return { el: out, edits: [{ tactic: "offer-plain", op: "added-mechanisms", mechanisms: ["PLAIN"] }] };
};
