import { placeNarration } from "../../lab/facts.js";
import { narrate } from "../../lab/narration.js";
import type { RunResult } from "../../lab/runner.js";
import { buildStory } from "../../lab/story/index.js";
import type { Scenario } from "../../scenarios/index.js";
import { Checker, type Truth } from "./checker.js";

/**
 * The properties every run must have, whatever its settings (issue 8):
 * - the verdict agrees with an independent reading of the trace and the tapped bytes;
 * - every claim of mallory's is supported by the witness;
 * - every narration line shown - in the plain narrator and on the console's steps - has every
 *   fact of its condition hold, by the independent checker; no other scenario line is shown;
 * - the lesson appears only for the expected outcome under the scenario's own settings;
 * - no tactic was silently skipped: on every connection of mallory's, each configured tactic
 *   acted or said why not.
 * Returns the problems found (empty: all hold).
 */
export function problems(r: RunResult, truth: Truth): string[] {
  const out: string[] = [];
  const c = new Checker(r, truth);
  const expect = c.attackSucceeds() ? "attack-succeeds" : "attack-fails";
  if (r.outcome !== expect) out.push(`verdict ${r.outcome}, the independent reading says ${expect}`);
  for (const claim of r.claims) if (!claim.supported) out.push(`unsupported claim ${claim.claim} (seq ${claim.seq})`);

  const placed = placeNarration(r);
  for (const line of placed) {
    const n = r.scenario.narration[line.index];
    for (const f of n.when) if (!c.holds(f)) out.push(`line "${n.say.slice(0, 50)}…" shown, but ${JSON.stringify(f)} does not hold`);
  }
  const shown = new Set(placed.map((l) => l.say));
  const scenarioLines = new Set(r.scenario.narration.map((n) => n.say));
  const text = narrate(r, 26);
  for (const l of text.split("\n")) {
    const m = /^\s*▸ (.*)$/.exec(l);
    if (m && !shown.has(m[1])) out.push(`narrator shows "${m[1].slice(0, 50)}…", which no holding line says`);
  }
  for (const step of buildStory(r)) {
    if (step.say && scenarioLines.has(step.say) && !shown.has(step.say)) out.push(`console step says "${step.say.slice(0, 50)}…", which does not hold`);
  }
  const changed = (r.scenario.variant?.changed ?? []).length > 0;
  const lesson = text.includes(`Lesson: ${r.scenario.lesson}`);
  if (lesson !== (r.asExpected && !changed)) out.push(`lesson ${lesson ? "shown" : "missing"} with asExpected=${r.asExpected}, settings changed=${changed}`);

  out.push(...silentTactics(r.scenario, r));
  return out;
}

/** Every connection of mallory's: each configured tactic acted (edit, move, loot) or reported why not. */
function silentTactics(s: Scenario, r: RunResult): string[] {
  const out: string[] = [];
  const conns = new Set(r.events.flatMap((e) => (e.node === "mallory" && e.kind === "connected" && e.conn ? [e.conn] : [])));
  for (const conn of conns) {
    const tactics = conn.startsWith("d") && s.mallory.blockDirectTls ? ["block"] : s.mallory.tactics;
    const mine = r.events.filter((e) => e.node === "mallory" && e.conn === conn);
    for (const t of tactics) {
      if (t === "observe") continue;
      const acted = mine.some((e) =>
        (e.kind === "move" && e.tactic === t) ||
        (e.kind === "relay" && e.edits.some((x) => x.tactic === t)) ||
        (e.kind === "loot" && t === "loot") ||
        (e.kind === "tactic" && e.tactic === t));
      if (!acted) out.push(`tactic ${t} silent on ${conn}`);
    }
  }
  return out;
}
