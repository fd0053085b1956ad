import fs from "node:fs";
import path from "node:path";
import type { LabEvent } from "../core/events.js";
import { type LoadedTactic, tacticFileOption } from "../tactic-file.js";
import { UsageError } from "../core/errors.js";
import { jsonResult, narrate, verdictTable } from "../narration.js";
import { createRunContext, type RunContext, type RunResult, runScenario } from "../runner.js";
import { keylogFile } from "./keylog.js";
import { pcapFile } from "./pcap.js";
import { outputFile } from "./paths.js";
import { style } from "../style.js";
import { ACT_NUMBERS, ACTS, findScenario, SCENARIOS, type Scenario } from "../../scenarios/index.js";
import { applySettings } from "../settings.js";
import { parseArgs } from "./args.js";

export function listCommand(argv: string[]): number {
  const p = parseArgs(argv, { json: "bool" }, "list");
  if (p.flags.json) {
    for (const s of SCENARIOS) {
      console.log(JSON.stringify({ id: s.id, n: s.n, act: s.act, title: s.title, lesson: s.lesson, capability: s.capability, expected: s.expected, reference: s.reference }));
    }
    return 0;
  }
  const st = style();
  for (const act of ACT_NUMBERS) {
    console.log(st.bold(ACTS[act]));
    for (const s of SCENARIOS.filter((x) => x.act === act)) {
      const mark = s.expected === "attack-succeeds" ? st.bad("✘ attack succeeds") : st.good("✔ attack fails");
      console.log(`  ${String(s.n).padStart(2)}  ${s.id.padEnd(31)} ${mark.padEnd(17)}  ${st.dim(s.title)}`);
    }
    console.log("");
  }
  console.log(st.dim("Run one with: mitm-lab run starttls-strip    all of them: mitm-lab run --all"));
  return 0;
}

export function selectScenarios(ids: string[], all: boolean): Scenario[] {
  if (all && ids.length) throw new UsageError("give scenario ids or --all, not both");
  if (all) return SCENARIOS;
  if (!ids.length) throw new UsageError("name a scenario (see mitm-lab list) or pass --all");
  return ids.map((id) => {
    const s = findScenario(id);
    if (!s) throw new UsageError(`no scenario "${id}"; mitm-lab list shows the ids`);
    return s;
  });
}

/** Run scenarios one after another (deterministic: no two share a moment). */
export async function runMany(list: Scenario[], each?: (r: RunResult) => void, onEvent?: (e: LabEvent) => void, extra: Partial<RunContext> = {}): Promise<RunResult[]> {
  const ctx = { ...(await createRunContext()), ...extra };
  const results: RunResult[] = [];
  for (const s of list) {
    const r = await runScenario(s, ctx, onEvent);
    results.push(r);
    each?.(r);
  }
  return results;
}

export async function runCommand(argv: string[]): Promise<number> {
  const p = parseArgs(argv, { all: "bool", json: "bool", quiet: "bool", keylog: "string", set: "list", pcap: "string", tactic: "string", markdown: "string" }, "run");
  // --set PATH=VALUE: the same change for every scenario named (lab/settings.ts).
  const sets = (p.flags.set as string[] | undefined) ?? [];
  const list = selectScenarios(p.positional, !!p.flags.all).map((s) => applySettings(s, sets));
  const st = style();
  const tactic = await tacticOption(p.flags.tactic as string | undefined);
  const keys = keylogFile(outputFile("keylog", p.flags.keylog as string | undefined));
  const pcap = pcapFile(outputFile("pcap", p.flags.pcap as string | undefined), `mitm-lab run ${list.map((s) => s.id).join(" ")}`);
  const markdown = outputFile("markdown", p.flags.markdown as string | undefined);
  const results = await runMany(list, (r) => {
    if (p.flags.json) console.log(JSON.stringify(jsonResult(r)));
    else if (!p.flags.quiet) console.log(narrate(r, SCENARIOS.length, st));
  }, undefined, { keylog: pcap.keylog(keys.keylog), capture: pcap.capture, custom: tactic?.edit });
  await keys.close();
  if (tactic) for (const line of tacticReport(tactic)) console.error(line);
  const wrote = await pcap.write();
  if (wrote) console.error(wrote);
  if (markdown) {
    // Loaded on use: the handout pulls in the story builder and the diagram.
    const { handoutPage } = await import("../handout/run.js");
    fs.writeFileSync(markdown, handoutPage(results, tactic ? { tacticFile: p.flags.tactic as string } : {}));
    console.error(`wrote ${markdown}: a handout of ${results.map((r) => r.scenario.id).join(", ")} (Markdown)`);
  }
  if (!p.flags.json) console.log(verdictTable(results, st));
  // DESIGN §4: exit 0 iff every verdict is as expected.
  return results.every((r) => r.asExpected) ? 0 : 1;
}

/** `--tactic FILE`: the user's own tactic for mallory, next to the scenario's (lab/tactic-file.ts). */
async function tacticOption(file: string | undefined): Promise<LoadedTactic | undefined> {
  return file === undefined ? undefined : tacticFileOption(file);
}

/** What the user's tactic did, for stderr: how often it was asked, changed something, or threw. */
export function tacticReport(t: LoadedTactic): string[] {
  const out = [`${path.basename(t.file)}: given ${t.calls} element${t.calls === 1 ? "" : "s"}, changed ${t.changed}`];
  if (t.stuck) out.push(`${path.basename(t.file)} ${t.stuck.error}, on ${t.stuck.element} (${t.stuck.where.dir}, ${t.stuck.where.context}): mallory stopped it there and forwarded everything after unchanged`);
  const threw = t.faults.filter((f) => f !== t.stuck);
  for (const f of threw.slice(0, 3)) out.push(`${path.basename(t.file)} threw on ${f.element} (${f.where.dir}, ${f.where.context}): ${f.error} - the element passed unchanged`);
  if (threw.length > 3) out.push(`... and ${threw.length - 3} more`);
  return out;
}
