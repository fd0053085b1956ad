// npm run docs: regenerate docs/exercises-instructor.md from the exercise files.
import fs from "node:fs";
import { renderInstructorDocs } from "../lab/exercises/docs.js";

fs.writeFileSync(new URL("../docs/exercises-instructor.md", import.meta.url), renderInstructorDocs());
console.log("docs/exercises-instructor.md written");
