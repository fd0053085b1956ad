import { ACTS } from "../../scenarios/index.js";
import { claimsSentence, lessonSentences, witnessFindings } from "../closing.js";
import type { RunResult } from "../runner.js";
import { formatValue } from "../settings-format.js";
import { VERSION } from "../version.js";
import { aliceSetup, mallorySetup, serverSetup } from "../setup.js";
import { buildStory, panelText } from "../story/index.js";
import { diagramText } from "./diagram.js";
import { code, fenced, heading, md } from "./markdown.js";
import { stepList, stepOf, xmlSections } from "./steps.js";

const LEGEND =
  "─ cleartext leg · ═ TLS leg · ✂ removed · ✎ rewritten · ★ password · ◆ SCRAM exchange recorded · 👁 read · " +
  "🔓 read inside her own TLS · 🔒 sealed: record sizes and the handshake's SNI, ALPN · ⚑ hers: answered or sent in someone else's name · ✘ dropped or refused";

export interface RunPageOptions {
  /** Heading depth of the run's own title (1 for a page of its own, deeper inside docs/scenarios.md). */
  depth: number;
  /** Applied to every text that can differ from run to run (ports, keys, nonces), for generated docs. */
  mask?: (s: string) => string;
  /** `run --tactic FILE`: mallory also ran the user's own tactic. */
  tacticFile?: string;
}

/** How to run it again, with the settings it ran with. */
export function command(r: RunResult, tacticFile?: string): string {
  const sets = (r.scenario.variant?.changed ?? []).map((c) => ` --set ${c.path}=${formatValue(c.used)}`).join("");
  return `npx mitm-lab run ${r.scenario.id}${sets}${tacticFile ? ` --tactic ${tacticFile}` : ""}`;
}

/**
 * A run as Markdown: the set-up (and any --set, stated), the sequence diagram as text, each
 * step's sentence, the raw XML of the steps that matter, the verdict with the witness's
 * evidence and mallory's claims checked, the lesson and the references. The same words as the
 * console and the narrator: built from the same steps (lab/story/) and sentences (lab/closing.ts).
 */
export function runSections(r: RunResult, o: RunPageOptions): string[] {
  const mask = o.mask ?? ((s: string) => s);
  const s = r.scenario;
  const d = o.depth;
  const steps = buildStory(r);
  const changed = s.variant?.changed ?? [];
  const out: string[] = [
    heading(d, `${s.n}. ${s.id}`),
    "",
    `**${md(s.title)}.** ${ACTS[s.act]}. mallory: ${s.capability}.`,
    "",
    heading(d + 1, "Set-up"),
    "",
    `- alice: ${md(aliceSetup(s))}`,
    `- server: ${md(serverSetup(s))}`,
    `- mallory: ${md(mallorySetup(s))}`,
    `- the scenario expects: ${s.expected === "attack-succeeds" ? "the attack succeeds" : "the attack fails"}`,
  ];
  if (changed.length) {
    out.push(`- **changed with --set** (not the scenario as shipped): ${changed.map((c) => `${code(`${c.path}=${formatValue(c.used)}`)} (shipped: ${code(formatValue(c.scenario))})`).join(", ")}`);
  }
  if (o.tacticFile) out.push(`- **mallory also ran your tactic** ${code(o.tacticFile)} (not part of the scenario)`);
  out.push(`- run it: ${code(command(r, o.tacticFile))}`, "");
  out.push(heading(d + 1, "What happened"), "", md(LEGEND), "", ...fenced(diagramText(steps).map(mask), "text"), "");
  out.push(heading(d + 1, "Step by step"), "", ...stepList(steps).map(mask), "");
  // A view a step's narration asked for (the CT monitor's), as the narrator draws it.
  steps.forEach((st, i) => {
    for (const p of st.panels ?? []) out.push(`With step ${i + 1}:`, "", ...fenced(panelText(p).map(mask), "text"), "");
  });
  const xml = xmlSections(steps, heading(d + 2, "").trimEnd(), mask);
  if (xml.length) out.push(heading(d + 1, "The XML that matters"), "", ...xml);
  out.push(heading(d + 1, "Verdict"), "", ...verdict(r, steps, mask), "");
  // Under its own heading the lesson needs no "Lesson:" of its own.
  out.push(heading(d + 1, "Lesson"), "", ...lessonSentences(r).map((l) => md(mask(l.replace(/^Lesson: /, "")))).flatMap((l) => [l, ""]));
  out.push(heading(d + 1, "References"), "", `- ${md(s.reference)}`, `- every scenario, as this page: docs/scenarios.md; the console: ${code(`npx mitm-lab console ${s.id}`)}`, "");
  return out;
}

/** The verdict with its evidence: the witness's findings, each tied to its step, and mallory's claims checked. */
function verdict(r: RunResult, steps: ReturnType<typeof buildStory>, mask: (s: string) => string): string[] {
  const won = r.outcome === "attack-succeeds";
  const expected = r.asExpected
    ? "As the scenario expects."
    : `⚠ NOT as the scenario expects: it expects that ${r.scenario.expected === "attack-succeeds" ? "the attack succeeds" : "the attack fails"}.`;
  const reason = capital(r.reason).replace(/[.]?$/, ".");
  const out = [`**${won ? "✘ ATTACK SUCCEEDED" : "✔ ATTACK FAILED"} - ${md(r.headline)}.** ${md(expected)}`, "", md(mask(reason)), ""];
  out.push("Evidence, from the witness - the endpoints' own reports and taps the runner owns on both legs, not mallory's code:", "");
  const findings = witnessFindings(r);
  if (!findings.length) out.push(`- nothing of alice's was exposed${r.witness.sessions.some((x) => x.reachedServer) ? "; her TLS session was the server's own (one hop, alice to the server)" : ""}`);
  for (const f of findings) {
    const n = stepOf(steps, f.seq);
    out.push(`- ${md(mask(f.text))}${n ? ` (step ${n})` : ""}`);
  }
  if (r.defence) out.push(`- what stopped it: ${code(r.defence.code)}: ${md(mask(r.defence.explain))}`);
  const claims = claimsSentence(r);
  if (claims) out.push(`- ${md(claims)}`);
  return out;
}

const capital = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/**
 * A page of its own: `mitm-lab run <id...> --markdown FILE`, or `m` in the console. One run is
 * the page; several are one section each, in the order they ran.
 */
export function handoutPage(results: readonly RunResult[], o: { tacticFile?: string } = {}): string {
  const one = results.length === 1;
  const head = one
    ? [`<!-- A handout of one run, written by xmpp-mitm-lab ${VERSION}: ${command(results[0], o.tacticFile)} -->`, ""]
    : [`<!-- Handouts of ${results.length} runs, written by xmpp-mitm-lab ${VERSION}. -->`, "", heading(1, "xmpp-mitm-lab: what happened, run by run"), ""];
  return [...head, ...results.flatMap((r) => runSections(r, { depth: one ? 1 : 2, tacticFile: o.tacticFile }))].join("\n").trimEnd() + "\n";
}
