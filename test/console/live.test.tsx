import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { render } from "ink";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createAttacker } from "../../attacker/index.js";
import { LiveApp } from "../../lab/console/live/LiveApp.js";
import type { LiveSource } from "../../lab/console/live/source.js";
import { CLEAR } from "../../lab/console/useTerminalSize.js";
import { emitterFeed } from "../../lab/live/feed.js";
import { MESSAGE } from "../../scenarios/index.js";
import { createClient } from "../../victim-client/index.js";
import { createServer } from "../../victim-server/index.js";
import { labFixtures, PASSWORDS } from "../helpers.js";
import { KEY, Keyboard, manualClock, measure, strip, Term } from "./term.js";

/**
 * The live console over real traffic: a standalone mallory on loopback (the same node as
 * `mitm-lab attacker --console`), the lab's own server behind her and its client in front;
 * the console reads only her events, as it does on stage. Frames are read after keys and after
 * the manual clock's ticks (following), never after a wait for time to pass.
 */
const GB = "GB33 BUKB 2020 1555 5555 55";
let stopAll: () => Promise<void>;
let live: ReturnType<typeof emitterFeed>;
let mallory: number;
let pki: Awaited<ReturnType<typeof labFixtures>>["pki"];

beforeAll(async () => {
  const f = await labFixtures();
  pki = f.pki;
  const server = createServer({ tls: "starttls", identity: f.pki.server, accounts: f.accounts, mechanisms: ["PLAIN"], allowPlainCleartext: true });
  const { port } = await server.start();
  live = emitterFeed();
  const attacker = createAttacker({ upstream: { host: "127.0.0.1", port }, tactics: ["strip-starttls", "loot", "tamper"], emit: live.emit });
  mallory = (await attacker.start()).port;
  stopAll = async () => {
    await attacker.stop();
    await server.stop();
  };
});
afterAll(() => stopAll());

/** alice through mallory: opportunistic, so she is stripped, logs in with PLAIN and sends the message. */
async function aliceSends() {
  const a = await createClient({
    jid: "alice@lab.example", password: PASSWORDS.alice, connect: { host: "127.0.0.1", port: mallory },
    tls: "opportunistic", verify: { mode: "ca", ca: [pki.ca.cert] }, allowPlainWithoutTls: true,
  }).start();
  a.send("bob@lab.example", MESSAGE);
  await a.close();
}

/** bob through mallory: he requires TLS, asks for it anyway, and gives up. */
async function bobRefuses() {
  const err = await createClient({
    jid: "bob@lab.example", password: PASSWORDS.bob, connect: { host: "127.0.0.1", port: mallory },
    tls: "required", verify: { mode: "ca", ca: [pki.ca.cert] },
  }).start().catch((e) => e);
  expect(err).toMatchObject({ code: "STARTTLS_UNAVAILABLE" });
}

const SOURCE: LiveSource = { kind: "attacker", file: null, listen: null, upstream: null };

function openLive(opts: { columns?: number; rows?: number; handoutDir?: string } = {}) {
  const term = new Term(opts.columns ?? 100, opts.rows ?? 30);
  const keyboard = new Keyboard();
  const clock = manualClock();
  const app = render(<LiveApp feed={live.feed} source={SOURCE} clock={clock} handoutDir={opts.handoutDir} now={() => new Date("2026-11-28T10:20:30Z")} />, {
    stdout: term as never, stdin: keyboard as never, stderr: new Term(80, 24) as never, debug: true, exitOnCtrlC: false, patchConsole: false,
  });
  const frame = () => strip(term.writes.filter((w) => w !== CLEAR).at(-1) ?? "");
  const see = (text: string | RegExp) => vi.waitFor(() => (typeof text === "string" ? expect(frame()).toContain(text) : expect(frame()).toMatch(text)), { timeout: 5000 });
  const press = async (k: string) => {
    const before = term.writes.length;
    keyboard.write(k);
    await vi.waitFor(() => expect(term.writes.length).toBeGreaterThan(before), { timeout: 300 }).catch(() => {});
  };
  /** Let the console follow: one tick of its clock is one step; bounded. */
  const followUntil = async (text: string) => {
    for (let i = 0; i < 80 && !frame().includes(text); i++) {
      await vi.waitFor(() => expect(clock.pending()).toBeGreaterThan(0), { timeout: 2000 }).catch(() => {});
      clock.tick();
      await new Promise((r) => setImmediate(r));
    }
    expect(frame()).toContain(text);
  };
  return { app, frame, see, press, followUntil, clock };
}

