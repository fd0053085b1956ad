import fs from "node:fs";
import { expect, it } from "vitest";
import { runMany } from "../lab/cli/run.js";
import { renderScenarioDocs } from "../lab/scenario-docs.js";
import { SCENARIOS } from "../scenarios/index.js";

it("docs/scenarios.md is current (regenerate with npm run docs)", async () => {
  const fresh = renderScenarioDocs(await runMany(SCENARIOS));
  const committed = fs.readFileSync(new URL("../docs/scenarios.md", import.meta.url), "utf8");
  expect(committed).toBe(fresh);
});
