import { render } from "ink-testing-library";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { App } from "../lab/console/App.js";
import { initialState, reduce } from "../lab/console/state.js";
import { toSteps } from "../lab/console/steps.js";
import { color } from "../lab/console/theme.js";
import { createRunContext, type RunResult, runScenario } from "../lab/runner.js";
import { findScenario, SCENARIOS } from "../scenarios/index.js";

const KEY = { down: "\u001B[B", up: "\u001B[A", left: "\u001B[D", right: "\u001B[C", enter: "\r" };
const recorded: Record<string, RunResult> = {};

beforeAll(async () => {
  const ctx = await createRunContext();
  for (const s of SCENARIOS) recorded[s.id] = await runScenario(s, ctx);
});

/** The console, fed recorded real runs (the runs themselves are tested elsewhere). */
function console80x24(predict = false) {
  const runs: string[] = [];
  const app = render(
    <App
      predict={predict}
      size={{ columns: 80, rows: 24 }}
      runScenario={async (s) => {
        runs.push(s.id);
        return recorded[s.id];
      }}
    />,
  );
  const frame = () => app.lastFrame() ?? "";
  const press = async (...keys: string[]) => {
    for (const k of keys) {
      app.stdin.write(k);
      await new Promise((r) => setTimeout(r, 10)); // let React render between keys
    }
  };
  const see = (text: string) => vi.waitFor(() => expect(frame()).toContain(text), { timeout: 3000 });
  /** Move the highlight to scenario n, one confirmed key at a time (keys must not coalesce). */
  const select = async (n: number) => {
    for (let i = 2; i <= n; i++) {
      await press(KEY.down);
      await see(`▸ ${String(i).padStart(2)} `);
    }
  };
  return { app, frame, press, see, select, runs };
}