describe("the live console over a real session through mallory", () => {
  it("waits for a client, then draws its session as it happens, a step at a time, as mallory saw it", async () => {
    const c = openLive();
    await c.see("xmpp-mitm-lab · live · mallory on 127.0.0.1:");
    await c.see("No session yet. Point an XMPP client at 127.0.0.1:");
    await aliceSends();
    // Untouched, the console opens the newest session by itself and follows it from its start.
    await c.see(/live · m1 (● open|ended) · /);
    await c.see("mallory's view only");
    expect(c.frame()).not.toContain("✂ removed");
    await c.followUntil("✂ removed <starttls/>");
    expect(c.frame()).toContain("features [starttls, PLAIN]");
    expect(c.frame()).toContain("▸ mallory: removed <starttls/>.");
    await c.followUntil("· the connection is closed");
    const f = c.frame();
    expect(f).toContain(`★ password "${PASSWORDS.alice}"`);
    expect(f).toContain(`"${MESSAGE}"`);
    // What reached bob is not hers to say: she says what she passed on.
    expect(f).toContain(`✎ passed on: "Please wire 100 EUR to ${GB}"`);
    expect(f).not.toContain("arrives");
    // Her notebook is hers, and says so; there is no verdict to give.
    expect(f).toContain(`★ alice's password: "${PASSWORDS.alice}" (PLAIN) · the server answered <success/>`);
    expect(f).toContain("unconfirmed: no endpoint reports in a live session");
    expect(f).not.toMatch(/ATTACK (SUCCEEDED|FAILED)|bob receives/);
    expect(measure(f)).toMatchObject({ height: 30 });
    expect(measure(f).width).toBeLessThan(100);
    c.app.unmount();
  });

  it("lists concurrent sessions with what mallory did in each, and opens the one chosen", async () => {
    await Promise.all([bobRefuses(), aliceSends()]);
    const c = openLive({ columns: 80, rows: 24 }); // a projector's terminal
    await c.press(KEY.esc); // a key: the speaker is in charge, nothing opens by itself
    await c.see("sessions through mallory (newest last)");
    // State, steps and marks first: a narrow terminal cuts the account and the peer, not what she got.
    await c.see(/ 1\s+m1\s+ended\s+\d+ steps\s+✂ ★ 👁 ✎\s+alice@lab\.example\s+127\.0\.0\.1:\d+/);
    await c.see(/ 3\s+m3\s+ended\s+\d+ steps\s+\S/);
    const rows = c.frame().split("\n");
    const bob = rows.find((l) => /✂ ⚑ /.test(l))!;
    expect(bob).toMatch(/✂ ⚑\s+\?@lab\.example\s+127\.0\.0\.1:\d+$/); // he never logged in: no account to name
    const row = Number(/^\s*▸?\s*(\d+)/.exec(bob)![1]);
    const chosen = Number(/^\s*▸\s*(\d+)/.exec(rows.find((l) => /^\s*▸/.test(l))!)![1]);
    for (let i = chosen; i !== row; i = (i % 3) + 1) await c.press(KEY.down);
    await c.see(new RegExp(`▸ ${row}\\s+m${row}`));
    await c.press(KEY.enter);
    await c.see(new RegExp(`live · m${row} (● open|ended) · `));
    await c.press(KEY.end);
    await c.see("⚑ keeps it; answers <failure/>");
    // At 80 columns the header leaves out the peer (the client's lane names it) rather than cut it.
    expect(c.frame().split("\n")[0]).toMatch(/^ live · m\d ended · an account at lab\.example +mallory's view only\s*$/);
    expect(c.frame()).toContain("her notes: (nothing)"); // he sent nothing she could note, and his session is over
    // tab: the next session, from its first step.
    await c.press("\t");
    await c.see(new RegExp(`live · m${(row % 3) + 1} (● open|ended) · `));
    expect(c.frame()).toMatch(/step [01]\/\d+/);
    c.app.unmount();
  });

  it("steps back and pauses, jumps to now, shows the XML as mallory read it and passed it on, and writes the session as a handout", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "lab-live-handout-"));
    const c = openLive({ handoutDir: dir });
    await c.press(KEY.esc);
    await c.see("sessions through mallory");
    await c.press(KEY.up);
    await c.press(KEY.up); // from the newest (m3) to m1, alice's first session
    await c.see(/▸ 1\s+m1/);
    await c.press(KEY.enter);
    await c.press("e");
    await c.see("· the connection is closed");
    await c.see(/step (\d+)\/\1 ▶ follows/);
    await c.press(KEY.left);
    await c.see(/step \d+\/\d+ ⏸/);
    // Two spaces typed faster than a frame are two steps.
    await c.press(KEY.home);
    await c.see(/step 1\/\d+ ⏸/);
    await c.press("  ");
    await c.see(/step 3\/\d+ ⏸/);
    await c.press("e");
    await c.see(/step (\d+)\/\1 ▶ follows/);
    // Back to the strip, then its XML: before and after, the removed line marked.
    for (let i = 0; i < 30 && !/› .*✂── features/.test(c.frame()); i++) await c.press(KEY.left);
    await c.press("x");
    await c.see("before: what the server sent:");
    expect(c.frame()).toContain("✂-   <starttls xmlns=\"urn:ietf:params:xml:ns:xmpp-tls\"/>");
    expect(c.frame()).toContain("after: what mallory passed on to the client:");
    // m: the session as a handout, from her log alone, and saying so.
    await c.press("x");
    await c.press("m");
    const file = path.join(dir, "live-m1-20261128-102030.md");
    await c.see(`wrote ${file}`);
    const page = fs.readFileSync(file, "utf8");
    expect(page).toMatch(/^# A live session through mallory: m1 from 127\.0\.0\.1:\d+$/m);
    expect(page).toContain("nothing on this page is confirmed by the client, the server or the message's recipient, and there is no verdict");
    expect(page).toContain("✂ removed <starttls/>");
    expect(page).toContain('✎ passed on: "Please wire 100 EUR to GB33 BUKB 2020 1555 5555 55"');
    expect(page).toContain(`- ★ alice's password: "${PASSWORDS.alice}" (PLAIN) · the server answered <success/>`.replace("<success/>", "`<success/>`"));
    expect(page).not.toMatch(/ATTACK (SUCCEEDED|FAILED)|arrives/);
    // The next key clears that line.
    await c.press("x");
    await c.see("after: what mallory passed on to the client:");
    expect(c.frame()).not.toContain(`wrote ${file}`);
    await c.press("?");
    await c.see("Keys (live)");
    expect(c.frame().replace(/\s+/g, " ")).toContain("No endpoint reports here, so nothing on these screens is confirmed");
    c.app.unmount();
  });
});
