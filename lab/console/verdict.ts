import { claimsSentence, lessonSentences } from "../closing.js";
import type { RunResult } from "../runner.js";
import { expectedWords } from "./home.js";
import { type Line, line, para, span } from "./lines.js";
import { type State, tally } from "./state.js";
import { safe, won } from "./theme.js";
import { wrap } from "./text.js";

/**
 * The verdict under the last step: the outcome (✘ / ✔ and the words, never colour alone), whether
 * the scenario expected it, the room's answer with --predict, and the lesson - only when the run
 * went as the scenario expects, since the lesson explains that outcome and no other.
 */
export function verdictLines(r: RunResult, s: State, w: number): Line[] {
  const mallory = r.outcome === "attack-succeeds";
  const head = `${mallory ? "✘ ATTACK SUCCEEDED" : "✔ ATTACK FAILED"} - ${r.headline}`;
  const banner = wrap(head, w - 2).map((t) => line(span(` ${t} `, { bold: true, inverse: true, color: mallory ? won() : safe() })));
  const out: Line[] = [...banner];
  if (r.asExpected) out.push(line(" as the scenario expects"));
  else out.push(line(span(` ⚠ NOT as the scenario expects (${expectedWords(r.scenario)})`, { bold: true })));
  const answer = s.predictions[r.scenario.id];
  if (answer) {
    const t = tally(s);
    const said = answer === "attack-succeeds" ? "it works" : "it fails";
    out.push(line(` the room said ${said}: `, span(answer === r.outcome ? "✔ right" : "✘ wrong", { bold: true }), ` · the room was right ${t.right} of ${t.of} times`));
  }
  // What the witness proved is the notebook above (notebook.ts reads the witness), so it is not
  // said twice; a claim of mallory's that does not hold is said loudly. Then the lesson only for
  // the expected outcome under the scenario's own settings; otherwise which settings differ and
  // what came of them (lab/closing.ts).
  const claims = claimsSentence(r);
  if (claims?.startsWith("⚠")) out.push(...para(claims, w, { bold: true }));
  for (const l of lessonSentences(r)) out.push(...para(l, w, { bold: r.asExpected }));
  return out;
}
