import { prettyXml } from "../console/xml.js";
import type { Names } from "../sentences.js";
import { type Step, stepWords } from "../story/index.js";
import { code, fenced, md } from "./markdown.js";

/** The step that covers an event (its number in the diagram, from 1), if any. */
export function stepOf(steps: readonly Step[], seq: number | null): number | null {
  if (seq === null) return null;
  const i = steps.findIndex((st) => st.seqs.includes(seq));
  return i < 0 ? null : i + 1;
}

/** Each step's sentence, numbered as in the diagram. */
export function stepList(steps: readonly Step[], names?: Names): string[] {
  return steps.map((st, i) => `${i + 1}. ${md(stepWords(st, names))}`);
}

/**
 * The steps whose XML a reader needs: what mallory changed, took or wrote herself, every login
 * and message, and the features offered before login (where STARTTLS and the mechanisms are).
 * The rest (stream headers, bind, presence) is the same in every run.
 */
export function matters(st: Step): boolean {
  if (st.kind !== "arrow" || !st.xml.some((x) => x.xml)) return false;
  const acted = st.crossings.some((c) => c.mark !== "🔒" && c.mark !== "🔓");
  const login = /^auth |^SASL (success|failure)/.test(st.sent.label);
  const offered = st.sent.label.startsWith("features [") && !/^features \[[^\]]*\bbind\b/.test(st.sent.label);
  return acted || login || st.sent.body !== null || offered;
}

/** The XML of the steps that matter, each section whole, before and after mallory when she changed it. */
export function xmlSections(steps: readonly Step[], depth: string, mask: (s: string) => string = (s) => s): string[] {
  const out: string[] = [];
  steps.forEach((st, i) => {
    if (!matters(st) || st.kind !== "arrow") return;
    const marks = st.crossings.filter((c) => c.mark !== "🔒" && c.mark !== "🔓" && c.text).map((c) => `${c.mark} ${c.text}`);
    out.push(`${depth} Step ${i + 1}: ${code(st.sent.label)}${st.delivered && st.delivered.label !== st.sent.label ? ` → ${code(st.delivered.label)}` : ""}`, "");
    if (marks.length) out.push(md(marks.join("; ")), "");
    // The endpoints logged it; mallory, relaying TLS she could not read, saw only its records.
    if (st.crossings.some((c) => c.mark === "🔒")) out.push("🔒 Inside TLS that mallory relayed unread: she saw the sizes of its records and the handshake's server name (SNI), none of this.", "");
    for (const x of st.xml) {
      out.push(`${md(x.label)}:`, "");
      out.push(...fenced(x.xml ? prettyXml(mask(x.xml), 92) : ["(nothing: mallory passed nothing on)"], "xml"), "");
    }
  });
  return out;
}
