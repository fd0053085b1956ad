import { beforeAll, describe, expect, it } from "vitest";
import { createRunContext, type RunResult, runScenario } from "../../lab/runner.js";
import { findScenario, MESSAGE, SCENARIOS } from "../../scenarios/index.js";
import { KEY, manualClock, measure, openConsole } from "./term.js";

const recorded: Record<string, RunResult> = {};
const DE = "DE89 3704 0044 0532 0130 00";
const GB = "GB33 BUKB 2020 1555 5555 55";

beforeAll(async () => {
  const ctx = await createRunContext();
  for (const s of SCENARIOS) recorded[s.id] = await runScenario(s, ctx);
});

const indexOf = (id: string) => SCENARIOS.findIndex((s) => s.id === id);

/** Step (space) until the frame shows `text`; a run has fewer than 60 steps. */
async function stepUntil(c: ReturnType<typeof openConsole>, text: string) {
  for (let i = 0; i < 60 && !c.frame().includes(text); i++) await c.press(" ");
  expect(c.frame()).toContain(text);
}

/** Given a console, move the highlight to a scenario, one confirmed key at a time. */
async function choose(c: ReturnType<typeof openConsole>, id: string) {
  for (let i = 1; i <= indexOf(id); i++) {
    await c.press(KEY.down);
    await c.see(`▸ ${String(SCENARIOS[i].n).padStart(2)} ${SCENARIOS[i].id}`);
  }
}

describe("the scenario list", () => {
  it("fits 80×24 exactly, scrolls to keep the choice in view, and says how many are hidden", async () => {
    const c = openConsole(recorded);
    await c.see("▸  1 plaintext");
    expect(measure(c.frame())).toMatchObject({ height: 24 });
    expect(measure(c.frame()).width).toBeLessThan(80);
    expect(c.frame()).toMatch(/↓ \d+ more/);
    await choose(c, "channel-binding");
    expect(c.frame()).toMatch(/↑ \d+ more/);
    expect(c.frame()).toContain("Act IV"); // the next act's heading; Act III's has scrolled away
    // At 80 columns the chosen scenario's title and lesson are shown whole under the list.
    expect(c.frame().replace(/\s+/g, " ")).toContain(findScenario("channel-binding")!.lesson);
    c.app.unmount();
  });

  it("keeps the keys on the bottom row when the whole list fits (160×48)", async () => {
    const c = openConsole(recorded, { columns: 160, rows: 48 });
    await c.see("26 downgrade-protection");
    const lines = c.frame().split("\n");
    expect(lines).toHaveLength(48);
    expect(lines[47]).toContain("q quit");
    expect(lines[46]).toContain("mallory: on-path only");
    c.app.unmount();
  });

  it("shows titles beside the ids from 100 columns", async () => {
    const c = openConsole(recorded, { columns: 100, rows: 30 });
    await c.see("starttls-strip");
    expect(c.frame()).toMatch(/3 starttls-strip\s+✘ STARTTLS stripped/);
    c.app.unmount();
  });
});

