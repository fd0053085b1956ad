/**
 * Steadiness: `mitm-lab run --all` N times in a row (default 200), in one process as the
 * CLI does it (a fresh PKI per run). Every run must give the same verdict for every scenario.
 *   npx tsx bench/soak.ts [N]
 */
import { runMany } from "../lab/cli/run.js";
import { SCENARIOS } from "../scenarios/index.js";

const n = Number(process.argv[2] ?? 200);
const seen = new Map<string, number>();
const t0 = performance.now();
let slowest = 0;
for (let i = 0; i < n; i++) {
  const t = performance.now();
  const results = await runMany(SCENARIOS);
  slowest = Math.max(slowest, performance.now() - t);
  const key = results.map((r) => `${r.scenario.id}=${r.outcome}${r.asExpected ? "" : "!"}`).join(" ");
  seen.set(key, (seen.get(key) ?? 0) + 1);
  if ((i + 1) % 20 === 0) console.error(`  ${i + 1}/${n} runs`);
}
const total = (performance.now() - t0) / 1000;
console.log(`${n} runs of --all (${n * SCENARIOS.length} scenario runs) in ${total.toFixed(1)} s; mean ${((total / n) * 1000).toFixed(0)} ms, slowest ${slowest.toFixed(0)} ms per run`);
console.log(`distinct verdict vectors: ${seen.size}${seen.size === 1 ? " - identical every time" : ""}`);
for (const [k, c] of seen) console.log(`  ${c}× ${k.includes("!") ? "NOT AS EXPECTED: " : ""}${k.slice(0, 120)}…`);
process.exit(seen.size === 1 && ![...seen.keys()][0].includes("!") ? 0 : 1);
