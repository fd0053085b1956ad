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
const lab = (args: string[]) => {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: "utf8", env: { ...process.env, CI: "true", NO_COLOR: "1" }, timeout: 60_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
};
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "lab-handout-"));

it("run <id> --markdown FILE writes the run's handout, --set stated; stdout stays the run's (JSON here)", () => {
  const file = path.join(dir, "strip.md");
  const r = lab(["run", "starttls-strip", "--set", "alice.tls=required", "--json", "--markdown", file]);
  expect(r.code).toBe(1); // not as expected: the setting changed the outcome
  expect(JSON.parse(r.out.trim())).toMatchObject({ id: "starttls-strip", asExpected: false });
  expect(r.err.trim()).toBe(`wrote ${file}: a handout of starttls-strip (Markdown)`);
  const page = fs.readFileSync(file, "utf8");
  expect(page).toMatch(/^<!-- A handout of one run, written by xmpp-mitm-lab [\d.]+: npx mitm-lab run starttls-strip --set alice\.tls=required -->\n\n# 3\. starttls-strip\n/);
  expect(page).toContain("`alice.tls=required` (shipped: `opportunistic`)");
  expect(page).toContain("## Verdict");
});

it("several runs are one page, a section each", () => {
  const file = path.join(dir, "two.md");
  const r = lab(["run", "plaintext", "directtls-pinned", "--quiet", "--markdown", file]);
  expect(r.code).toBe(0);
  expect(fs.readFileSync(file, "utf8").match(/^## \d+\. (plaintext|directtls-pinned)$/gm)).toEqual(["## 1. plaintext", "## 12. directtls-pinned"]);
});

it.each([
  [["run", "starttls-strip", "--markdown", "/no/such/dir/x.md"], /^mitm-lab: --markdown: no such directory \/no\/such\/dir/],
  [["run", "starttls-strip", "--markdown", dir], /^mitm-lab: --markdown: .* is a directory/],
  [["run", "starttls-strip", "--markdown"], /^mitm-lab: --markdown needs a value/],
])("mitm-lab %j: one line, exit 2, before anything runs", (args, message) => {
  const r = lab(args);
  expect(r.code).toBe(2);
  expect(r.err.trim()).toMatch(message);
  expect(r.out).toBe("");
});