describe("a run", () => {
  it("steps through starttls-strip and ends on the verdict, the notebook and the lesson, both IBANs whole", async () => {
    const c = openConsole(recorded, { columns: 100, rows: 30 });
    await choose(c, "starttls-strip");
    await c.press(KEY.enter);
    await c.see("step 1/");
    expect(c.runs).toEqual(["starttls-strip"]);
    await stepUntil(c, "✂ removed <starttls/>");
    expect(c.frame()).toContain("mallory deleted <starttls/>"); // the scenario's narration for this step
    await c.press(KEY.home);
    await c.see("step 1/");
    expect(c.frame()).not.toContain("✂ removed");
    await c.press(KEY.end);
    await c.see("ATTACK SUCCEEDED");
    const f = c.frame();
    expect(f).toContain(`★ alice's password: "${recorded["starttls-strip"].loot.credentials[0].password}"`);
    expect(f).toContain(`"${MESSAGE}"`);
    expect(f).toContain(DE);
    expect(f).toContain(GB);
    expect(f).toContain("Lesson: An on-path attacker deletes <starttls/>");
    expect(measure(f)).toMatchObject({ height: 30 });
    expect(measure(f).width).toBeLessThan(100);
    c.app.unmount();
  });

  it("notes the message read on the step that sends it, not on the presence before it", async () => {
    // alice's presence reaches the server after her message has left her: the notebook follows
    // the steps drawn, not the highest seq among them.
    const c = openConsole(recorded, { startWith: "starttls-strip" });
    await c.see("step 1/");
    await stepUntil(c, "› ├── presence");
    expect(c.frame()).not.toContain("👁 read");
    await c.press(" ");
    await c.see("› ├── message → bob");
    expect(c.frame()).toContain(`👁 read "${MESSAGE}"`);
    c.app.unmount();
  });

  it("at 80 columns, a header with a long capability drops the act whole, not to '· …'", async () => {
    const c = openConsole(recorded, { startWith: "jabber-ru-2023" });
    await c.see("step 1/");
    const [head] = c.frame().split("\n");
    expect(head).toMatch(/^ 22\/\d+ jabber-ru-2023 +mallory: holds a certificate from a CA alice trusts/);
    expect(head).not.toContain("…");
    c.app.unmount();
  });

  it("keeps both IBANs whole in the final frame at 80×24 too", async () => {
    const c = openConsole(recorded, { startWith: "starttls-strip" });
    await c.see("step 1/");
    await c.press("e");
    await c.see("ATTACK SUCCEEDED");
    expect(c.frame()).toContain(DE);
    expect(c.frame()).toContain(GB);
    expect(measure(c.frame()).width).toBeLessThan(80);
    c.app.unmount();
  });

  it("never cuts a message body: whole at 80, 100 and 160 columns, both IBANs whole in the diagram", async () => {
    for (const columns of [80, 100, 160]) {
      const c = openConsole(recorded, { startWith: "starttls-strip", columns, rows: 40 });
      await c.see("step 1/");
      await c.press("e");
      await c.see("ATTACK SUCCEEDED");
      const diagram = c.frame().slice(0, c.frame().indexOf(" ▸ "));
      expect(diagram).toContain(`sent:      "${MESSAGE}"`);
      expect(diagram).toContain(`✎ arrives: "Please wire 100 EUR to ${GB}"`);
      expect(diagram).toContain(`"Please wire 100 EUR to ${GB}"`); // what bob received, under the server's lane
      c.app.unmount();
    }
  });

  it("takes keys typed faster than a frame, arriving as one chunk, one press each", async () => {
    const c = openConsole(recorded, { startWith: "starttls-strip" });
    await c.see("step 1/");
    await c.press("   ");
    await c.see("step 4/");
    c.app.unmount();
  });

  it("runs directtls-pinned: alice's refusal and an empty notebook", async () => {
    const c = openConsole(recorded, { startWith: "directtls-pinned" });
    await c.see("step 1/");
    await c.press("e");
    await c.see("ATTACK FAILED");
    expect(c.frame()).toContain("✘ PIN_MISMATCH");
    expect(c.frame()).toContain("notebook: (empty)");
    c.app.unmount();
  });

  it("autoplays on the injected clock: steps advance by themselves and stop at the verdict", async () => {
    const c = openConsole(recorded, { startWith: "starttls-strip" });
    await c.see("step 1/");
    await c.press("a");
    await c.see("▶ auto");
    const clock = c.clock as ReturnType<typeof manualClock>;
    await expect.poll(clock.pending).toBe(1);
    clock.tick();
    await c.see("step 2/");
    await expect.poll(clock.pending).toBe(1);
    clock.tick();
    await c.see("step 3/");
    await c.press("a"); // and stops again
    await c.see(/step 3\/\d+ ·(?! ▶)/);
    c.app.unmount();
  });
});

