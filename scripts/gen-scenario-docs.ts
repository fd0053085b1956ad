// npm run docs: regenerate docs/scenarios.md from the scenario files and a real run of each.
import fs from "node:fs";
import { runMany } from "../lab/cli/run.js";
import { renderScenarioDocs } from "../lab/scenario-docs.js";
import { SCENARIOS } from "../scenarios/index.js";

const results = await runMany(SCENARIOS);
fs.writeFileSync(new URL("../docs/scenarios.md", import.meta.url), renderScenarioDocs(results));
console.log("docs/scenarios.md written");
