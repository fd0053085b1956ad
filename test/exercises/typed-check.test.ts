import fs from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ProgressStore } from "../../lab/exercises/progress.js";
import { checkTyped } from "../../lab/exercises/typed-check.js";
import { tempConfig } from "./helpers.js";

const cfg = tempConfig();
const store = () => new ProgressStore(cfg.env);
afterAll(() => cfg.cleanup());

/** The console's `c`: one typed line, judged and counted as `mitm-lab exercise check` does. */
describe("a check typed on one line (the console, where there may be no shell)", () => {
  it("defend: settings with or without --set", async () => {
    expect(await checkTyped(store(), "defend-rogue-ca", "--set alice.verify=ca")).toMatch(/^✘ defend-rogue-ca: not yet/);
    expect(await checkTyped(store(), "defend-rogue-ca", "alice.verify=pin")).toMatch(/^✔ defend-rogue-ca: solved/);
    expect(store().of("defend-rogue-ca")).toMatchObject({ attempts: 2, solvedAt: expect.any(String) });
  });

  it("attack: a tactic file's path; a missing one is one line, not counted", async () => {
    expect(await checkTyped(store(), "attack-rewrite-iban", "./no-such.ts")).toMatch(/^✘ no such file \.\/no-such\.ts/);
    const solution = path.resolve(__dirname, "../../exercises/solutions/rewrite-iban.ts");
    expect(await checkTyped(store(), "attack-rewrite-iban", `--tactic '${solution}'`)).toMatch(/^✔ attack-rewrite-iban: solved/);
    expect(store().of("attack-rewrite-iban").attempts).toBe(1);
  });

  it("investigate: the first check makes the material (not counted), the next is judged", async () => {
    const first = await checkTyped(store(), "investigate-crack-scram", "hunter2");
    expect(first).toMatch(/no material for investigate-crack-scram yet: it is made now/);
    const files = first.split("\n").filter((l) => l.startsWith("  ")).map((l) => l.trim());
    expect(files.map((f) => path.basename(f))).toEqual(["mallory.jsonl", "leaked-passwords.txt"]);
    for (const f of files) expect(fs.existsSync(f)).toBe(true);
    expect(store().of("investigate-crack-scram").attempts).toBe(0);
    const second = await checkTyped(store(), "investigate-crack-scram", "hunter2");
    expect(second).toMatch(/^✘ investigate-crack-scram: not yet: that is not the password alice used/);
    expect(second).toContain("A hint: press h");
    expect(store().of("investigate-crack-scram").attempts).toBe(1);
  });
});
