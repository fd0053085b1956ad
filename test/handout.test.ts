import { beforeAll, describe, expect, it } from "vitest";
import { handoutPage } from "../lab/handout/run.js";
import { md } from "../lab/handout/markdown.js";
import { createRunContext, type RunResult, runScenario } from "../lab/runner.js";
import { applySettings } from "../lab/settings.js";
import { findScenario, MESSAGE } from "../scenarios/index.js";

/** What a renderer would show as text: fenced blocks and code spans are literal, the rest is Markdown. */
function outsideCode(page: string): string[] {
  const out: string[] = [];
  let fence: string | null = null;
  for (const l of page.split("\n")) {
    const f = /^(`{3,})/.exec(l)?.[1];
    if (f && (fence === null || f === fence)) {
      fence = fence === null ? f : null;
      continue;
    }
    if (fence === null && !l.startsWith("<!--")) out.push(l.replace(/(`+)[^`]*?\1/g, ""));
  }
  return out;
}

const runs: Record<string, RunResult> = {};
beforeAll(async () => {
  const ctx = await createRunContext();
  runs.strip = await runScenario(findScenario("starttls-strip")!, ctx);
  runs.required = await runScenario(applySettings(findScenario("starttls-strip")!, ["alice.tls=required"]), ctx);
  runs.passive = await runScenario(findScenario("starttls-passive")!, ctx);
});

describe("a run's handout (run --markdown)", () => {
  it("has the diagram as text, each step in words, the XML that matters, the verdict with its evidence, the lesson and the references", () => {
    const page = handoutPage([runs.strip]);
    const r = runs.strip;
    expect(page).toMatch(/^# 3\. starttls-strip$/m);
    // The diagram, every step numbered; the strip on its step, both bodies whole.
    const strip = /^ +(\d+) .*✂── features \[starttls, PLAIN\]/m.exec(page);
    expect(strip).not.toBeNull();
    expect(page).toContain("✂ removed <starttls/>"); // inside the text block: literal
    expect(page).toContain(`sent:      "${MESSAGE}"`);
    expect(page).toContain('✎ arrives: "Please wire 100 EUR to GB33 BUKB 2020 1555 5555 55"');
    // The same step in words, under the same number.
    expect(page).toContain(`${strip![1]}. mallory deleted \`<starttls/>\` from the server's features`);
    // Its XML, before and after, as the console's pane shows it.
    expect(page).toContain(`### Step ${strip![1]}: \`features [starttls, PLAIN]\` → \`features [PLAIN]\``);
    expect(page).toMatch(/before: what the server sent:\n\n```xml\n<stream:features>\n  <starttls xmlns="urn:ietf:params:xml:ns:xmpp-tls"\/>/);
    // The verdict and the witness's evidence, each finding on the step it rests on.
    expect(page).toContain("**✘ ATTACK SUCCEEDED - password exposed, message rewritten, login relayed.** As the scenario expects.");
    const auth = /^ +(\d+) .*── auth PLAIN/m.exec(page)![1];
    expect(page).toContain(`- ★ alice's password exposed (PLAIN, in cleartext, alice↔mallory) (step ${auth})`);
    expect(page).toContain(`- mallory's ${r.claims.length} claims all hold against the witness.`);
    expect(page).toContain(`## Lesson\n\n${md(r.scenario.lesson)}`);
    expect(page).toContain(`- ${r.scenario.reference}`);
  });

  it("states a --set and says the lesson is the scenario's, not this run's", () => {
    const page = handoutPage([runs.required]);
    expect(page).toContain("- **changed with --set** (not the scenario as shipped): `alice.tls=required` (shipped: `opportunistic`)");
    expect(page).toContain("- run it: `npx mitm-lab run starttls-strip --set alice.tls=required`");
    expect(page).toContain("**✔ ATTACK FAILED - alice refused to go on without TLS.** ⚠ NOT as the scenario expects: it expects that the attack succeeds.");
    expect(page).toContain("- what stopped it: `STARTTLS_UNAVAILABLE`");
    expect(page).not.toContain(`## Lesson\n\n${md(runs.required.scenario.lesson)}`);
    expect(page).toContain("Settings that differ from it: alice.tls=required (scenario: opportunistic).");
  });

  it("says that XML inside TLS mallory relayed unread was the endpoints', not hers", () => {
    const page = handoutPage([runs.passive]);
    const auth = page.slice(page.indexOf("`auth PLAIN`"));
    expect(auth).toMatch(/^`auth PLAIN`\n\n🔒 Inside TLS that mallory relayed unread: she saw the sizes of its records and the handshake's server name \(SNI\), none of this\./);
  });

  it("is safe Markdown: no element is left to be taken for an HTML tag, and several runs are one section each", () => {
    const page = handoutPage([runs.strip, runs.required, runs.passive]);
    expect(page).toMatch(/^# xmpp-mitm-lab: what happened, run by run$/m);
    expect(page.match(/^## \d+\. /gm)).toHaveLength(3);
    for (const l of outsideCode(page)) expect(l, l).not.toMatch(/<[A-Za-z/!?]/);
  });
});
