import net from "node:net";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generatePki, type LabPki, writePki } from "../lab/pki.js";
import { BIN, jsonl, labNode, proc, SLIX, tmpdir } from "./helpers.js";
import { type Prosody, startProsody } from "./prosody.js";
import { type Pane, tmuxPane } from "./tmux.js";

/**
 * The live console on stage, for real: Prosody (Debian's), slixmpp logging in through a
 * standalone mallory that strips STARTTLS, and the console in a 100×30 tmux terminal, read as
 * the room sees it. First `mitm-lab attacker --console`, then `mitm-lab watch` following a
 * headless mallory's log from another terminal.
 */
const WEAK = "sunshine"; // guess 108 of the bundled list: mallory's crack finds it live
const USERS = { alice: WEAK, bob: "bob-interop-pw" };
const MESSAGE = "Please wire 100 EUR to DE89 3704 0044 0532 0130 00";
let pki: LabPki;
let pkiDir: string;
let prosody: Prosody;
const panes: Pane[] = [];

beforeAll(async () => {
  pki = await generatePki();
  pkiDir = tmpdir("lab-live-pki-");
  writePki(pki, pkiDir);
  prosody = await startProsody(pki, { requireEncryption: false, users: USERS });
});
afterAll(async () => {
  for (const p of panes) p.kill();
  await prosody.stop();
});

function slixmpp(port: number) {
  return proc("/usr/bin/python3", [SLIX, "alice@lab.example", WEAK, "127.0.0.1", String(port), "starttls", path.join(pkiDir, "ca.pem"), "--send", `bob@lab.example:${MESSAGE}`]);
}

/** The strip, the login and the message, as the live console draws them at the end of the session. */
function expectStripped(screen: string) {
  expect(screen).toMatch(/live · m1 ended · alice@lab\.example · from 127\.0\.0\.1:\d+/);
  expect(screen).toContain("mallory's view only");
  expect(screen).toContain("✂ removed <starttls/>");
  expect(screen).toContain(`"${MESSAGE}"`);
  expect(screen).toContain("unconfirmed: no endpoint reports in a live session");
}

