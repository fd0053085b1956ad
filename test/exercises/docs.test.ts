import fs from "node:fs";
import { expect, it } from "vitest";
import { EXERCISES } from "../../exercises/index.js";
import { renderInstructorDocs } from "../../lab/exercises/docs.js";
import { REPORT_SCHEMA } from "../../lab/exercises/report.js";

it("docs/exercises-instructor.md is current (regenerate with npm run docs)", () => {
  expect(fs.readFileSync(new URL("../../docs/exercises-instructor.md", import.meta.url), "utf8")).toBe(renderInstructorDocs());
});

it("docs/exercises.md names every exercise and documents the report's schema", () => {
  const doc = fs.readFileSync(new URL("../../docs/exercises.md", import.meta.url), "utf8");
  for (const e of EXERCISES) expect(doc, e.id).toContain(`\`${e.id}\``);
  expect(doc).toContain(REPORT_SCHEMA);
  // The student's page gives no solutions away.
  expect(doc).not.toMatch(/--set alice\.tls=required\b/);
});
