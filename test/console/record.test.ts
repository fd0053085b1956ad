import { spawnSync } from "node:child_process";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { castOf } from "../../lab/console/record.js";
import { createRunContext, runScenario } from "../../lab/runner.js";
import { findScenario } from "../../scenarios/index.js";

const strip = (s: string) => s.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, "");

describe("mitm-lab record", () => {
  it("writes an asciicast v2 of every step at the presenter's pace, ending on the verdict", async () => {
    const r = await runScenario(findScenario("starttls-strip")!, await createRunContext());
    const cast = castOf(r, { columns: 100, rows: 30, pace: 2, hold: 6 }, "t", 1_700_000_000).trimEnd().split("\n").map((l) => JSON.parse(l));
    const [header, ...events] = cast;
    expect(header).toEqual({ version: 2, width: 100, height: 30, timestamp: 1_700_000_000, title: "t", env: { TERM: "xterm-256color", SHELL: "/bin/sh" } });
    const frames = events.filter((e) => strip(e[2]).includes("step "));
    // One frame per step, 2 s apart, then the verdict held for 6 s.
    expect(frames.map((e) => strip(e[2]).match(/step (\d+)\//)![1])).toEqual(frames.map((_, i) => String(i + 1)));
    expect(frames.map((e) => e[0])).toEqual(frames.map((_, i) => i * 2));
    expect(events.at(-1)[0] - frames.at(-1)[0]).toBe(6);
    const last = strip(frames.at(-1)[2]);
    expect(last).toContain("✘ ATTACK SUCCEEDED");
    expect(last).toContain("DE89 3704 0044 0532 0130 00");
    expect(last).toContain("GB33 BUKB 2020 1555 5555 55");
    // Every frame is drawn from the top left and never scrolls: 30 lines, no newline at the end.
    for (const e of frames) expect(e[2].split("\r\n")).toHaveLength(30);
  });
});

describe("mitm-lab record, on the command line", () => {
  const BIN = path.resolve(__dirname, "../../dist/mitm-lab.mjs");
  it.each([
    [["record"], /record one scenario: mitm-lab record <id>/],
    [["record", "nope"], /no scenario "nope"/],
    [["record", "plaintext", "--size", "60x20"], /--size wants COLUMNSxROWS, at least 80x24/],
    [["record", "plaintext", "--pace", "0"], /--pace wants the seconds between steps/],
  ])("bad usage %j: exit 2 and one line", (args, message) => {
    const r = spawnSync(process.execPath, [BIN, ...args], { encoding: "utf8", env: { ...process.env, CI: "true" } });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
  });
});

describe("mitm-lab record --set", () => {
  it("records the changed scenario and says which settings differ from the shipped one", async () => {
    const { applySettings } = await import("../../lab/settings.js");
    const s = applySettings(findScenario("starttls-strip")!, ["alice.tls=required"]);
    const r = await runScenario(s, await createRunContext());
    const cast = castOf(r, { columns: 100, rows: 30, pace: 2, hold: 6 }, "t").trimEnd().split("\n").map((l) => JSON.parse(l));
    const last = strip(cast.at(-2)[2]);
    expect(last).toContain("⚙ --set alice.tls=required (shipped: opportunistic)");
    expect(last).toContain("✔ ATTACK FAILED");
    expect(last).not.toContain("GB33");
  });
});