describe("the XML pane", () => {
  it("shows the whole before and after of the strip step, marks what mallory removed, and scrolls", async () => {
    const c = openConsole(recorded, { startWith: "starttls-strip" });
    await c.see("step 1/");
    await stepUntil(c, "✂ removed <starttls/>");
    await c.press("x");
    await c.see("XML of this step");
    expect(c.frame()).toContain("before: what the server sent");
    expect(c.frame()).toMatch(/✂- +<starttls xmlns="urn:ietf:params:xml:ns:xmpp-tls"\/>/);
    // Scroll to the end: the "after" is complete, down to its closing tag.
    for (let i = 0; i < 3; i++) await c.press(KEY.pageDown);
    await c.see("after: what mallory passed on to alice");
    const pane = c.frame().slice(c.frame().indexOf("after: what mallory"));
    const after = pane.slice(0, pane.indexOf("───"));
    expect(after).toContain("<mechanism>PLAIN</mechanism>");
    expect(after).toContain("</stream:features>");
    expect(after).not.toContain("<starttls");
    await c.press(KEY.pageUp, KEY.pageUp, KEY.pageUp);
    await c.see(/XML of this step · lines 1-/);
    c.app.unmount();
  });

  it("shows mallory's rewrite before and after, and says when no XML crossed the wire", async () => {
    const c = openConsole(recorded, { startWith: "starttls-strip", columns: 100, rows: 40 });
    await c.see("step 1/");
    await c.press("x");
    await stepUntil(c, "✎ rewrites the body");
    const f = c.frame();
    expect(f).toContain(`<body>Please wire 100 EUR to ${DE}</body>`);
    expect(f).toContain(`<body>Please wire 100 EUR to ${GB}</body>`);
    await stepUntil(c, "✉ bob receives the message");
    await c.see("no XML on the wire at this step");
    c.app.unmount();
  });
});

describe("predict mode keeps the secret until the room has answered", () => {
  const outcomeWords = /✘|✔|attack works|alice is safe|ATTACK|expected:|Lesson/;

  it("shows no mark, title, expected verdict or lesson on the list or the question", async () => {
    const c = openConsole(recorded, { predict: true, columns: 100, rows: 30 });
    await c.see("▸  1 plaintext");
    for (const s of SCENARIOS) {
      expect(c.frame()).not.toMatch(outcomeWords);
      expect(c.frame()).not.toContain(s.title);
      expect(c.frame()).not.toContain(s.lesson.slice(0, 30));
      if (s.n === SCENARIOS.length) break;
      await c.press(KEY.down);
      await c.see(`▸ ${String(s.n + 1).padStart(2)}`);
    }
    await c.press(KEY.up);
    await c.press(KEY.enter);
    await c.see("Ask the room");
    expect(c.frame()).not.toMatch(outcomeWords);
    expect(c.frame()).toContain("alice:");
    expect(c.runs).toEqual([]); // nothing runs before the room has answered
    c.app.unmount();
  });

  it("after the answer: the verdict, whether the room was right, the lesson and the tally", async () => {
    const c = openConsole(recorded, { predict: true, startWith: "starttls-strip" });
    await c.see("Ask the room");
    await c.press("n");
    await c.see("step 1/");
    await c.press("e");
    await c.see("the room said it fails: ✘ wrong · the room was right 0 of 1 times");
    expect(c.frame()).toContain("Lesson:");
    // The next scenario asks again; the tally carries on.
    await c.press("n");
    await c.see("Ask the room");
    expect(c.frame()).toContain("right 0 of 1");
    await c.press("y");
    await c.see("step 1/");
    await c.press("e");
    await c.see(/the room was right (0|1) of 2 times/);
    // Back on the list, the scenarios that ran are revealed; the others still are not.
    await c.press("q");
    await c.see("▸  4");
    expect(c.frame()).toMatch(/3 starttls-strip\s+✘/);
    expect(c.frame()).not.toMatch(/5 sasl-downgrade\s+✘/);
    c.app.unmount();
  });
});

