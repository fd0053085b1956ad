import { type Element, parse } from "ltx";
import { beforeAll, describe, expect, it } from "vitest";
import { labelOf } from "../../lab/core/stanzas.js";
import type { LabEvent } from "../../lab/core/events.js";
import { createRunContext, type RunResult, runScenario } from "../../lab/runner.js";
import { type Arrow, buildMalloryStory, explainStep, type Step } from "../../lab/story/index.js";
import { NEUTRAL_NAMES } from "../../lab/sentences.js";
import { findScenario, MESSAGE } from "../../scenarios/index.js";

/**
 * The story from mallory's log alone - what a standalone attacker writes with --jsonl and what
 * the live console draws. Her events from a scenario run are exactly that log (the same
 * attacker code); the endpoints' reports are left out, as they are on stage.
 */
const IDS = ["starttls-strip", "starttls-passive", "starttls-strip-server-requires", "starttls-no-verify", "starttls-required-client", "offline-crack"];
const recorded: Record<string, RunResult> = {};
beforeAll(async () => {
  const ctx = await createRunContext();
  for (const id of IDS) recorded[id] = await runScenario(findScenario(id)!, ctx);
});

/** mallory's events on her main listener's first connection (m1): one live session. */
const hers = (id: string): LabEvent[] => recorded[id].events.filter((e) => e.node === "mallory" && e.conn === "m1");
const story = (id: string) => buildMalloryStory(hers(id));
const arrows = (steps: Step[]) => steps.filter((s): s is Arrow => s.kind === "arrow");

describe("the story from mallory's log alone", () => {
  it("tells every element she relayed, every record she counted and every item she noted exactly once", () => {
    for (const id of IDS) {
      const steps = story(id);
      const told = steps.flatMap((x) => x.seqs);
      expect(new Set(told).size, id).toBe(told.length);
      for (const e of hers(id)) if (["relay", "loot", "sealed", "move", "connected", "closed"].includes(e.kind)) expect(told, `${id}: ${e.kind} #${e.seq}`).toContain(e.seq);
    }
  });

  it("starts where a client connects and ends where the connection closes", () => {
    const steps = story("starttls-strip");
    expect(steps[0]).toMatchObject({ kind: "local", actor: "mallory", text: expect.stringMatching(/^the client connects from 127\.0\.0\.1:\d+$/) });
    expect(steps.at(-1)).toMatchObject({ kind: "local", actor: "mallory", text: "the connection is closed" });
  });

  it("draws the strip as she did it: the features as she read them, as she passed them on, the password and both bodies", () => {
    const steps = story("starttls-strip");
    const strip = arrows(steps).find((a) => a.crossings.some((c) => c.mark === "✂"))!;
    expect(strip).toMatchObject({ from: "server", to: "alice", via: true, sent: { label: "features [starttls, PLAIN]" }, delivered: { label: "features [PLAIN]" } });
    expect(strip.crossings).toContainEqual({ mark: "✂", text: "removed <starttls/>" });
    expect(strip.xml.map((x) => x.label)).toEqual(["before: what the server sent", "after: what mallory passed on to the client"]);
    const auth = arrows(steps).find((a) => a.sent.label === "auth PLAIN")!;
    expect(auth.crossings[0]).toEqual({ mark: "★", text: `password "${recorded["starttls-strip"].loot.credentials[0].password}"` });
    const msg = arrows(steps).find((a) => a.sent.body !== null)!;
    expect(msg.sent.body).toBe(MESSAGE);
    expect(msg.delivered?.body).toContain("GB33 BUKB 2020 1555 5555 55");
    // Cleartext on both legs: drawn ─, not ═.
    expect(msg.secure).toEqual({ left: false, right: false });
    // Nothing in it claims what an endpoint did: no server login, no bob.
    expect(steps.filter((s) => s.kind === "local" && s.actor !== "mallory")).toEqual([]);
  });

  it("draws TLS she cannot read as the records she counted, sizes only, with no XML", () => {
    const steps = story("starttls-passive");
    const sealed = arrows(steps).filter((a) => a.crossings.some((c) => c.mark === "🔒"));
    expect(sealed.length).toBeGreaterThan(1);
    for (const a of sealed) {
      expect(a.sent.label).toMatch(/^\d+ TLS records?, \d+ B$/);
      expect(a.xml).toEqual([]);
      expect(a.secure).toEqual({ left: true, right: true });
      expect(a.say).toMatch(/she sees (its size|their sizes), nothing of what is inside/);
    }
    // Both directions, and each run of records in one direction is one arrow.
    expect(new Set(sealed.map((a) => a.from))).toEqual(new Set(["alice", "server"]));
    for (let i = 1; i < steps.length; i++) {
      const [a, b] = [steps[i - 1], steps[i]];
      if (a.kind === "arrow" && b.kind === "arrow" && sealed.includes(a) && sealed.includes(b)) expect(a.from).not.toBe(b.from);
    }
  });

  it("draws her leg to the server as TLS once she did STARTTLS with it herself (the sslstrip move)", () => {
    const steps = story("starttls-strip-server-requires");
    const done = steps.findIndex((s) => s.kind === "local" && s.text.startsWith("its TLS features go to the client"));
    expect(done).toBeGreaterThan(0);
    const after = arrows(steps.slice(done));
    expect(after.length).toBeGreaterThan(4);
    // Both ways: what she reads from the server there came over her TLS, too.
    for (const a of after) expect(a.secure, `${a.from}: ${a.sent.label}`).toEqual({ left: false, right: true });
    expect(after.find((a) => a.sent.label === "auth PLAIN")?.secure).toEqual({ left: false, right: true });
    const before = arrows(steps.slice(0, done));
    expect(before.every((a) => !a.secure.right)).toBe(true);
  });

  it("draws TLS she answered herself, and what she reads inside it", () => {
    const steps = story("starttls-no-verify");
    expect(steps.find((s) => s.kind === "tls")).toMatchObject({ from: "alice", to: "mallory", crossings: [{ mark: "⚑", text: "answers the client's TLS" }] });
    const inside = arrows(steps).filter((a) => a.secure.left && a.secure.right && a.crossings.some((c) => c.mark === "🔓" || c.mark === "★" || c.mark === "👁"));
    expect(inside.length).toBeGreaterThan(0);
  });

  it("draws the <starttls/> she kept and answered, though her log has no relay for it", () => {
    const steps = story("starttls-required-client");
    expect(arrows(steps).find((a) => a.sent.label === "<starttls/>")).toMatchObject({ from: "alice", to: "mallory", via: false, crossings: [{ mark: "⚑", text: "keeps it; answers <failure/>" }] });
  });

  it("tells a password guessed offline with the guess, not on whatever element crosses next", () => {
    const steps = story("offline-crack");
    const guess = steps.find((s) => s.kind === "local" && s.text.startsWith("guessed alice's password offline"))!;
    expect(guess).toBeDefined();
    const cred = hers("offline-crack").find((e) => e.kind === "loot" && e.loot.type === "credential")!;
    expect(guess.seqs).toContain(cred.seq);
    expect(arrows(steps).some((a) => a.crossings.some((c) => c.mark === "★"))).toBe(false);
  });

  it("explains an element in neutral words: she does not know who her client is", () => {
    const steps = story("starttls-strip");
    const said = steps.map((s) => s.say ?? explainStep(s, NEUTRAL_NAMES)).join("\n");
    expect(said).not.toMatch(/alice|bob/);
    expect(said).toMatch(/The client opens an XML stream to the server/);
  });
});

