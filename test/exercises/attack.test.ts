import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type AttackExercise, EXERCISES } from "../../exercises/index.js";
import { checkAttack } from "../../lab/exercises/attack.js";
import { starterTactic } from "../../lab/exercises/starter.js";
import { createRunContext, type RunContext } from "../../lab/runner.js";
import { tempConfig } from "./helpers.js";

const SOLUTIONS = path.resolve(__dirname, "../../exercises/solutions");
const ATTACK = EXERCISES.filter((e): e is AttackExercise => e.kind === "attack");
const tmp = tempConfig();
let ctx: RunContext;
beforeAll(async () => {
  ctx = await createRunContext();
});
afterAll(() => tmp.cleanup());

/** A student's file, written where a student would write it. */
function file(name: string, text: string): string {
  const f = path.join(tmp.dir, name);
  fs.writeFileSync(f, text);
  return f;
}

describe.each(ATTACK.map((e) => [e.id, e] as const))("attack exercise %s", (_, e) => {
  it.each(e.solution)("accepts the reference solution %s", async (name) => {
    const r = await checkAttack(e, path.join(SOLUTIONS, name), ctx);
    expect(r.details).toEqual([]);
    expect(r.solved).toBe(true);
    expect(r.summary).toMatch(/^solved: /);
  });

  it.each(e.wrong.map((w) => [w.file, w] as const))("rejects %s", async (_name, w) => {
    const r = await checkAttack(e, path.join(SOLUTIONS, w.file), ctx);
    expect(r.solved).toBe(false);
    expect(r.details.join("\n")).toContain("What the witness saw:");
    expect(r.details.join("\n")).toMatch(/See it step by step: mitm-lab run .* --tactic /);
  });

  it("rejects the starter, a tactic that does nothing, in TypeScript and in JavaScript", async () => {
    for (const f of [file(`${e.id}-starter.ts`, starterTactic(e.id)), file(`${e.id}-nothing.js`, "export default function tactic() {}\n")]) {
      const r = await checkAttack(e, f, ctx);
      expect(r.solved).toBe(false);
      expect(r.details.join("\n")).toMatch(/changed none of them/);
    }
  });
});

describe("a broken tactic file gets an explanation, not a stack trace", () => {
  const e = ATTACK[0];
  it.each([
    ["syntax.ts", "export default function (el: any {\n", /does not parse/],
    ["toploop.js", "let i = 0;\nwhile (true) i++;\nexport default function () {}\n", /did not finish loading within \d+ ms \(an endless loop at the top of the file\?\)/],
    ["await.js", "export default function () {\n  await 1;\n}\n", /does not parse: .*await.* \(line 2\)/],
    ["named.js", "import fs from 'node:fs';\nexport function tactic(el) { return fs ? undefined : el; }\n", /changed none of them/],
    ["typed.js", "export default function (el: any) {}\n", /does not parse[^]*name the file \.ts/],
    ["none.js", "export const x = 1;\n", /exports no function/],
    ["cjs.js", "module.exports = function () {};\n", /ES module/],
    ["imports.ts", "import { Element } from 'ltx';\nexport default function (el: any) { return new Element('x'); }\n", /imports something the lab cannot give it/],
    ["throws.js", "export default function (el) { if (el.name === 'stream:features') throw new TypeError('oops'); }\n", /threw on features.*TypeError: oops/],
    ["odd.js", "export default function () { return 42; }\n", /not an element/],
    // An endless loop is stopped (a try/catch in the tactic cannot hold it) and named, not a hung check.
    ["loops.js", "export default function (el) { if (el.name === 'stream:features') { try { for (;;) {} } catch {} } }\n", /your tactic did not return within \d+ ms \(an endless loop\?\)[^]*stopped your tactic when it did not return, on features/],
  ])("%s", async (name, text, message) => {
    const r = await checkAttack(e, file(name, text), ctx);
    expect(r.solved).toBe(false);
    expect(`${r.summary}\n${r.details.join("\n")}`).toMatch(message);
  });
});