describe("the live console over slixmpp → mallory → Prosody", () => {
  it("attacker --console: the session appears as slixmpp connects, and is drawn to its end, stripped", async () => {
    const log = path.join(tmpdir("lab-live-"), "mallory.jsonl");
    const pane = tmuxPane("console", [process.execPath, BIN, "attacker", "--listen", "127.0.0.1:0", "--upstream", `127.0.0.1:${prosody.c2s}`, "--tactic", "strip-starttls,loot,crack", "--jsonl", log, "--console"]);
    panes.push(pane);
    const ready = await pane.see(/mallory on 127\.0\.0\.1:(\d+) → 127\.0\.0\.1:\d+ · strip-starttls,loot,crack/);
    expect(ready).toContain("No session yet. Point an XMPP client at 127.0.0.1:");
    const port = Number(/mallory on 127\.0\.0\.1:(\d+)/.exec(ready)![1]);
    const client = slixmpp(port);
    expect(await client.exit, client.out() + client.err()).toBe(0);
    // Opened by itself, and followed a step at a time up to the connection's end.
    await pane.see("✂ removed <starttls/>");
    const end = await pane.see(/· the connection is closed[\s\S]*step (\d+)\/\1 ▶ follows/);
    expectStripped(end);
    // The password, guessed offline from the SCRAM exchange slixmpp sent in the clear.
    const flat = end.replace(/\s+/g, " "); // the notebook wraps where the terminal is narrow
    expect(flat).toMatch(/★ alice's password, guessed offline from SCRAM-SHA-(1|256): "sunshine" \(guess 108 of 1000, \d+ iterations\)/);
    // What the console says the server answered is what the server's own log says it did.
    expect(flat).toContain("the server answered <success/>");
    expect(prosody.log()).toMatch(/Authenticated as alice@lab\.example/);
    // q: back to the list, where the session is listed with what mallory did and got.
    pane.keys("q");
    const list = await pane.see("sessions through mallory");
    expect(list).toMatch(/m1\s+ended\s+\d+ steps\s+✂ ★ ◆ 👁\s+alice@lab\.example/);
    // On a projector's 80x24 the row keeps what she did and got; the title wraps, her tactics whole.
    pane.resize(80, 24);
    const narrow = await pane.see(/^ strip-starttls,loot,crack\s*$/m); // drawn again at 80 columns
    expect(narrow).toMatch(/m1\s+ended\s+\d+ steps\s+✂ ★ ◆ 👁/);
    // q on the list quits, and mallory stops with the console.
    pane.keys("q");
    for (let i = 0; i < 100 && pane.alive(); i++) await new Promise((r) => setTimeout(r, 100));
    expect(pane.alive()).toBe(false);
    expect(jsonl(log).filter((e) => e.kind === "closed").map((e) => e.conn)).toEqual(["m1"]);
  });

  it("attacker --console stopped from outside (SIGTERM) leaves as q does: mallory stops and her log is whole", async () => {
    const log = path.join(tmpdir("lab-live-"), "mallory.jsonl");
    const pane = tmuxPane("killed", [process.execPath, BIN, "attacker", "--listen", "127.0.0.1:0", "--upstream", `127.0.0.1:${prosody.c2s}`, "--tactic", "strip-starttls,loot", "--jsonl", log, "--console"]);
    panes.push(pane);
    const port = Number(/mallory on 127\.0\.0\.1:(\d+)/.exec(await pane.see(/mallory on 127\.0\.0\.1:\d+/))![1]);
    const client = slixmpp(port);
    expect(await client.exit, client.out() + client.err()).toBe(0);
    await pane.see("✂ removed <starttls/>");
    // A second client, still connected when mallory is told to stop.
    const open = net.connect(port, "127.0.0.1");
    open.on("error", () => {});
    open.write("<?xml version='1.0'?><stream:stream to='lab.example' version='1.0' xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams'>");
    await pane.see("live · m2 ● open");
    process.kill(pane.pid(), "SIGTERM");
    for (let i = 0; i < 100 && pane.alive(); i++) await new Promise((r) => setTimeout(r, 100));
    expect(pane.alive()).toBe(false);
    open.destroy();
    const events = jsonl(log);
    // Her log says the open one ended too: she stopped as with q, not killed mid-write.
    expect(events.filter((e) => e.kind === "closed").map((e) => e.conn)).toEqual(["m1", "m2"]);
    expect(events.some((e) => e.kind === "loot" && e.loot.type === "message-read")).toBe(true);
  });

  it("watch FILE: a second terminal follows a running mallory's log and draws the same session", async () => {
    const log = path.join(tmpdir("lab-live-"), "mallory.jsonl");
    // The console first, before mallory writes anything: it waits for the log.
    const pane = tmuxPane("watch", [process.execPath, BIN, "watch", log, "--upstream", `127.0.0.1:${prosody.c2s}`]);
    panes.push(pane);
    await pane.see(`waiting for mallory's log ${log}`);
    const mallory = await labNode(["attacker", "--listen", "127.0.0.1:0", "--upstream", `127.0.0.1:${prosody.c2s}`, "--tactic", "strip-starttls,loot", "--jsonl", log, "--quiet"]);
    try {
      await pane.see(`mallory on 127.0.0.1:${mallory.port} → 127.0.0.1:${prosody.c2s} · strip-starttls,loot`);
      const client = slixmpp(mallory.port);
      expect(await client.exit, client.out() + client.err()).toBe(0);
      await pane.see("✂ removed <starttls/>");
      pane.keys("e"); // the speaker jumps to now
      const end = await pane.see(/· the connection is closed[\s\S]*step (\d+)\/\1 ▶ follows/);
      expectStripped(end);
      expect(end.replace(/\s+/g, " ")).toMatch(/◆ alice's SCRAM-SHA-(1|256) exchange \(\d+ iterations\): enough for an offline guess/);
      expect(end).toContain(`server 127.0.0.1:${prosody.c2s}`);
    } finally {
      await mallory.stop();
    }
    pane.keys("q");
    pane.keys("q");
  });
});
