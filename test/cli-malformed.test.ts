import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Bounds, playAgainst } from "../fuzz/drive.js";
import { clientStream, hostileInput, type HostileInput, inputRng } from "../fuzz/inputs.js";

/**
 * Issue 13 (and its "no stack traces"): the processes a student runs, fed malformed input.
 * `mitm-lab server` and `mitm-lab attacker` with their live log on stderr: each malformed
 * stream is one line there, never a stack trace; neither process dies; mallory's tactics still
 * work afterwards; both stop on Ctrl-C with exit 0.
 */

const ROOT = path.resolve(__dirname, "..");
const BIN = path.join(ROOT, "dist/mitm-lab.mjs");
const PASSWORD = "correct horse battery";
const BOUNDS: Bounds = { deadlineMs: 5000, endlessCap: 1024 * 1024 };

class Proc {
  out = "";
  err = "";
  exit: Promise<number | null>;
  constructor(readonly child: ChildProcess) {
    child.stdout!.on("data", (d) => (this.out += d));
    child.stderr!.on("data", (d) => (this.err += d));
    this.exit = new Promise((r) => child.on("exit", (code) => r(code)));
  }
  async port(): Promise<number> {
    for (let i = 0; i < 200; i++) {
      const m = /listening on port (\d+)/.exec(this.out);
      if (m) return Number(m[1]);
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`no port: ${this.err}`);
  }
  /** Ctrl-C, bounded. */
  async stop(): Promise<number | null> {
    this.child.kill("SIGINT");
    const t = setTimeout(() => this.child.kill("SIGKILL"), 10_000);
    const code = await this.exit;
    clearTimeout(t);
    return code;
  }
}

const lab = (args: string[]) => new Proc(spawn(process.execPath, [BIN, ...args], { stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, NO_COLOR: "1", CI: "true" } }));
const STACK = /^\s+at .+\(?.*:\d+:\d+\)?$/m;

/** One input of each class that breaks the stream, from the fuzz generator (seed 13). */
function malformed(): HostileInput[] {
  const seen = new Set<string>();
  const out: HostileInput[] = [];
  for (let i = 0; out.length < 12 && i < 2000; i++) {
    const input = hostileInput(inputRng(13, i), clientStream("alice", PASSWORD), 0.05);
    if (seen.has(input.cls) || input.cls === "split") continue;
    seen.add(input.cls);
    out.push(input);
  }
  return out;
}

describe("the CLI's nodes fed malformed input", () => {
  let server: Proc;
  let mallory: Proc;
  let serverPort: number;
  let malloryPort: number;
  beforeAll(async () => {
    if (!fs.existsSync(BIN)) execFileSync(process.execPath, ["scripts/build.mjs"], { cwd: ROOT });
    server = lab([
      "server", "--listen", "127.0.0.1:0", "--tls", "none", "--allow-plain-cleartext", "--mechanisms", "PLAIN",
      "--user", `alice:${PASSWORD}`, "--user", "bob:other", "--negotiation-timeout", "500", "--stanza-timeout", "500", "--idle-timeout", "500",
    ]);
    serverPort = await server.port();
    mallory = lab(["attacker", "--listen", "127.0.0.1:0", "--upstream", `127.0.0.1:${serverPort}`, "--tactic", "loot,tamper", "--idle-timeout", "500"]);
    malloryPort = await mallory.port();
  });
  afterAll(async () => {
    server?.child.kill("SIGKILL");
    mallory?.child.kill("SIGKILL");
  });

  it("every malformed stream, straight to the server and through mallory: no stack trace, no death, mallory still tampers, exit 0 on Ctrl-C", async () => {
    const inputs = malformed();
    expect(inputs.length).toBeGreaterThanOrEqual(10);
    for (const input of inputs) {
      const direct = await playAgainst(serverPort, input, BOUNDS);
      const via = await playAgainst(malloryPort, input, BOUNDS);
      expect({ cls: input.cls, hang: direct.hang || via.hang }).toEqual({ cls: input.cls, hang: false });
    }
    // A valid login through her afterwards: read and rewritten, as before all that.
    const valid: HostileInput = { cls: "split", chunks: [Buffer.from(clientStream("alice", PASSWORD))], end: true };
    await playAgainst(malloryPort, valid, BOUNDS);
    const serverExit = await server.stop();
    const malloryExit = await mallory.stop();
    expect(server.err).not.toMatch(STACK);
    expect(mallory.err).not.toMatch(STACK);
    expect(server.err).toMatch(/not-well-formed|not well-formed/i); // the live log said what happened, in one line
    // Her last connection is the valid login: she read the password and rewrote the IBAN.
    const conns = [...mallory.err.matchAll(/^\s*\d+ ms (m\d+) /gm)].map((m) => Number(m[1].slice(1)));
    const last = mallory.err.split("\n").filter((l) => new RegExp(`^\\s*\\d+ ms m${Math.max(...conns)} `).test(l)).join("\n");
    expect(last).toContain("password captured");
    expect(last).toContain("rewrote a message");
    expect({ serverExit, malloryExit }).toEqual({ serverExit: 0, malloryExit: 0 });
  });
});
