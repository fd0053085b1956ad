import { describe, expect, it } from "vitest";
import { BINDINGS, type Command } from "../../lab/console/keys.js";
import { helpLines } from "../../lab/console/help.js";
import { lineText } from "../../lab/console/lines.js";
import { initialState, reduce, type Screen, type State } from "../../lab/console/state.js";
import { buildStory } from "../../lab/story/index.js";
import { createRunContext, runScenario } from "../../lab/runner.js";
import { findScenario } from "../../scenarios/index.js";

/** A state on each screen where every key there has something to do. */
async function states(): Promise<Record<Screen, State>> {
  const r = await runScenario(findScenario("starttls-strip")!, await createRunContext());
  const home = initialState();
  let run = reduce(reduce(home, { type: "started", id: r.scenario.id }), { type: "finished", result: r, steps: buildStory(r) });
  run = reduce(reduce(run, { type: "next" }), { type: "next" });
  return {
    home,
    predict: reduce(initialState(true), { type: "ask" }),
    run: { ...run, xml: true, xmlScroll: 2 },
    compare: { ...reduce(home, { type: "compare" }), pageScroll: 2 },
    help: { ...reduce(home, { type: "help" }), pageScroll: 2 },
    exercises: reduce(home, { type: "exercises" }),
    exercise: { ...reduce(reduce(home, { type: "exercises" }), { type: "exercise" }), pageScroll: 2 },
  };
}

const KEYS = {
  "?": { input: "?", key: {} },
  "q  esc": { input: "q", key: {} },
  "↑ ↓  k j": { input: "", key: { downArrow: true } },
  enter: { input: "\r", key: { return: true } },
  c: { input: "c", key: {} },
  "y  n": { input: "y", key: {} },
  "space  →": { input: " ", key: {} },
  "←": { input: "", key: { leftArrow: true } },
  home: { input: "", key: { home: true } },
  "end  e": { input: "", key: { end: true } },
  a: { input: "a", key: {} },
  "+  -": { input: "+", key: {} },
  x: { input: "x", key: {} },
  m: { input: "m", key: {} },
  "↑ ↓  PgUp PgDn": { input: "", key: { pageUp: true } },
  r: { input: "r", key: {} },
  n: { input: "n", key: {} },
  e: { input: "e", key: {} },
  h: { input: "h", key: {} },
} as const;

describe("every key in help does something where help says it works", () => {
  it.each(BINDINGS.flatMap((b) => b.on.map((on) => [b.keys, on, b] as const)))("%s on %s", async (keys, on, b) => {
    const s = (await states())[on];
    const press = { ...KEYS[keys as keyof typeof KEYS], rows: 24 };
    expect(b.match(press)).toBe(true);
    const cmds: Command[] = b.run(s, press);
    expect(cmds.length).toBeGreaterThan(0);
    const effects = cmds.filter((c) => c.type === "quit" || c.type === "start" || c.type === "fill" || c.type === "read-progress" || c.type === "hint" || c.type === "handout");
    const actions = cmds.filter((c) => !(effects as Command[]).includes(c));
    if (actions.length > 0) {
      const after = actions.reduce((st, c) => reduce(st, c as Parameters<typeof reduce>[1]), s);
      expect(after).not.toEqual(s);
    }
  });

  it("help lists every key, and at 80×24 scrolls to show them all", async () => {
    const s = (await states()).help;
    const all = [0, 5, 10, 20].flatMap((pageScroll) => helpLines({ ...s, pageScroll }, 79, 24).lines.map(lineText)).join("\n");
    for (const b of BINDINGS) expect(all).toContain(b.keys);
    expect(helpLines(s, 79, 24).lines).toHaveLength(24);
  });
});
