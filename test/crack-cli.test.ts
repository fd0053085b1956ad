import { execFileSync, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAttacker, type TacticName } from "../attacker/index.js";
import { spkiPin } from "../lab/core/tls.js";
import { liveLog } from "../lab/live-log.js";
import { createClient, type ClientOptions } from "../victim-client/index.js";
import { Accounts, createServer, type ServerOptions } from "../victim-server/index.js";
import { labFixtures } from "./helpers.js";

const ROOT = path.resolve(__dirname, "..");
const BIN = path.join(ROOT, "dist/mitm-lab.mjs");
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "crack-"));

afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

beforeAll(() => {
  if (!fs.existsSync(BIN)) execFileSync(process.execPath, ["scripts/build.mjs"], { cwd: ROOT });
});

function crack(args: string[]) {
  const r = spawnSync(process.execPath, [BIN, "crack", ...args], { encoding: "utf8", env: { ...process.env, CI: "true", NO_COLOR: "1" }, timeout: 30_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

/**
 * alice logs in through a real mallory whose events go to a --jsonl log, exactly as the
 * standalone `mitm-lab attacker --jsonl` writes it. Returns the log's path.
 */
async function record(name: string, password: string, server: Partial<ServerOptions>, alice: Partial<ClientOptions>, tactics: TacticName[], stolen = false): Promise<string> {
  const { pki } = await labFixtures();
  const accounts = new Accounts();
  accounts.add("alice", password);
  const file = path.join(tmp, `${name}.jsonl`);
  const log = liveLog({ jsonl: file, quiet: true });
  const srv = createServer({ tls: "starttls", identity: pki.server, accounts, ...server });
  const { port } = await srv.start();
  const mallory = createAttacker({ upstream: { host: "127.0.0.1", port }, tactics, identity: stolen ? pki.server : undefined, emit: log.emit });
  const { port: mport } = await mallory.start();
  try {
    const session = await createClient({
      jid: "alice@lab.example", password, connect: { host: "127.0.0.1", port: mport }, tls: "opportunistic", verify: { mode: "ca", ca: [pki.ca.cert] }, ...alice,
    }).start().catch(() => null);
    await session?.close();
  } finally {
    await mallory.stop();
    await srv.stop();
    await log.close();
  }
  return file;
}

describe("mitm-lab crack LOG.jsonl [--wordlist FILE]", () => {
  it("recovers a weak password from SCRAM sent in the clear after a stripped STARTTLS", async () => {
    const log = await record("weak", "sunshine", {}, {}, ["strip-starttls"]);
    const r = crack([log]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^1 SCRAM exchange in .*; wordlist: John the Ripper password.lst, top 1000 \(1000 words\)$/m);
    expect(r.out).toMatch(/^1\. \(m1\) alice, SCRAM-SHA-256, 4096 iterations: password "sunshine" found after 108 guesses in \d+ m?s$/m);
  });

  it("a strong password survives the list: every guess fails, exit 1", async () => {
    const log = await record("strong", "Vq7-tundra-Lisbon-ember-42", { mechanisms: ["SCRAM-SHA-1"] }, {}, ["strip-starttls"]);
    const r = crack([log]);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/alice, SCRAM-SHA-1, 4096 iterations: not found - 1000 guesses failed/);
    const words = path.join(tmp, "mine.txt");
    fs.writeFileSync(words, "#!comment: mine\nhunter2\nVq7-tundra-Lisbon-ember-42\n");
    expect(crack([log, "--wordlist", words])).toMatchObject({ code: 0, out: expect.stringMatching(/password "Vq7-tundra-Lisbon-ember-42" found after 2 guesses/) });
  });

  it("SCRAM-PLUS recorded inside mallory's TLS (stolen key): the binding fails the relay, the proof is still guessable", async () => {
    const { pki } = await labFixtures();
    const log = await record("plus", "sunshine", { tls: "direct" }, { tls: "direct", channelBinding: true, verify: { mode: "pin", pins: [spkiPin(pki.server.cert)] } }, ["intercept-tls"], true);
    const r = crack([log]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/alice, SCRAM-SHA-256-PLUS, 4096 iterations: password "sunshine" found after 108 guesses/);
  });

  it("a log without SCRAM in the clear: nothing to guess, exit 1", async () => {
    const log = await record("sealed", "sunshine", { tls: "starttls-required" }, { tls: "required" }, ["observe"]);
    const r = crack([log]);
    expect(r.code).toBe(1);
    expect(r.out).toContain("0 SCRAM exchanges");
    expect(r.out).toContain("Nothing to guess");
  });

  it.each([
    [[], /name one log/],
    [["/nonexistent.jsonl"], /no such log/],
    [["a.jsonl", "b.jsonl"], /name one log/],
    [["--bogus"], /unknown flag --bogus/],
  ])("bad usage %j: exit 2 and one line", (args, message) => {
    const r = crack(args);
    expect(r.code).toBe(2);
    expect(r.err.trim().split("\n")).toHaveLength(1);
    expect(r.err).toMatch(message);
  });

  it("bad usage: a missing or empty wordlist, a file that is not a JSON-lines log", () => {
    const log = path.join(tmp, "log.jsonl");
    fs.writeFileSync(log, '{"kind":"listening"}\n');
    const empty = path.join(tmp, "empty.txt");
    fs.writeFileSync(empty, "\n\n");
    const prose = path.join(tmp, "prose.txt");
    fs.writeFileSync(prose, "hello\nworld\n");
    expect(crack([log, "--wordlist", "/nonexistent.txt"])).toMatchObject({ code: 2, err: expect.stringMatching(/--wordlist: no such file/) });
    expect(crack([log, "--wordlist", empty])).toMatchObject({ code: 2, err: expect.stringMatching(/has no words/) });
    expect(crack([prose])).toMatchObject({ code: 2, err: expect.stringMatching(/not a JSON-lines log/) });
  });
});
