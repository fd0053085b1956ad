import { beforeAll, describe, expect, it } from "vitest";
import { initialState, reduce, tally } from "../../lab/console/state.js";
import { buildStory } from "../../lab/story/index.js";
import { createRunContext, type RunResult, runScenario } from "../../lab/runner.js";
import { SCENARIOS } from "../../scenarios/index.js";

const recorded: Record<string, RunResult> = {};
beforeAll(async () => {
  const ctx = await createRunContext();
  for (const s of SCENARIOS) recorded[s.id] = await runScenario(s, ctx);
});

describe("console state (pure)", () => {
  it("never steps outside the trace, and autoplay stops at the end", () => {
    const r = recorded["starttls-strip"];
    let s = reduce(reduce({ ...initialState(), selected: 2 }, { type: "started", id: r.scenario.id }), { type: "finished", result: r, steps: buildStory(r) });
    const n = s.run!.steps.length;
    s = reduce(s, { type: "prev" });
    expect(s.run!.at).toBe(1);
    s = reduce(reduce(s, { type: "toggle-autoplay" }), { type: "end" });
    expect(s.run!.at).toBe(n);
    expect(s.autoplay).toBe(false);
    expect(reduce(s, { type: "next" }).run!.at).toBe(n);
    expect(reduce(s, { type: "first" }).run!.at).toBe(1);
  });

  it("ignores a result that arrives for a run the presenter already left", () => {
    const s = reduce(initialState(), { type: "started", id: "plaintext" });
    expect(reduce(s, { type: "finished", result: recorded["starttls-strip"], steps: [] })).toBe(s);
  });

  it("keeps autoplay speed within bounds, and scrolling within the content", () => {
    let s = initialState();
    for (let i = 0; i < 20; i++) s = reduce(s, { type: "speed", faster: true });
    expect(s.speed).toBe(150);
    expect(reduce(s, { type: "scroll-xml", by: 50, max: 7 }).xmlScroll).toBe(7);
    expect(reduce(s, { type: "scroll-page", by: -3 }).pageScroll).toBe(0);
  });

  it("counts the room right only against runs that followed its answers", () => {
    let s = initialState(true);
    s = reduce(reduce(s, { type: "select", index: 2 }), { type: "predict", answer: "attack-succeeds" });
    s = reduce(reduce(s, { type: "select", index: 1 }), { type: "predict", answer: "attack-succeeds" });
    expect(tally(s)).toEqual({ right: 0, of: 0 });
    s = reduce(s, { type: "recorded", result: recorded["starttls-strip"] });
    s = reduce(s, { type: "recorded", result: recorded["starttls-passive"] });
    expect(tally(s)).toEqual({ right: 1, of: 2 });
  });

  it("turns every scenario's trace into steps in wire order", () => {
    for (const id of Object.keys(recorded)) {
      const steps = buildStory(recorded[id]);
      expect(steps.length).toBeGreaterThanOrEqual(2);
      expect(steps.map((st) => st.first)).toEqual(steps.map((st) => st.first).sort((a, b) => a - b));
    }
  });
});