describe("settings changed with --set", () => {
  it("show on the question and the run, and the question shows the changed setup", async () => {
    const { applySettings } = await import("../../lab/settings.js");
    const catalogue = SCENARIOS.map((s) => applySettings(s, ["alice.tls=required"]));
    const c = openConsole(recorded, { predict: true, startWith: "starttls-strip", catalogue });
    await c.see("Ask the room");
    expect(c.frame()).toContain("⚙ --set alice.tls=required (shipped: opportunistic)");
    expect(c.frame()).toContain("alice:   requires STARTTLS");
    c.app.unmount();
  });
});

describe("navigation", () => {
  it("? returns where it was opened; q goes back one screen at a time and quits only from the list", async () => {
    const c = openConsole(recorded, { startWith: "starttls-strip" });
    await c.see("step 1/");
    await c.press("c");
    await c.see("Compare");
    await c.press("?");
    await c.see("Keys");
    await c.press("q");
    await c.see("Compare");
    await c.press("q");
    await c.see("step 1/");
    await c.press("?");
    await c.see("Keys");
    await c.press(KEY.esc);
    await c.see("step 1/");
    await c.press("q");
    await c.see("▸  3 starttls-strip");
    expect(c.exited()).toBe(false);
    await c.press("q");
    await expect.poll(c.exited).toBe(true);
  });

  it("compares the runs so far, and fills the whole matrix with a", async () => {
    const c = openConsole(recorded);
    await c.press("c");
    await c.see("(nothing run yet)");
    await c.press("a");
    await c.see("q back");
    await expect.poll(() => c.runs.length).toBe(SCENARIOS.length);
    await c.see(/plaintext\s+✘    ✘    ✔    ✘     ✔   ✉ sent it/);
    expect(c.frame()).toMatch(/starttls-passive\s+✔    ✔    ✔    ✔     ✔   ✉ sent it/);
    // An attack that succeeds says so in a column, not by colour alone: words injected.
    expect(c.frame()).toMatch(/pass read edit relay inj alice/);
    expect(c.frame()).toMatch(/directtls-pinned\s+✔    ✔    ✔    ✔     ✔   ✋ PIN_MISMATCH/); // still one row at 80
    await c.press(KEY.pageDown);
    await c.see(/starttls-injection\s+✔    ✔    ✔    ✔     ✘   ✋ AUTH_FAILED/);
    // The longest refusal code is whole at 80 columns, with the room's column too.
    expect(c.frame()).toContain("✋ STARTTLS_UNAVAILABLE");
    c.app.unmount();
  });
});

describe("resizing", () => {
  it("lays the frame out again at once, without a key, after a clear screen", async () => {
    const c = openConsole(recorded, { startWith: "starttls-strip", columns: 160, rows: 48, tty: true });
    await c.see("step 1/");
    await c.press(" ", " ", " ");
    await c.see("step 4/");
    expect(measure(c.frame())).toMatchObject({ height: 48 });
    const before = c.term.writes.length;
    c.resize(80, 24);
    await c.see(/step 4\//);
    await expect.poll(() => measure(c.frame()).height).toBe(24);
    expect(measure(c.frame()).width).toBeLessThan(80);
    // The screen was cleared before the new frame was drawn: no stale header copies.
    const since = c.term.writes.slice(before).filter((w) => w !== "");
    const clear = since.indexOf("\x1b[2J\x1b[3J\x1b[H");
    expect(clear).toBeGreaterThanOrEqual(0);
    expect(since.slice(0, clear).every((f) => measure(f).height === 48)).toBe(true);
    expect(since.slice(clear + 1).every((f) => measure(f).height === 24)).toBe(true);
    expect(c.frame().match(/starttls-strip · Act I/g)).toHaveLength(1);
    c.resize(100, 30);
    await expect.poll(() => measure(c.frame()).height).toBe(30);
    c.app.unmount();
  });
});
