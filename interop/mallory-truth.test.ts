import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generatePki, type LabPki, writePki } from "../lab/pki.js";
import { BIN, jsonl, labNode, proc, SLIX, tmpdir } from "./helpers.js";
import { startProsody } from "./prosody.js";

/**
 * Standalone mallory between slixmpp and Prosody says only what she observed (issue 8): her
 * log - the lines on her stderr and the events in her --jsonl - is checked against Prosody's
 * own log and against what bob, connected to Prosody directly, received. Three servers: TLS
 * optional, TLS required, and direct TLS.
 */
const USERS = { alice: "alice-truth-pw", bob: "bob-truth-pw" };
const BODY = "wire 100 EUR to DE89 3704 0044 0532 0130 00";
const ROGUE = "wire 100 EUR to GB33 BUKB 2020 1555 5555 55";
let pki: LabPki;
let pkiDir: string;

beforeAll(async () => {
  pki = await generatePki();
  pkiDir = tmpdir("lab-truth-pki-");
  writePki(pki, pkiDir);
});

type Ev = Record<string, any>;

async function through(opts: { requireEncryption: boolean; direct: boolean; tactics: string; identity?: string }) {
  const prosody = await startProsody(pki, { requireEncryption: opts.requireEncryption, users: USERS });
  const log = path.join(tmpdir("lab-truth-"), "mallory.jsonl");
  const upstream = opts.direct ? prosody.direct : prosody.c2s;
  const mallory = await labNode([
    "attacker", "--listen", "127.0.0.1:0", "--upstream", `127.0.0.1:${upstream}`, "--tactic", opts.tactics, "--jsonl", log,
    ...(opts.identity ? ["--identity", opts.identity, "--pki", pkiDir] : []),
  ]);
  // bob logs in to Prosody directly, over verified STARTTLS, and waits for one message.
  const bob = proc(process.execPath, [BIN, "client", "--connect", `127.0.0.1:${prosody.c2s}`, "--jid", "bob@lab.example", "--password", USERS.bob, "--ca", path.join(pkiDir, "ca.pem"), "--receive", "1", "--timeout", "15000"], { env: { NO_COLOR: "1" } });
  try {
    await new Promise((r) => setTimeout(r, 300)); // bob first; a message to an offline bob would wait anyway
    const alice = proc("/usr/bin/python3", [SLIX, "alice@lab.example", USERS.alice, "127.0.0.1", String(mallory.port), opts.direct ? "direct" : "starttls", path.join(pkiDir, "ca.pem"), "--send", `bob@lab.example:${BODY}`]);
    const aliceCode = await alice.exit;
    const bobCode = await bob.exit;
    await mallory.stop();
    return { aliceCode, aliceOut: alice.out() + alice.err(), bobCode, bobOut: bob.out(), events: jsonl(log) as Ev[], stderr: mallory.err(), prosodyLog: prosody.log() };
  } finally {
    await bob.stop();
    await mallory.stop();
    await prosody.stop();
  }
}

/** What no run below may print: the lies issue 8 found, and names mallory cannot know. */
function neverSays(stderr: string): void {
  expect(stderr).not.toMatch(/UPSTREAM_FAILED|could not reach the server/);
  expect(stderr).not.toMatch(/\balice (hung up|refused|asked|accepted|sends)/); // standalone: "the client"
}

const moves = (events: Ev[], type: string) => events.filter((e) => e.kind === "move" && e.move.type === type);

