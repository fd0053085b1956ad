import { spawnSync } from "node:child_process";
import { BIN, median } from "./lib.js";

/** Wall time of the whole `mitm-lab run --all --quiet`, process start to exit, and a bare `node -e 0`. */
export function runAllTime(times = 5): { runAllMs: number; bareNodeMs: number; exitCodes: number[] } {
  const wall = (args: string[]) => {
    const t0 = performance.now();
    const r = spawnSync(process.execPath, args, { stdio: "ignore", env: { ...process.env, CI: "true" } });
    return { ms: performance.now() - t0, code: r.status ?? -1 };
  };
  const runs = Array.from({ length: times }, () => wall([BIN, "run", "--all", "--quiet"]));
  const bare = Array.from({ length: times }, () => wall(["-e", "0"]).ms);
  return { runAllMs: median(runs.map((r) => r.ms)), bareNodeMs: median(bare), exitCodes: runs.map((r) => r.code) };
}