const widest = (frame: string) => Math.max(...frame.split("\n").map((l) => l.replace(/\x1b\[[0-9;]*m/g, "").length));

describe("the presenter console", () => {
  it("lists the scenarios by act, with the highlighted one's lesson and mallory's capability", async () => {
    const c = console80x24();
    await c.see("▸  1 plaintext");
    expect(c.frame()).toContain("Act III");
    expect(c.frame()).toContain("mallory: on-path only");
    await c.select(3);
    await c.see("▸  3 starttls-strip");
    expect(c.frame()).toContain(findScenario("starttls-strip")!.lesson.slice(0, 40));
    expect(widest(c.frame())).toBeLessThanOrEqual(80);
    c.app.unmount();
  });

  it("steps through starttls-strip forwards and backwards, then shows the verdict and mallory's notebook", async () => {
    const c = console80x24();
    await c.select(3);
    await c.press(KEY.enter);
    await c.see("step 1/");
    expect(c.runs).toEqual(["starttls-strip"]);
    await c.press(" ");
    await c.see("✂ removed <starttls/>");
    expect(c.frame()).toContain("mallory deleted <starttls/>"); // the scenario's narration for this step
    await c.press(KEY.left);
    await c.see("step 1/");
    expect(c.frame()).not.toContain("✂ removed");
    await c.press("e");
    await c.see("ATTACK SUCCEEDED");
    expect(c.frame()).toContain(`★ alice / "${recorded["starttls-strip"].loot.credentials[0].password}"`);
    expect(c.frame()).toContain("✎ 1 rewritten");
    expect(c.frame()).toContain("Lesson: An on-path attacker deletes <starttls/>");
    expect(widest(c.frame())).toBeLessThanOrEqual(80);
    c.app.unmount();
  });

  it("runs directtls-pinned: alice's refusal and an empty notebook", async () => {
    const c = console80x24();
    await c.select(12);
    await c.press(KEY.enter);
    await c.see("step 1/");
    await c.press("e");
    await c.see("ATTACK FAILED");
    expect(c.frame()).toContain("✘ PIN_MISMATCH");
    expect(c.frame()).toContain("notebook: (empty)");
    c.app.unmount();
  });

  it("shows the raw XML of a step, and compares the runs so far", async () => {
    const c = console80x24();
    await c.select(3);
    await c.press(KEY.enter);
    await c.see("step 1/");
    await c.press("x");
    await c.see("raw XML of this step");
    expect(c.frame()).toContain("<stream:stream");
    await c.press("c");
    await c.see("Compare");
    expect(c.frame()).toMatch(/starttls-strip\s+✘ yes ✘ yes ✘ yes/);
    await c.press("q");
    await c.see("step ");
    c.app.unmount();
  });

  it("in predict mode asks the room first and says whether the room was right", async () => {
    const c = console80x24(true);
    await c.select(3);
    await c.press(KEY.enter);
    await c.see("Ask the room");
    expect(c.runs).toEqual([]); // nothing runs before the room has answered
    await c.press("n");
    await c.see("step 1/");
    await c.press("e");
    await c.see("the room predicted otherwise ✘");
    c.app.unmount();
  });

  it("fills the whole matrix from the compare view with a", async () => {
    const c = console80x24();
    await c.press("c");
    await c.see("(nothing run yet)");
    await c.press("a");
    await c.see("channel-binding");
    await c.see("q back · ? help");
    expect(c.runs).toHaveLength(16);
    expect(c.frame()).toMatch(/plaintext\s+✘ yes ✘ yes ✔ no  ✉ sent it/);
    expect(c.frame()).toMatch(/starttls-required-client\s+✔ no  ✔ no  ✔ no  ✋ STARTTLS_UNAVAILABLE\n/);
    expect(widest(c.frame())).toBeLessThanOrEqual(80);
    c.app.unmount();
  });

  it("autoplays: steps advance by themselves, faster with +", async () => {
    const c = console80x24();
    await c.select(3);
    await c.press(KEY.enter);
    await c.see("step 1/");
    await c.press("+", "+", "+", "+", "a");
    await c.see("▶ auto");
    await c.see("step 3/");
    await c.press("a"); // and stops again
    c.app.unmount();
  });

  it("opens help with ? and goes back with q", async () => {
    const c = console80x24();
    await c.press("?");
    await c.see("previous step (replays the recorded trace)");
    await c.press("q");
    await c.see("▸  1 plaintext");
    c.app.unmount();
  });
});

describe("console state (pure)", () => {
  it("never steps outside the trace, and autoplay stops at the end", () => {
    const r = recorded["starttls-strip"];
    let s = reduce(reduce({ ...initialState(), selected: 2 }, { type: "started", id: r.scenario.id }), { type: "finished", result: r });
    const n = s.run!.steps.length;
    s = reduce(s, { type: "prev" });
    expect(s.run!.at).toBe(1);
    s = reduce(reduce(s, { type: "toggle-autoplay" }), { type: "end" });
    expect(s.run!.at).toBe(n);
    expect(s.autoplay).toBe(false);
    expect(reduce(s, { type: "next" }).run!.at).toBe(n);
  });
  it("ignores a result that arrives for a run the presenter already left", () => {
    const s = reduce(initialState(), { type: "started", id: "plaintext" });
    expect(reduce(s, { type: "finished", result: recorded["starttls-strip"] })).toBe(s);
  });
  it("carries no colour under NO_COLOR (meaning stays in the symbols)", () => {
    const before = process.env.NO_COLOR;
    process.env.NO_COLOR = "1";
    expect(color("red")).toBeUndefined();
    delete process.env.NO_COLOR;
    expect(color("red")).toBe("red");
    if (before !== undefined) process.env.NO_COLOR = before;
  });

  it("keeps autoplay speed within bounds", () => {
    let s = initialState();
    for (let i = 0; i < 20; i++) s = reduce(s, { type: "speed", faster: true });
    expect(s.speed).toBe(150);
  });
  it("turns every scenario's trace into steps whose text starts with a symbol or a label", () => {
    for (const id of Object.keys(recorded)) {
      const steps = toSteps(recorded[id].scenario, recorded[id].events);
      expect(steps.length).toBeGreaterThanOrEqual(2);
      expect(steps.every((st) => st.seq >= 0 && st.text.length > 0)).toBe(true);
    }
    expect(SCENARIOS).toHaveLength(16);
  });
});
