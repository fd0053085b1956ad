import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { beforeAll, expect, it } from "vitest";
import { createRunContext, type RunResult, runScenario } from "../../lab/runner.js";
import { findScenario } from "../../scenarios/index.js";
import { KEY, openConsole } from "./term.js";

const recorded: Record<string, RunResult> = {};
beforeAll(async () => {
  recorded["starttls-strip"] = await runScenario(findScenario("starttls-strip")!, await createRunContext());
});

it("m on a run writes it as a handout, says where, and the page is the run on screen", async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "lab-console-handout-"));
  const c = openConsole(recorded, { columns: 100, rows: 30, startWith: "starttls-strip", handoutDir: dir });
  await c.see("step 1/");
  await c.press(KEY.end);
  await c.see("ATTACK SUCCEEDED");
  await c.see("m handout");
  await c.press("m");
  const file = path.join(dir, "starttls-strip.md");
  await c.see(`wrote ${file}`);
  const page = fs.readFileSync(file, "utf8");
  expect(page).toMatch(/^# 3\. starttls-strip$/m);
  expect(page).toContain("✂ removed <starttls/>");
  expect(page).toContain(`★ alice's password exposed (PLAIN, in cleartext, alice↔mallory)`);
  // The notice goes with the next step.
  await c.press(KEY.left);
  expect(c.frame()).not.toContain("wrote ");
  c.app.unmount();
});