describe("standalone mallory's log against Prosody's and bob's", () => {
  let optional: Awaited<ReturnType<typeof through>>;
  let required: Awaited<ReturnType<typeof through>>;
  let direct: Awaited<ReturnType<typeof through>>;
  let stolen: Awaited<ReturnType<typeof through>>;
  beforeAll(async () => {
    optional = await through({ requireEncryption: false, direct: false, tactics: "strip-starttls,loot,tamper" });
    required = await through({ requireEncryption: true, direct: false, tactics: "strip-starttls,loot,tamper" });
    direct = await through({ requireEncryption: true, direct: true, tactics: "strip-starttls,loot,tamper" });
    stolen = await through({ requireEncryption: true, direct: true, tactics: "intercept-tls,loot,tamper", identity: "stolen" });
  }, 120_000);
  afterAll(() => undefined);

  it("TLS optional: she strips, but never claims the server requires TLS (Prosody re-offers optional STARTTLS after login)", () => {
    const r = optional;
    expect(r.aliceCode, r.aliceOut).toBe(0);
    neverSays(r.stderr);
    // No sslstrip move: Prosody did not require TLS, and a post-login re-offer is not a reason.
    expect(moves(r.events, "upstream-starttls")).toEqual([]);
    expect(r.stderr).not.toMatch(/requires TLS/);
    // Her edits happened at the endpoints: Prosody logged alice in over a cleartext stream; bob got her rewrite.
    expect(r.prosodyLog).toMatch(/Authenticated as alice@lab\.example/);
    expect(r.bobOut).toContain(ROGUE);
    const rewrites = r.events.filter((e) => e.kind === "relay").flatMap((e) => e.edits).filter((x: Ev) => x.op === "rewrote-body");
    expect(rewrites).toEqual([{ tactic: "tamper", op: "rewrote-body", before: BODY, after: ROGUE }]);
    const loot = r.events.filter((e) => e.kind === "loot").map((e) => e.loot);
    expect(loot).toContainEqual(expect.objectContaining({ type: "message-read", body: BODY }));
  });

  it("TLS required: she says why she does STARTTLS upstream (<required/>), and it is so", () => {
    const r = required;
    expect(r.aliceCode, r.aliceOut).toBe(0);
    neverSays(r.stderr);
    expect(moves(r.events, "upstream-starttls").map((e) => e.move.because)).toEqual(["server-requires-tls"]);
    expect(moves(r.events, "upstream-starttls-done")).toHaveLength(1);
    // The stripped features carried <required/>: her own record of what Prosody sent says so.
    const stripped = r.events.find((e) => e.kind === "relay" && e.edits.some((x: Ev) => x.op === "removed-starttls"));
    expect(stripped?.original).toMatch(/<required\/>/);
    expect(r.stderr).toMatch(/the server requires TLS \(<required\/>\), so mallory does STARTTLS with it herself/);
    expect(r.prosodyLog).toMatch(/Authenticated as alice@lab\.example/);
    expect(r.bobOut).toContain(ROGUE);
  });

  it("direct TLS: she sees records she cannot read, says which tactics cannot act, and ends without inventing a failure", () => {
    const r = direct;
    expect(r.aliceCode, r.aliceOut).toBe(0);
    neverSays(r.stderr);
    expect(moves(r.events, "sealed")).toHaveLength(1);
    const told = r.events.filter((e) => e.kind === "tactic").map((e) => `${e.tactic}:${e.status}:${e.why}`).sort();
    expect(told).toEqual(["loot:inapplicable:sealed", "strip-starttls:inapplicable:sealed", "tamper:inapplicable:sealed"]);
    expect(r.events.some((e) => e.kind === "loot" || (e.kind === "relay" && e.edits.length))).toBe(false);
    // The message went through untouched: bob has alice's own words.
    expect(r.bobOut).toContain(BODY);
    expect(r.prosodyLog).toMatch(/Authenticated as alice@lab\.example/);
  });

  it("direct TLS with the server's stolen key: she reads inside her own TLS, and every claim matches Prosody and bob", () => {
    const r = stolen;
    expect(r.aliceCode, r.aliceOut).toBe(0); // slixmpp verifies the chain and the name: it is the real certificate
    neverSays(r.stderr);
    expect(moves(r.events, "tls-answered")).toHaveLength(1);
    expect(moves(r.events, "client-sent-through-tls")).toHaveLength(1);
    expect(moves(r.events, "server-tls-failed")).toEqual([]);
    expect(r.bobOut).toContain(ROGUE);
    expect(r.prosodyLog).toMatch(/Authenticated as alice@lab\.example/);
    const scram = r.events.filter((e) => e.kind === "loot" && e.loot.type === "scram");
    expect(scram.map((e) => e.loot.username)).toEqual(["alice"]);
  });

  it("when her own TLS to the server fails, she says so, and blames nobody else", async () => {
    // Upstream is Prosody's STARTTLS port, which answers a TLS ClientHello with XML: her TLS fails.
    const prosody = await startProsody(pki, { requireEncryption: false, users: USERS });
    const log = path.join(tmpdir("lab-truth-"), "mallory.jsonl");
    const mallory = await labNode(["attacker", "--listen", "127.0.0.1:0", "--upstream", `127.0.0.1:${prosody.c2s}`, "--tactic", "intercept-tls", "--identity", "stolen", "--pki", pkiDir, "--jsonl", log]);
    try {
      const alice = proc("/usr/bin/python3", [SLIX, "alice@lab.example", USERS.alice, "127.0.0.1", String(mallory.port), "direct", path.join(pkiDir, "ca.pem")]);
      expect(await alice.exit).not.toBe(0);
      await mallory.stop();
      const events = jsonl(log) as Ev[];
      expect(moves(events, "server-tls-failed")).toHaveLength(1);
      expect(moves(events, "client-hung-up")).toEqual([]);
      expect(moves(events, "client-tls-alert")).toEqual([]);
      expect(mallory.err()).toMatch(/mallory's own TLS to the server failed/);
      neverSays(mallory.err());
    } finally {
      await mallory.stop();
      await prosody.stop();
    }
  });
});
