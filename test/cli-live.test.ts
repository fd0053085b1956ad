import { execFileSync, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { beforeAll, expect, it } from "vitest";

const ROOT = path.resolve(__dirname, "..");
const BIN = path.join(ROOT, "dist/mitm-lab.mjs");
beforeAll(() => {
  if (!fs.existsSync(BIN)) execFileSync(process.execPath, ["scripts/build.mjs"], { cwd: ROOT });
});

/** The bin without a terminal (stdin and stdout are pipes), as CI runs it. */
function lab(args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: "utf8", env: { ...process.env, NO_COLOR: "1" }, timeout: 30_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

const log = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "lab-watch-")), "mallory.jsonl");

it.each([
  [["watch"], /^mitm-lab: watch one attacker log: mitm-lab watch FILE\.jsonl/],
  [["watch", "a.jsonl", "b.jsonl"], /^mitm-lab: watch one attacker log/],
  [["watch", "/no/such/folder/m.jsonl"], /^mitm-lab: watch: no such directory \/no\/such\/folder$/],
  [["watch", path.dirname(log)], /is not a file$/],
  [["watch", log], /^mitm-lab: watch draws in a terminal/],
  [["watch", log, "--upstream"], /^mitm-lab: --upstream needs a value/],
  // Checked before mallory listens: nothing is left holding a port.
  [["attacker", "--listen", "127.0.0.1:0", "--upstream", "127.0.0.1:5222", "--tactic", "strip-starttls,loot", "--console"], /^mitm-lab: --console draws in a terminal; without one, write --jsonl FILE and run mitm-lab watch FILE in a terminal$/],
])("mitm-lab %j without a terminal or with bad input: one line, exit 2", (args, message) => {
  const r = lab(args);
  expect(r.code).toBe(2);
  expect(r.err.trim().split("\n")).toHaveLength(1);
  expect(r.err.trim()).toMatch(message);
  expect(r.out).toBe("");
});
