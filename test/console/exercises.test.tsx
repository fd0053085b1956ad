import { describe, expect, it, vi } from "vitest";
import { type ProgressAccess, storeProgress } from "../../lab/console/App.js";
import { ProgressStore } from "../../lab/exercises/progress.js";
import { tempConfig } from "../exercises/helpers.js";
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

describe("the exercises at 80 columns", () => {
  it("show the chosen title whole under the list, and wrap a task's two-column lines under their second column", async () => {
    const c = openConsole({}, { progress: memoryProgress() });
    await c.see("e exercises");
    await c.press("e");
    await c.see("Exercises · defend, attack, investigate");
    await c.press(KEY.down);
    const second = EXERCISES[1];
    await c.see(new RegExp(`▸ · new\\s+${second.id}`));
    // Its row is cut at 80 columns; the title is whole below the list.
    expect(c.frame()).toContain(` ${second.title}\n`);
    expect(measure(c.frame())).toMatchObject({ height: 24 });
    await c.press(KEY.up, KEY.enter);
    await c.see("Look at:");
    await c.press(KEY.pageDown);
    await c.see("Stuck?");
    const lines = c.frame().split("\n");
    const at = lines.findIndex((l) => /^ {3}mitm-lab run starttls-strip {2,}\S/.test(l));
    expect(at).toBeGreaterThan(0);
    // The description's continuation starts under the description, not at the margin.
    const col = lines[at].search(/ {2,}\S/) + lines[at].slice(lines[at].search(/ {2,}\S/)).search(/\S/);
    expect(lines[at + 1].slice(0, col).trim()).toBe("");
    expect(lines[at + 1].length).toBeGreaterThan(col);
    expect(measure(c.frame()).width).toBeLessThan(80);
    c.app.unmount();
  });
});

describe("checking from the console (c), where a classroom student has no shell", () => {
  it("types settings for a defend exercise, checks them as exercise check does, and records the result", async () => {
    const cfg = tempConfig();
    const store = () => new ProgressStore(cfg.env);
    const c = openConsole({}, { progress: storeProgress(store) });
    const until = (text: string | RegExp) => vi.waitFor(() => (typeof text === "string" ? expect(c.frame()).toContain(text) : expect(c.frame()).toMatch(text)), { timeout: 30_000 });
    await c.see("e exercises");
    await c.press("e", KEY.enter); // the first: defend-on-path
    await c.see("c check it");

    // A mistake is one line, as on the command line, and not counted.
    await c.press("c");
    await c.see("--set ▏");
    await c.press("alice.tls=sometimes", KEY.enter);
    await until("✘ alice.tls must be one of off, opportunistic, required, direct");
    expect(store().of("defend-on-path").attempts).toBe(0);

    // Typing, erasing, leaving: esc drops the line.
    await c.press("c", "xy", KEY.esc);
    await c.see("c check it");

    await c.press("c", "alice.allowPlainWithoutTls=false", KEY.enter);
    await until("✘ defend-on-path: not yet: 1 of 5 attackers still get something");
    await c.see("A hint: press h");
    expect(store().of("defend-on-path")).toMatchObject({ attempts: 1 });

    await c.press("c", "--set alice.tls=required", KEY.enter);
    await until("✔ defend-on-path: solved");
    expect(store().of("defend-on-path")).toMatchObject({ attempts: 2, solvedAt: expect.any(String) });
    await c.press("q");
    await c.see(/▸ ✔ solved\s+defend-on-path/);
    c.app.unmount();
    cfg.cleanup();
  });
});