describe("what a real client's other requests are, in words", () => {
  // Profanity, through mallory to Prosody, asks for disco, the blocklist and carbons after it
  // binds; Prosody refuses carbons. Each is an iq: said as a request or its answer, not echoed.
  const relay = (dir: "c2s" | "s2c", xml: string, seq: number) =>
    ({ kind: "relay", node: "mallory", conn: "m1", seq, t: seq, dir, context: "cleartext", label: labelOf(parse(xml) as Element), xml, edits: [], original: null }) as LabEvent;
  const steps = buildMalloryStory([
    { kind: "connected", node: "mallory", conn: "m1", seq: 0, t: 0, peer: "127.0.0.1:4000", via: "tcp" } as LabEvent,
    relay("c2s", "<iq type='get' id='a'><query xmlns='http://jabber.org/protocol/disco#info'/></iq>", 1),
    relay("s2c", "<iq type='result' id='a'><query xmlns='http://jabber.org/protocol/disco#info'/></iq>", 2),
    relay("c2s", "<iq type='set' id='b'><enable xmlns='urn:xmpp:carbons:2'/></iq>", 3),
    relay("s2c", "<iq type='error' id='b'><error type='cancel'><service-unavailable xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error></iq>", 4),
  ]);
  const said = arrows(steps).map((s) => [s.sent.label, explainStep(s, NEUTRAL_NAMES)]);
  it("names an iq error by its condition, and says each iq as a request or its answer", () => {
    expect(said).toEqual([
      ["iq get query", "The client asks the server something (query): an iq get."],
      ["iq result query", "The server answers an earlier iq (query)."],
      ["iq set enable", "The client asks the server for a change (enable): an iq set."],
      ["iq error <service-unavailable/>", "The server refuses an earlier iq: <service-unavailable/>."],
    ]);
  });
});
