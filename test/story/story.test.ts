import { beforeAll, describe, expect, it } from "vitest";
import { storyEvents } from "../../lab/story/index.js";
import { createRunContext, type RunResult, runScenario } from "../../lab/runner.js";
import { type Arrow, buildStory, type Handshake, type Local, type Step } from "../../lab/story/index.js";
import { transcript } from "../../lab/narration.js";
import { SCENARIOS } from "../../scenarios/index.js";

const recorded: Record<string, RunResult> = {};
beforeAll(async () => {
  const ctx = await createRunContext();
  for (const s of SCENARIOS) recorded[s.id] = await runScenario(s, ctx);
});

const story = (id: string) => buildStory(recorded[id]);
const arrows = (steps: Step[]) => steps.filter((s): s is Arrow => s.kind === "arrow");
const locals = (steps: Step[]) => steps.filter((s): s is Local => s.kind === "local");
const indexOf = (steps: Step[], f: (s: Step) => boolean) => {
  const i = steps.findIndex(f);
  expect(i).toBeGreaterThanOrEqual(0);
  return i;
};

describe("the story of a run", () => {
  it("tells every element, relay and loot of alice's path exactly once", () => {
    for (const s of SCENARIOS) {
      const steps = story(s.id);
      const told = steps.flatMap((x) => x.seqs);
      expect(new Set(told).size, s.id).toBe(told.length);
      for (const e of storyEvents(recorded[s.id].events)) {
        const must = (e.kind === "stanza" && (e.node === "alice" || e.node === "server")) || e.kind === "relay" || e.kind === "loot";
        if (must) expect(told, `${s.id}: ${e.kind} #${e.seq}`).toContain(e.seq);
      }
    }
  });

  it("draws an edit with the element it edits, in wire order: the features reach alice stripped, then she decides", () => {
    const steps = story("starttls-strip");
    const strip = indexOf(steps, (x) => x.kind === "arrow" && x.crossings.some((c) => c.mark === "✂"));
    const a = steps[strip] as Arrow;
    expect(a).toMatchObject({ from: "server", to: "alice", via: true, sent: { label: "features [starttls, PLAIN]" }, delivered: { label: "features [PLAIN]" } });
    expect(a.crossings).toContainEqual({ mark: "✂", text: "removed <starttls/>" });
    const decided = indexOf(steps, (x) => x.kind === "local" && x.actor === "alice" && x.text.startsWith("no <starttls/>"));
    expect(decided).toBeGreaterThan(strip);
    // The password is taken from the element that carries it, before the server logs her in.
    const auth = indexOf(steps, (x) => x.kind === "arrow" && x.sent.label === "auth PLAIN");
    expect((steps[auth] as Arrow).crossings[0].mark).toBe("★");
    expect(indexOf(steps, (x) => x.kind === "local" && x.actor === "server" && x.mark === "✔")).toBeGreaterThan(auth);
    // The message arrow carries both bodies whole; bob receives mallory's.
    const msg = steps[indexOf(steps, (x) => x.kind === "arrow" && x.sent.body !== null)] as Arrow;
    expect(msg.sent.body).toContain("DE89 3704 0044 0532 0130 00");
    expect(msg.delivered?.body).toContain("GB33 BUKB 2020 1555 5555 55");
    expect(msg.crossings.map((c) => c.mark)).toEqual(["👁", "✎"]);
    expect(locals(steps).at(-1)).toMatchObject({ actor: "server", mark: "✉", body: msg.delivered?.body });
  });

  it("shows what mallory answers in the server's name, and what she keeps", () => {
    const steps = story("starttls-required-client");
    const asked = arrows(steps).find((x) => x.sent.label === "<starttls/>")!;
    expect(asked).toMatchObject({ from: "alice", to: "mallory", via: false });
    const failure = arrows(steps).find((x) => x.sent.label === "<failure/>")!;
    expect(failure).toMatchObject({ from: "mallory", to: "alice", via: false });
    expect(failure.crossings).toContainEqual({ mark: "⚑", text: "in the server's name" });
    expect(locals(steps).find((x) => x.failure)).toMatchObject({ actor: "alice", text: "STARTTLS_UNAVAILABLE" });
  });

  it("shows sslstrip's third move: mallory withholds the features and does STARTTLS with the server herself", () => {
    const steps = story("starttls-strip-server-requires");
    const withheld = arrows(steps).find((x) => x.sent.label === "features [starttls (required)]")!;
    expect(withheld).toMatchObject({ from: "server", to: "mallory", via: false, lost: false });
    const hers = arrows(steps).find((x) => x.from === "mallory" && x.sent.label === "<starttls/>")!;
    expect(hers.to).toBe("server");
    const tls = steps.findIndex((x) => x.kind === "tls" && x.from === "mallory" && x.to === "server");
    const header = steps.findIndex((x) => x.kind === "arrow" && x.from === "mallory" && x.sent.label === "stream header");
    expect(tls).toBeGreaterThan(steps.indexOf(hers));
    expect(header).toBeGreaterThan(tls); // the handshake, then the stream over it
    // Her TLS to the server, alice's leg in cleartext: the legs of one arrow differ.
    expect(arrows(steps).find((x) => x.sent.label === "auth PLAIN")!.secure).toEqual({ left: false, right: true });
  });

  it("draws a blocked connection as a failure, not as a note", () => {
    const [first] = story("directtls-fallback");
    expect(first).toMatchObject({ kind: "tls", from: "alice", to: "mallory", failed: true, crossings: [{ mark: "✘", text: "drops it" }] } satisfies Partial<Handshake>);
  });

  it("passes sealed traffic through unread, and a tampered record never arrives", () => {
    const passive = story("starttls-passive");
    const handshake = passive.find((x) => x.kind === "tls") as Handshake;
    expect(handshake).toMatchObject({ from: "alice", to: "server", via: true });
    const after = arrows(passive).filter((x) => x.first > handshake.first && !x.lost);
    expect(after.length).toBeGreaterThan(5);
    for (const a of after) expect(a.crossings.map((c) => c.mark)).toEqual(["🔒"]);
    const tamper = arrows(story("directtls-tamper"));
    expect(tamper[0]).toMatchObject({ from: "alice", lost: true, crossings: [{ mark: "✎" }] });
  });

  it("draws bytes pipelined behind <starttls/> as the cleartext they were, where the server reads them", () => {
    const steps = story("starttls-injection");
    const asked = arrows(steps).find((x) => x.from === "alice" && x.sent.label === "<starttls/>")!;
    expect(asked).toMatchObject({ to: "server", via: true, lost: false });
    expect(asked.crossings[0].mark).toBe("⚑");
    const injected = arrows(steps).filter((x) => x.from === "mallory" && x.crossings.some((c) => c.text.startsWith("pipelined in cleartext")));
    expect(injected.map((x) => x.sent.label)).toEqual(["stream header", "auth PLAIN"]);
    for (const x of injected) expect(x.secure).toEqual({ left: false, right: false });
  });

  it("puts each scenario line on the step holding its event", () => {
    const steps = story("starttls-strip");
    const strip = steps.find((x) => x.kind === "arrow" && x.crossings.some((c) => c.mark === "✂"))!;
    expect(strip.lines).toContain(recorded["starttls-strip"].scenario.narration.find((n) => n.when.some((f) => f.fact === "edit"))!.say);
  });
});

