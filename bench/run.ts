/**
 * `npm run bench`: the speed and memory targets, measured side by side in one run.
 * No timing assertions live in unit tests; they live here.
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import { BIN, ROOT } from "./lib.js";
import { exerciseCheckTimes } from "./exercise-checks.js";
import { relayThroughput } from "./relay-throughput.js";
import { runAllTime } from "./run-all-time.js";
import { stanzaRate } from "./stanza-rate.js";
import { startupTimes } from "./startup.js";

if (!fs.existsSync(BIN)) execFileSync(process.execPath, ["scripts/build.mjs"], { cwd: ROOT, stdio: "inherit" });

const rows: Array<[string, string, string, string]> = [];
const row = (what: string, value: string, target: string, ok: boolean | null) => {
  rows.push([what, value, target, ok === null ? "" : ok ? "✔" : "✘"]);
  console.error(`  ${what}: ${value}`);
};

console.error("measuring (about a minute)...");
const relay = await relayThroughput(128, "shared");
row("byte relay via mallory / direct TLS (median of 9, interleaved)", `${relay.ratio.toFixed(2)}  (${relay.viaMBs.toFixed(0)} vs ${relay.directMBs.toFixed(0)} MB/s)`, "≥ 0.90", relay.ratio >= 0.9);
row("  a bare pipe() relay / direct (the floor for any relay here)", `${(relay.bareMBs / relay.directMBs).toFixed(2)}  (${relay.bareMBs.toFixed(0)} MB/s)`, "", null);
row("  mallory / bare pipe() relay (mallory's own cost)", relay.overBare.toFixed(2), "", null);
row("  mallory peak RSS", `${relay.rssMb.toFixed(0)} MB`, "", null);
const sep = await relayThroughput(128, "separate");
row("byte relay, client, mallory and sink each a process (2 cores: context)", `${sep.ratio.toFixed(2)}  (mallory/bare ${sep.overBare.toFixed(2)})`, "", null);

const full = await stanzaRate(200_000, "strip-starttls,strip-mechanisms,loot,tamper", ["--quiet"]);
row("stanzas/s, strip+loot+tamper (every body rewritten), --quiet", `${Math.round(full.perSecond).toLocaleString("en")} /s`, "≥ 100,000 /s", full.perSecond >= 100_000 && full.rewritten);
row("  mallory peak RSS", `${full.rssMb.toFixed(0)} MB`, "", null);
const logged = await stanzaRate(100_000, "strip-starttls,strip-mechanisms,loot,tamper");
row("stanzas/s, same, with the live log (3 lines per message)", `${Math.round(logged.perSecond).toLocaleString("en")} /s`, "", null);
const observe = await stanzaRate(200_000, "observe", ["--quiet"]);
row("stanzas/s, observe only (parse, forward raw)", `${Math.round(observe.perSecond).toLocaleString("en")} /s`, "", null);

const all = runAllTime(5);
row("mitm-lab run --all, wall time (median of 5)", `${(all.runAllMs / 1000).toFixed(2)} s  (bare node: ${(all.bareNodeMs / 1000).toFixed(2)} s)`, "< 2 s", all.runAllMs < 2000 && all.exitCodes.every((c) => c === 0));

for (const x of exerciseCheckTimes()) {
  // Reference solutions solve (exit 0); investigate answers here are wrong on purpose (exit 1).
  const expectedExit = x.materialMs === undefined ? 0 : 1;
  row(`exercise check ${x.id} (bin, end to end)${x.materialMs !== undefined ? `; material ${(x.materialMs / 1000).toFixed(2)} s` : ""}`, `${(x.checkMs / 1000).toFixed(2)} s`, "< 2 s", x.checkMs < 2000 && x.exit === expectedExit);
}

const st = await startupTimes();
if (st) {
  row("console first frame / Ink hello world (both bundled)", `${st.ratio.toFixed(2)}  (${st.consoleMs.toFixed(0)} vs ${st.helloMs.toFixed(0)} ms)`, "≤ 1.5", st.ratio <= 1.5);
  row("console first frame", `${st.consoleMs.toFixed(0)} ms`, "< 500 ms", st.consoleMs < 500);
}

const w = [0, 1, 2].map((i) => Math.max(...rows.map((r) => r[i].length)));
console.log(`\n${"measure".padEnd(w[0])}  ${"value".padEnd(w[1])}  ${"target".padEnd(w[2])}`);
for (const r of rows) console.log(`${r[0].padEnd(w[0])}  ${r[1].padEnd(w[1])}  ${r[2].padEnd(w[2])}  ${r[3]}`);
