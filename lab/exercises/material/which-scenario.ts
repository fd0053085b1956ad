import fs from "node:fs";
import path from "node:path";
import { findScenario } from "../../../scenarios/index.js";
import { eventLine } from "../../event-line.js";
import { type RunContext, runScenario } from "../../runner.js";
import { plain } from "../../style.js";
import type { MaterialRecord } from "../progress.js";
import { type Defence, POOL } from "./defences.js";
import { digest, newSalt, pick } from "./truth.js";

/**
 * "Which scenario produced this trace, and what stopped mallory?": the trace of one run of a
 * scenario in which the attack fails, picked at random for each student, without its name or
 * narration. The defences are named by a small closed vocabulary so an answer can be checked.
 */
/** `choice` is for tests, which walk the whole pool; a student's is drawn at random. */
export async function generateWhichScenario(dir: string, ctx: RunContext, choice: readonly [string, Defence] = pick(POOL)): Promise<MaterialRecord> {
  const [id, defence] = choice;
  const r = await runScenario(findScenario(id)!, ctx);
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const files = [path.join(dir, "trace.jsonl"), path.join(dir, "trace.txt")];
  // Every event of every node, as the lab records them: what a tap on every socket would tell.
  fs.writeFileSync(files[0], r.events.map((e) => JSON.stringify(e)).join("\n") + "\n");
  const lines = r.events.flatMap((e) => {
    const line = eventLine(e, plain);
    return line ? [`${String(e.t).padStart(7)} ms  ${e.conn ? e.conn.padEnd(4) : "    "}${line}`] : [];
  });
  fs.writeFileSync(files[1], lines.join("\n") + "\n");
  const salt = newSalt();
  return {
    generatedAt: new Date().toISOString(),
    files,
    salt,
    truth: { scenario: digest(salt, id), defence: digest(salt, defence) },
    facts: { events: r.events.length },
  };
}
