import { beforeAll, describe, expect, it } from "vitest";
import type { RunResult } from "../../lab/runner.js";

/**
 * NO_COLOR on a rendered frame. Ink's colour library decides at import whether the terminal takes
 * colour, and a test runner's stdout is no terminal; so colour is forced before Ink is loaded,
 * and the same frame is drawn with and without NO_COLOR: the first proves the test could fail.
 */
let drawFinal: () => Promise<string>;

beforeAll(async () => {
  process.env.FORCE_COLOR = "1";
  const { renderToString } = await import("ink");
  const { LinesView } = await import("../../lab/console/LinesView.js");
  const { frameFor } = await import("../../lab/console/frame.js");
  const { initialState, reduce } = await import("../../lab/console/state.js");
  const { buildStory } = await import("../../lab/story/index.js");
  const { createRunContext, runScenario } = await import("../../lab/runner.js");
  const { findScenario } = await import("../../scenarios/index.js");
  const r: RunResult = await runScenario(findScenario("starttls-strip")!, await createRunContext());
  drawFinal = async () => {
    let s = reduce(initialState(true), { type: "select", index: r.scenario.n - 1 });
    s = reduce(reduce(s, { type: "predict", answer: "attack-fails" }), { type: "started", id: r.scenario.id });
    s = reduce(reduce(s, { type: "finished", result: r, steps: buildStory(r) }), { type: "end" });
    const f = frameFor(s, 99, 30);
    return renderToString(<LinesView lines={f.lines} width={100} height={30} />, { columns: 100 });
  };
});

// Foreground and background colour codes (30-49, 90-107, 256 and true colour); bold and inverse may stay.
const COLOUR = /\x1b\[(?:3[0-9]|4[0-9]|9[0-7]|10[0-7])(?:;[0-9;]*)?m/;

describe("NO_COLOR", () => {
  it("takes every colour out of the final frame, and every meaning stays in its symbol", async () => {
    delete process.env.NO_COLOR;
    expect(await drawFinal()).toMatch(COLOUR);
    process.env.NO_COLOR = "1";
    try {
      const f = await drawFinal();
      expect(f).not.toMatch(COLOUR);
      for (const symbol of ["✘ ATTACK SUCCEEDED", "★", "✎", "✘ wrong", "›"]) expect(f).toContain(symbol);
    } finally {
      delete process.env.NO_COLOR;
    }
  });
});
