import { afterAll, describe, expect, it } from "vitest";
import { BIN } from "./helpers.js";
import { type Pane, tmuxPane } from "./tmux.js";

/**
 * The presenter console in a real terminal (tmux), as a speaker uses it, with CI set in the
 * environment as .ci/run sets it: a console asked for in a terminal draws there. A resize in the
 * middle of a scenario (mirroring to a projector) leaves one frame, laid out at the new size.
 */
const panes: Pane[] = [];
afterAll(() => {
  for (const p of panes) p.kill();
});

describe("the console in tmux", () => {
  it("draws with CI set, re-lays itself out at once on a resize, and quits from the list", async () => {
    const pane = tmuxPane("console", ["env", "CI=true", process.execPath, BIN, "console", "starttls-strip"], { columns: 160, rows: 48 });
    panes.push(pane);
    await pane.see("step 1/", 20_000);
    for (let i = 0; i < 5; i++) pane.keys("Space");
    await pane.see("step 6/", 20_000);
    pane.resize(80, 24);
    const small = await pane.see(/^ 3\/\d+ starttls-strip · Act I|xmpp-mitm-lab · 3\/\d+ starttls-strip/m);
    const lines = small.trimEnd().split("\n");
    expect(lines.length).toBeLessThanOrEqual(24);
    // One header, no stale copies of the 160-column frame.
    expect(small.match(/starttls-strip · Act I/g)).toHaveLength(1);
    expect(small).toContain("step 6/");
    for (const l of lines) expect([...l].length).toBeLessThanOrEqual(80);
    pane.keys("End");
    await pane.see("ATTACK SUCCEEDED");
    pane.keys("q");
    await pane.see("▸  3 starttls-strip");
    pane.keys("q");
    for (let i = 0; i < 50 && pane.alive(); i++) await new Promise((r) => setTimeout(r, 100));
    expect(pane.alive()).toBe(false);
  });
});
