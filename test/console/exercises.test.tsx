import { describe, expect, it } from "vitest";
import type { ProgressAccess } from "../../lab/console/App.js";
import { EXERCISES } from "../../exercises/index.js";
import { KEY, measure, openConsole } from "./term.js";

/** A progress store in memory: the console reads and counts hints through it. */
function memoryProgress(): ProgressAccess & { hints: Record<string, number> } {
  const hints: Record<string, number> = {};
  const snapshot = () => ({
    "defend-on-path": { status: "solved" as const, hintsUsed: hints["defend-on-path"] ?? 0 },
    ...Object.fromEntries(Object.entries(hints).filter(([id]) => id !== "defend-on-path").map(([id, n]) => [id, { status: "new" as const, hintsUsed: n }])),
  });
  return {
    hints,
    read: snapshot,
    hint(id) {
      hints[id] = (hints[id] ?? 0) + 1;
      return snapshot();
    },
  };
}

describe("the exercises screens", () => {
  it("list the exercises with the student's status, show one's task, and count the hints taken", async () => {
    const progress = memoryProgress();
    const c = openConsole({}, { progress });
    await c.see("e exercises");
    await c.press("e");
    await c.see("Exercises · defend, attack, investigate");
    expect(measure(c.frame())).toMatchObject({ height: 24 });
    expect(measure(c.frame()).width).toBeLessThan(80);
    expect(c.frame()).toMatch(/▸ ✔ solved\s+defend-on-path/);
    expect(c.frame()).toContain(`1 of ${EXERCISES.length} solved`);

    await c.press(KEY.down);
    const second = EXERCISES[1];
    await c.see(new RegExp(`▸ · new\\s+${second.id}`));
    await c.press(KEY.enter);
    await c.see(second.title);
    expect(c.frame()).toContain(`h next hint (${second.hints.length} left)`);
    await c.press("h");
    await c.see("Hint 1 of");
    expect(progress.hints[second.id]).toBe(1);
    expect(c.frame()).toContain(`(${second.hints.length - 1} left)`);

    await c.press("q");
    await c.see("Exercises · defend, attack, investigate");
    await c.press("q");
    await c.see("e exercises");
    c.app.unmount();
  });
});
