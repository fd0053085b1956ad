import fs from "node:fs";
import { afterEach, describe, expect, it } from "vitest";
import { ptyLauncher } from "../../lab/serve/launch-pty.js";
import { CLOSE } from "../../lab/serve/protocol.js";
import { alive, startServe, type Running } from "./harness.js";
import { TtyClient, VERDICT } from "./tty-client.js";

let running: Running | null = null;
afterEach(async () => {
  await running?.stop();
  running = null;
});

// A stand-in for the console that reports the size of its terminal whenever it changes, so the
// resize path can be checked without depending on how the console draws.
const SIZE_REPORTER = [
  process.execPath,
  "-e",
  "const say = () => process.stdout.write(`size ${process.stdout.columns}x${process.stdout.rows}\\n`);" +
    "say(); process.stdout.on('resize', say); process.stdin.setRawMode(true); process.stdin.on('data', (d) => process.stdout.write(`got ${JSON.stringify(d.toString())}\\n`));",
];

// Real consoles on a shared 2-core machine: generous bounds, never a timing assertion.
describe("mitm-lab serve", { timeout: 90_000 }, () => {
  it("serves the page and the terminal's files from the package, with no token needed by default", async () => {
    running = await startServe();
    const page = await fetch(running.base + "/");
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('src="xterm.js"');
    expect(html).not.toMatch(/https?:\/\//); // nothing from a CDN
    for (const file of ["xterm.js", "xterm.css", "addon-fit.js", "client.js"]) {
      const r = await fetch(`${running.base}/${file}`);
      expect(r.status, file).toBe(200);
      expect((await r.arrayBuffer()).byteLength, file).toBeGreaterThan(500);
    }
    expect((await fetch(running.base + "/healthz")).status).toBe(200);
    expect((await fetch(running.base + "/nope")).status).toBe(404);
    expect((await fetch(running.base + "/", { method: "POST" })).status).toBe(405);
  });

  it("gives a websocket client the console, which a student steps to a verdict; quitting ends the session", async () => {
    running = await startServe();
    const c = TtyClient.open(`${running.ws}/tty?cols=100&rows=30&scenario=starttls-strip`);
    await c.opened;
    await c.waitFor(/starttls-strip/);
    const [session] = running.serve.sessions();
    expect(alive(session.pid)).toBe(true);
    expect(await c.stepToVerdict()).toBe("ATTACK SUCCEEDED");
    c.type("\x03"); // Ctrl-C leaves the console from any screen
    expect((await c.waitClosed()).code).toBe(CLOSE.ended);
    await waitUntil(() => running!.serve.sessions().length === 0);
    expect(alive(session.pid)).toBe(false);
  });

  it("passes keystrokes raw and obeys the documented resize message", async () => {
    running = await startServe({ launcher: ptyLauncher(SIZE_REPORTER) });
    const c = TtyClient.open(`${running.ws}/tty?cols=90&rows=25`);
    await c.waitFor(/size 90x25/);
    c.ws.send(JSON.stringify({ type: "resize", cols: 132, rows: 43 }));
    await c.waitFor(/size 132x43/);
    c.type("é\x1b[A");
    await c.waitFor(/got "é\\u001b\[A"/);
    // A text frame that is not a control message is typed, for plain websocket clients.
    c.ws.send('{"type":"other"}');
    await c.waitFor(/got "\{\\"type\\":\\"other\\"\}"/);
    c.close();
  });

  it("asks for a token when it has them, and knows whose each is", async () => {
    running = await startServe({ students: [{ name: "ada", token: "ada-secret-1" }, { name: "bo", token: "bo-secret-22" }] });
    const noToken = await fetch(running.base + "/");
    expect(noToken.status).toBe(401);
    expect(await noToken.text()).toContain("token your instructor gave you");
    expect((await fetch(running.base + "/?token=wrong-token")).status).toBe(401);
    const ok = await fetch(running.base + "/?token=ada-secret-1");
    expect(ok.status).toBe(200);
    expect(ok.headers.get("set-cookie")).toMatch(/^mitm_lab_token=ada-secret-1; HttpOnly; SameSite=Strict/);
    expect(ok.headers.get("referrer-policy")).toBe("no-referrer");

    await expect(TtyClient.open(`${running.ws}/tty`).opened).rejects.toThrow("HTTP 401");
    await expect(TtyClient.open(`${running.ws}/tty?token=nope-nope-nope`).opened).rejects.toThrow("HTTP 401");
    // Another site's page cannot ride on the student's cookie.
    const foreign = TtyClient.open(`${running.ws}/tty`, { cookie: "mitm_lab_token=ada-secret-1", origin: "http://evil.example" });
    await expect(foreign.opened).rejects.toThrow("HTTP 403");

    const c = TtyClient.open(`${running.ws}/tty`, { cookie: "mitm_lab_token=bo-secret-22" });
    await c.waitFor(/xmpp-mitm-lab/);
    expect(running.serve.sessions().map((s) => s.student)).toEqual(["bo"]);
    const status = await (await fetch(running.base + "/status", { headers: { authorization: "Bearer bo-secret-22" } })).json();
    expect(status.student).toBe("bo");
    expect(status.sessions).toHaveLength(1);
    // Progress is whatever the lab reports; a lab without exercises says so instead of failing.
    expect(status.progress !== null || typeof status.progressNote === "string").toBe(true);
    expect((await fetch(running.base + "/status")).status).toBe(401);
    c.close();
  });

  it("one session per student: opening a second tab closes the first", async () => {
    running = await startServe({ students: [{ name: "ada", token: "ada-secret-1" }] });
    const first = TtyClient.open(`${running.ws}/tty?token=ada-secret-1`);
    await first.waitFor(/xmpp-mitm-lab/);
    const firstPid = running.serve.sessions()[0].pid;
    const second = TtyClient.open(`${running.ws}/tty?token=ada-secret-1`);
    await second.waitFor(/xmpp-mitm-lab/);
    expect((await first.waitClosed()).code).toBe(CLOSE.replaced);
    await waitUntil(() => !alive(firstPid));
    expect(running.serve.sessions()).toHaveLength(1);
    second.close();
  });

  it("reaps a session with no keystroke for the idle time, and says why", async () => {
    running = await startServe({ idleMs: 60_000 });
    const c = TtyClient.open(`${running.ws}/tty`);
    await c.waitFor(/xmpp-mitm-lab/);
    const { pid } = running.serve.sessions()[0];
    running.clock.t += 59_000;
    expect(running.serve.sweep()).toBe(0);
    c.type("j"); // a keystroke resets the clock
    await waitUntil(() => running!.serve.sessions()[0].lastInputAt === running!.clock.t);
    running.clock.t += 59_000;
    expect(running.serve.sweep()).toBe(0);
    running.clock.t += 1_000;
    expect(running.serve.sweep()).toBe(1);
    const closed = await c.waitClosed();
    expect(closed.code).toBe(CLOSE.idle);
    expect(closed.reason).toMatch(/no keystroke for 1 min/);
    await waitUntil(() => !alive(pid));
  });

  it("turns away a browser when the host is full, with a reason the page can show", async () => {
    running = await startServe({ maxSessions: 1 });
    const a = TtyClient.open(`${running.ws}/tty`);
    await a.waitFor(/xmpp-mitm-lab/);
    const b = TtyClient.open(`${running.ws}/tty`);
    const closed = await b.waitClosed();
    expect(closed.code).toBe(CLOSE.full);
    expect(closed.reason).toContain("the lab host is full");
    a.close();
  });

  it("8 students at once: 8 consoles, each its own process and state dir, all gone afterwards", async () => {
    const students = Array.from({ length: 8 }, (_, i) => ({ name: `s${i}`, token: `token-for-s${i}` }));
    running = await startServe({ students });
    const clients = students.map((s, i) =>
      TtyClient.open(`${running!.ws}/tty?token=${s.token}&scenario=${i % 2 ? "directtls-pinned" : "starttls-strip"}`),
    );
    await Promise.all(clients.map((c) => c.waitFor(/xmpp-mitm-lab/)));
    const sessions = running.serve.sessions();
    expect(sessions).toHaveLength(8);
    expect(new Set(sessions.map((s) => s.pid)).size).toBe(8);
    // Each lab sees only its own student's state dir (where its progress would live).
    const dirs = sessions.map((s) => /XDG_CONFIG_HOME=([^\0]*)/.exec(fs.readFileSync(`/proc/${s.pid}/environ`, "utf8"))![1]);
    expect(new Set(dirs).size).toBe(8);
    for (const s of sessions) expect(dirs[sessions.indexOf(s)]).toMatch(new RegExp(`/${s.student}$`));
    // Each steps its own lab to its own scenario's verdict.
    const verdicts = await Promise.all(clients.map((c) => c.stepToVerdict()));
    expect(verdicts).toEqual(clients.map((_, i) => (i % 2 ? "ATTACK FAILED" : "ATTACK SUCCEEDED")));
    for (const c of clients) c.close();
    await Promise.all(clients.map((c) => c.waitClosed()));
    await waitUntil(() => running!.serve.sessions().length === 0);
    for (const s of sessions) expect(alive(s.pid), `pid ${s.pid}`).toBe(false);
  });
});

/** Polls a condition on the event loop, bounded by a count rather than a clock. */
async function waitUntil(ok: () => boolean, tries = 2000): Promise<void> {
  for (let i = 0; i < tries; i++) {
    if (ok()) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error("condition not met");
}
