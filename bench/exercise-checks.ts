/**
 * Each exercise's check as a student runs it: the built bin, end to end (start, PKI, every run
 * the check makes), median of `n`. Defend and attack checks run their reference solution;
 * investigate checks answer (wrongly - it costs the same) material made beforehand, whose
 * making is timed on its own. Target: every check < 2 s. `npx tsx bench/exercise-checks.ts`
 * prints the table alone.
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { EXERCISES } from "../exercises/index.js";
import { BIN, ROOT } from "./lib.js";

export interface CheckTime {
  id: string;
  checkMs: number;
  /** Investigate only: `mitm-lab exercise <id>` making the material. */
  materialMs?: number;
  exit: number | null;
}

function timed(args: string[], env: NodeJS.ProcessEnv): { ms: number; exit: number | null } {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [BIN, ...args], { env, encoding: "utf8", timeout: 60_000 });
  return { ms: performance.now() - t0, exit: r.status };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

export function exerciseCheckTimes(n = 3): CheckTime[] {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "mitm-lab-bench-xdg-"));
  const env = { ...process.env, XDG_CONFIG_HOME: dir, CI: "true", NO_COLOR: "1" };
  try {
    return EXERCISES.map((e): CheckTime => {
      let materialMs: number | undefined;
      let args: string[];
      if (e.kind === "defend") args = e.solution.flatMap((s) => ["--set", s]);
      else if (e.kind === "attack") args = ["--tactic", path.join(ROOT, "exercises/solutions", e.solution[0])];
      else {
        materialMs = timed(["exercise", e.id], env).ms;
        args = ["--answer", e.material === "which-scenario" ? "starttls-strip tls" : "not-the-password"];
      }
      const runs = Array.from({ length: n }, () => timed(["exercise", "check", e.id, ...args], env));
      return { id: e.id, checkMs: median(runs.map((r) => r.ms)), materialMs, exit: runs[0].exit };
    });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const rows = exerciseCheckTimes();
  for (const r of rows) console.log(`${r.id.padEnd(32)} ${(r.checkMs / 1000).toFixed(2)} s${r.materialMs !== undefined ? `  (material ${(r.materialMs / 1000).toFixed(2)} s)` : ""}  exit ${r.exit}`);
}
