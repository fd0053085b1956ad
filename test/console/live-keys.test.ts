import { describe, expect, it } from "vitest";
import { liveHelpLines } from "../../lab/console/live/help.js";
import { LIVE_BINDINGS, type LiveCommand } from "../../lab/console/live/keys.js";
import { type LiveAction, initialLiveState, type LiveScreen, type LiveState, reduceLive } from "../../lab/console/live/state.js";
import { lineText } from "../../lab/console/lines.js";
import type { LabEvent } from "../../lab/core/events.js";

/** Two sessions, so that choosing and cycling have somewhere to go; the first open at step 2 of 5. */
const events = ["m1", "m2"].flatMap((conn, i) => [{ kind: "connected", peer: `127.0.0.1:${4000 + i}`, via: "tcp", node: "mallory", conn, seq: i, t: 0 }]) as LabEvent[];
const STEPS = 5;
function states(): Record<LiveScreen, LiveState> {
  const list = reduceLive(reduceLive(initialLiveState(), { type: "events", batch: events }), { type: "touch" });
  const opened = reduceLive(reduceLive(list, { type: "open", index: 0 }), { type: "next", max: STEPS });
  return {
    list: { ...list, stack: ["list"] },
    session: { ...reduceLive(opened, { type: "next", max: STEPS }), xml: true, xmlScroll: 2 },
    help: { ...reduceLive(list, { type: "help" }), pageScroll: 2 },
  };
}

const KEYS = {
  "?": { input: "?", key: {} },
  "q  esc": { input: "q", key: {} },
  "↑ ↓  k j": { input: "", key: { downArrow: true } },
  enter: { input: "\r", key: { return: true } },
  "tab  shift-tab": { input: "\t", key: { tab: true } },
  "space  →": { input: " ", key: {} },
  "←": { input: "", key: { leftArrow: true } },
  home: { input: "", key: { home: true } },
  "end  e": { input: "e", key: {} },
  "f  a": { input: "f", key: {} },
  "+  -": { input: "-", key: {} },
  x: { input: "x", key: {} },
  m: { input: "m", key: {} },
  "↑ ↓  PgUp PgDn": { input: "", key: { pageUp: true } },
} as const;

describe("every key in the live help does something where it says it works", () => {
  it.each(LIVE_BINDINGS.flatMap((b) => b.on.map((on) => [b.keys, on, b] as const)))("%s on %s", (keys, on, b) => {
    const s = states()[on];
    const press = { ...KEYS[keys as keyof typeof KEYS], rows: 24, steps: STEPS };
    expect(b.match(press)).toBe(true);
    const cmds: LiveCommand[] = b.run(s, press);
    expect(cmds.length).toBeGreaterThan(0);
    const actions = cmds.filter((c): c is LiveAction => c.type !== "quit" && c.type !== "handout");
    if (actions.length) expect(actions.reduce(reduceLive, s)).not.toEqual(s);
  });

  it("help lists every binding", () => {
    const text = liveHelpLines({ ...states().help, pageScroll: 0 }, 100, 80).lines.map(lineText).join("\n");
    for (const b of LIVE_BINDINGS) expect(text).toContain(b.does.slice(0, 40));
  });
});

describe("following a session", () => {
  it("opens the newest session by itself until a key is pressed, then stays put", () => {
    let s = reduceLive(initialLiveState(), { type: "events", batch: [events[0]] });
    expect(s.view?.key).toBe("1:m1");
    s = reduceLive(s, { type: "events", batch: [events[1]] });
    expect(s.view?.key).toBe("1:m2");
    s = reduceLive(reduceLive(s, { type: "touch" }), { type: "cycle", by: 1 });
    expect(s.view?.key).toBe("1:m1");
    s = reduceLive(s, { type: "events", batch: [{ ...events[0], conn: "m3", seq: 2 }] });
    expect(s.view?.key).toBe("1:m1");
  });

  it("advances one step per tick up to the latest, pauses on a step back, and follows again from now", () => {
    let s = reduceLive(initialLiveState(), { type: "events", batch: [events[0]] });
    for (let i = 0; i < 10; i++) s = reduceLive(s, { type: "tick", max: 3 });
    expect(s.view).toMatchObject({ at: 3, following: true });
    s = reduceLive(s, { type: "prev" });
    expect(s.view).toMatchObject({ at: 2, following: false });
    expect(reduceLive(s, { type: "tick", max: 6 }).view?.at).toBe(2);
    s = reduceLive(s, { type: "now", max: 6 });
    expect(s.view).toMatchObject({ at: 6, following: true });
  });
});
