import stringWidth from "string-width";
import { beforeAll, describe, expect, it } from "vitest";
import { diagramLines, geometry, laneTitles } from "../../lab/console/diagram.js";
import { lineText } from "../../lab/console/lines.js";
import { createRunContext, type RunResult, runScenario } from "../../lab/runner.js";
import { buildStory } from "../../lab/story/index.js";
import { findScenario } from "../../scenarios/index.js";

const recorded: Record<string, RunResult> = {};
beforeAll(async () => {
  const ctx = await createRunContext();
  for (const id of ["starttls-strip", "channel-binding", "directtls-fallback", "starttls-injection"]) recorded[id] = await runScenario(findScenario(id)!, ctx);
});

/** The whole diagram of a run at a width, as plain text lines. */
function draw(id: string, w: number): string[] {
  const steps = buildStory(recorded[id]);
  return diagramLines(steps, steps.length, w, 1000).map(lineText);
}

/** The character at a terminal cell of a line (cells, not UTF-16 units). */
function at(line: string, col: number): string {
  let c = 0;
  for (const ch of line) {
    if (c === col) return ch;
    c += stringWidth(ch);
  }
  return "";
}

describe("the sequence diagram", () => {
  it.each([79, 99, 159])("at %i columns, an arrow crosses from alice's lifeline through mallory's to the server's", (w) => {
    const g = geometry(w);
    const auth = draw("starttls-strip", w).find((l) => l.includes("auth PLAIN"))!;
    expect(at(auth, g.x.alice)).toBe("├");
    expect(at(auth, g.x.mallory)).toBe("★");
    expect(at(auth, g.x.server - 1)).toBe("▶");
    expect(at(auth, g.x.server)).toBe("│");
    // The strip: before on the server's side of mallory, after on alice's, ✂ where it crosses her.
    const strip = draw("starttls-strip", w).find((l) => l.includes("features [PLAIN]"))!;
    expect(at(strip, g.x.mallory)).toBe("✂");
    expect(strip.indexOf("features [PLAIN]")).toBeLessThan(strip.indexOf("✂"));
    expect(strip.indexOf("features [starttls, PLAIN]")).toBeGreaterThan(strip.indexOf("✂"));
    for (const l of draw("starttls-strip", w)) expect(stringWidth(l)).toBeLessThanOrEqual(w);
  });

  it.each([79, 99, 159])("at %i columns, the server's refusal stays in the server's lane", (w) => {
    const g = geometry(w);
    const lines = draw("channel-binding", w);
    const first = lines.findIndex((l) => l.includes("✘ refused alice"));
    expect(first).toBeGreaterThanOrEqual(0);
    const end = lines.findIndex((l, i) => i > first && /[─═◀▶]/.test(l));
    expect(end - first).toBeGreaterThanOrEqual(1);
    for (const l of lines.slice(first, end)) {
      // Every character of the refusal is right of mallory's lifeline.
      expect(stringWidth(l.slice(0, l.search(/[✘a-z]/)))).toBeGreaterThan(g.x.mallory);
    }
  });

  it("draws a blocked direct-TLS connection as a failed line ending at mallory", () => {
    const w = 79;
    const g = geometry(w);
    const [line] = draw("directtls-fallback", w);
    expect(line).toContain("connection");
    expect(at(line, g.x.mallory)).toBe("✘");
    expect(draw("directtls-fallback", w).join("\n")).not.toMatch(/ℹ Direct TLS to/);
  });

  it.each([79, 159])("at %i columns, a lost arrow says who never read it, as the narrator does", (w) => {
    const g = geometry(w);
    const auth = draw("starttls-injection", w).find((l) => l.includes("auth SCRAM-SHA-256"))!;
    expect(auth).toContain("╌");
    expect(auth).toContain("server never read it");
    expect(auth).not.toContain("▶");
    expect(stringWidth(auth.slice(0, auth.indexOf("server never read it")))).toBeGreaterThan(g.x.mallory);
  });

  it("puts the lane titles over their lifelines", () => {
    const w = 99;
    const t = lineText(laneTitles(w));
    expect(t.indexOf("alice")).toBeLessThan(t.indexOf("mallory"));
    const m = geometry(w).x.mallory;
    expect(Math.abs(t.indexOf("mallory (attacker)") + 9 - m)).toBeLessThanOrEqual(1);
  });
});
