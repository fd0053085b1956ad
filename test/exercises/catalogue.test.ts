import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { TACTICS } from "../../attacker/index.js";
import { EXERCISES } from "../../exercises/index.js";
import { checkAllowed } from "../../lab/exercises/defend.js";
import { applySettings } from "../../lab/settings.js";
import { findScenario } from "../../scenarios/index.js";

describe("the exercise catalogue (exercises/)", () => {
  it("has at least twelve exercises, of all three kinds", () => {
    expect(EXERCISES.length).toBeGreaterThanOrEqual(12);
    for (const kind of ["defend", "attack", "investigate"]) expect(EXERCISES.filter((e) => e.kind === kind).length, kind).toBeGreaterThanOrEqual(3);
  });

  it("has unique ids that are not subcommand names", () => {
    const ids = EXERCISES.map((e) => e.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).not.toContain("check");
    expect(ids).not.toContain("report");
    for (const id of ids) expect(id).toMatch(/^(defend|attack|investigate)-[a-z0-9-]+$/);
  });

  it.each(EXERCISES.map((e) => [e.id, e] as const))("%s: hints progress, scenarios exist, texts are there", (_, e) => {
    expect(e.hints.length).toBeGreaterThanOrEqual(3);
    expect(e.task.length).toBeGreaterThan(100);
    expect(e.lesson.length).toBeGreaterThan(50);
    expect(e.teaching.length).toBeGreaterThan(50);
    for (const s of e.scenarios) expect(findScenario(s), s).toBeDefined();
    expect(e.id.startsWith(e.kind)).toBe(true);
  });

  it.each(EXERCISES.flatMap((e) => (e.kind === "defend" ? [[e.id, e] as const] : [])))("%s: its settings, solution and wrong answers are valid settings it allows", (_, e) => {
    const base = findScenario(e.base)!;
    expect(base).toBeDefined();
    for (const p of [...e.attackers, ...e.honest]) {
      for (const set of p.set) expect(set).toMatch(/^mallory\./);
      expect(() => applySettings(base, [...(e.baseSet ?? []), ...e.solution, ...p.set])).not.toThrow();
    }
    expect(() => checkAllowed(e, e.solution)).not.toThrow();
    for (const w of e.wrong) expect(() => checkAllowed(e, w.set)).not.toThrow();
    expect(e.wrong.length).toBeGreaterThanOrEqual(2);
    expect(e.honest.length).toBeGreaterThanOrEqual(1);
  });

  it.each(EXERCISES.flatMap((e) => (e.kind === "attack" ? [[e.id, e] as const] : [])))("%s: its victim, mallory's moves and its tactic files exist", (_, e) => {
    expect(findScenario(e.victim)).toBeDefined();
    for (const b of e.builtins) expect(TACTICS).toContain(b);
    for (const f of [...e.solution, ...e.wrong.map((w) => w.file)]) expect(fs.existsSync(path.resolve(__dirname, "../../exercises/solutions", f)), f).toBe(true);
    expect(e.solution.length).toBeGreaterThanOrEqual(1);
    expect(e.wrong.length).toBeGreaterThanOrEqual(1);
  });
});
