import { clone as ltxClone, type Element } from "ltx";
import type { ElementTactic } from "./shape.js";

export interface TamperRule {
  find: string | RegExp;
  replace: string;
}

/** The story's rewrite: any IBAN becomes mallory's. */
export const IBAN_RULE: TamperRule = { find: /\b[A-Z]{2}\d{2}(?: ?[0-9A-Z]{4}){3,7}(?: ?[0-9A-Z]{1,3})?\b/g, replace: "GB33 BUKB 2020 1555 5555 55" };

/** tamper: rewrite the body of a message on its way to the server; null when the rule does not match. */
export function tamper(rule: TamperRule = IBAN_RULE): ElementTactic {
  return (message, where) => {
    if (where.dir !== "c2s" || message.name !== "message") return null;
    const body = message.getChildText("body");
    if (body === null) return null;
    const delivered = body.replace(rule.find, rule.replace);
    if (delivered === body) return null;
    const out = ltxClone(message) as Element;
    out.getChild("body")!.children = [delivered];
    return { el: out, edits: [{ tactic: "tamper", op: "rewrote-body", before: body, after: delivered }] };
  };
}