describe("the plain narrator tells the same story", () => {
  it("one line per step, in the story's order, with the words the console draws", () => {
    for (const s of SCENARIOS) {
      const steps = story(s.id);
      const lines = transcript(recorded[s.id]);
      let at = 0;
      for (const st of steps) {
        const words = st.kind === "arrow" ? st.sent.label : st.kind === "tls" ? st.text : (st.say ?? st.text).replace(/^mallory: /, "").replace(/\.$/, "");
        const i = lines.findIndex((l, j) => j >= at && l.includes(words));
        expect(i, `${s.id}: ${words}`).toBeGreaterThanOrEqual(at);
        at = i + 1;
        if (st.kind === "arrow") for (const c of st.crossings.filter((x) => x.text && x.mark !== "🔒" && x.mark !== "🔓")) expect(lines.slice(i, i + 4).join("\n"), s.id).toContain(`${c.mark} ${c.text}`);
      }
    }
  });
});

describe("bob's own session, when a setting keeps him out too", () => {
  // bob logs in before mallory starts; with server.mechanisms he cannot use, his login fails
  // before the server reads a name, and his connection used to be taken for alice's path: his
  // stream header drawn as mallory's "in her name", his features as the ones alice received,
  // his refusal as alice's.
  it("stays out of alice's story, her facts and her verdict", async () => {
    const { applySettings } = await import("../../lab/settings.js");
    const { bobServerConns } = await import("../../lab/witness/bob.js");
    const ctx = await createRunContext();
    for (const [id, set] of [["starttls-strip", "server.mechanisms="], ["stolen-key", "server.mechanisms=SCRAM-SHA-256-PLUS"], ["plaintext", "server.mechanisms=SCRAM-SHA-1-PLUS"]] as const) {
      const r = await runScenario(applySettings(SCENARIOS.find((s) => s.id === id)!, [set]), ctx);
      // bob's login did fail, and without a name: the case the auth event alone cannot tell.
      const bobError = r.events.find((e) => e.node === "bob" && e.kind === "error");
      expect(bobError, id).toBeDefined();
      // His refusal is told of him: the client's sentences are written about alice.
      expect(bobError!.kind === "error" && bobError!.explain, id).toMatch(/\bbob\b/);
      expect(bobError!.kind === "error" && bobError!.explain, id).not.toMatch(/\balice\b/);
      expect(bobServerConns(r.events).size, id).toBe(1);
      const serverConns = new Set(storyEvents([...r.events]).flatMap((e) => (e.node === "server" && e.conn ? [e.conn] : [])));
      const malloryConns = new Set(r.events.flatMap((e) => (e.node === "mallory" && e.kind === "connected" && e.conn ? [e.conn] : [])));
      expect(serverConns.size, id).toBe(malloryConns.size);
      // Every element the server sent on alice's path reached mallory: none of them is bob's.
      const steps = buildStory(r);
      expect(arrows(steps).filter((a) => a.from === "mallory" && a.to === "server" && a.sent.label === "stream header" && a.crossings.some((c) => c.mark === "⚑")).length, id).toBe(r.events.some((e) => e.kind === "move" && e.move.type === "upstream-starttls") ? 1 : 0);
      expect(r.reason, id).not.toMatch(/the server refused the login/);
    }
  });
});
