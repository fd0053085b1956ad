import { execFileSync, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";

/**
 * Issue 13, item 10: every bad path and value is one line and exit 2, found at start-up -
 * never a stack trace, never a node that starts and dies at its first peer, never a hang.
 */

const ROOT = path.resolve(__dirname, "..");
const BIN = path.join(ROOT, "dist/mitm-lab.mjs");
const T = fs.mkdtempSync(path.join(os.tmpdir(), "cli-hostile-"));
const PKI = path.join(T, "pki");
const A_FILE = path.join(T, "a-file");
const GARBAGE = path.join(T, "garbage-pki");
const HALF = path.join(T, "half-pki");
const BAD_KEY = path.join(T, "bad-key-pki");
const MISSING = "/nonexistent-dir-for-the-lab/out";

beforeAll(() => {
  if (!fs.existsSync(BIN)) execFileSync(process.execPath, ["scripts/build.mjs"], { cwd: ROOT });
  execFileSync(process.execPath, [BIN, "pki", "--out", PKI]);
  fs.writeFileSync(A_FILE, "not a directory\n");
  fs.mkdirSync(GARBAGE);
  for (const f of fs.readdirSync(PKI)) fs.writeFileSync(path.join(GARBAGE, f), "-----BEGIN CERTIFICATE-----\ngarbage\n-----END CERTIFICATE-----\n");
  fs.cpSync(PKI, HALF, { recursive: true });
  fs.rmSync(path.join(HALF, "rogue-key.pem"));
  fs.cpSync(PKI, BAD_KEY, { recursive: true });
  fs.copyFileSync(path.join(PKI, "rogue-key.pem"), path.join(BAD_KEY, "self-signed-key.pem")); // a key that is not the certificate's
});

function lab(args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: "utf8", env: { ...process.env, CI: "true", NO_COLOR: "1" }, timeout: 15_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

const server = (...more: string[]) => ["server", "--listen", "127.0.0.1:0", "--user", "alice:x", "--quiet", ...more];
const client = (...more: string[]) => ["client", "--connect", "127.0.0.1:9", "--jid", "alice@lab.example", "--password", "x", ...more];
const attacker = (...more: string[]) => ["attacker", "--listen", "127.0.0.1:0", "--upstream", "127.0.0.1:9", "--quiet", ...more];

describe("bad paths and values: one line, exit 2, at start-up (item 10)", () => {
  it.each([
    ["server --jsonl into a missing directory", () => server("--tls", "none", "--jsonl", `${MISSING}/x.jsonl`), /--jsonl: .*no such directory/],
    ["server --keylog into a missing directory", () => server("--tls", "none", "--keylog", `${MISSING}/k.log`), /--keylog: .*no such directory/],
    ["client --jsonl into a missing directory", () => client("--tls", "off", "--jsonl", `${MISSING}/x.jsonl`), /--jsonl: .*no such directory/],
    ["client --keylog into a missing directory", () => client("--tls", "off", "--keylog", `${MISSING}/k.log`), /--keylog: .*no such directory/],
    ["attacker --jsonl into a missing directory", () => attacker("--tactic", "observe", "--jsonl", `${MISSING}/x.jsonl`), /--jsonl: .*no such directory/],
    ["attacker --keylog into a missing directory", () => attacker("--tactic", "observe", "--keylog", `${MISSING}/k.log`), /--keylog: .*no such directory/],
    ["run --keylog into a missing directory", () => ["run", "plaintext", "--keylog", `${MISSING}/k.log`], /--keylog: .*no such directory/],
    ["run --pcap into a missing directory", () => ["run", "plaintext", "--pcap", `${MISSING}/x.pcapng`], /--pcap: .*no such directory/],
    ["--jsonl at a directory", () => server("--tls", "none", "--jsonl", T), /--jsonl: .* is a directory/],
    ["--pki that is a file", () => server("--tls", "starttls", "--pki", A_FILE), /--pki: .* is a file, not a directory/],
    ["--pki full of garbage", () => server("--tls", "starttls", "--pki", GARBAGE), /--pki: .*ca\.pem.* not a PEM certificate/],
    ["--pki with a PEM missing", () => server("--tls", "starttls", "--pki", HALF), /--pki: .*missing rogue-key\.pem/],
    ["--pki whose key does not fit its certificate", () => attacker("--tactic", "intercept-tls", "--identity", "self-signed", "--pki", BAD_KEY), /--pki: .*self-signed-key\.pem is not the key of self-signed\.pem/],
    ["attacker --identity from a garbage --pki", () => attacker("--tactic", "intercept-tls", "--identity", "rogue", "--pki", GARBAGE), /--pki: /],
    ["pki --out at a file", () => ["pki", "--out", A_FILE], /--out: .* is a file, not a directory/],
    ["pki --out under /proc", () => ["pki", "--out", "/proc/lab-pki"], /--out: cannot create \/proc\/lab-pki/],
    ["--ca at a directory", () => client("--ca", T), /--ca: .* is a directory/],
    ["--ca with garbage", () => client("--ca", A_FILE), /--ca: .* holds no PEM certificate/],
    ["--ca with a private key", () => client("--ca", path.join(PKI, "ca-key.pem")), /--ca: .* holds a private key/],
    ["--timeout abc", () => client("--tls", "off", "--timeout", "abc"), /--timeout wants milliseconds/],
    ["--timeout -5", () => client("--tls", "off", "--timeout", "-5"), /--timeout wants milliseconds/],
    ["--timeout 0", () => client("--tls", "off", "--timeout", "0"), /--timeout wants milliseconds/],
    ["--timeout 1e12", () => client("--tls", "off", "--timeout", "1e12"), /--timeout wants milliseconds/],
    ["--timeout 1.5", () => client("--tls", "off", "--timeout", "1.5"), /--timeout wants milliseconds/],
    ["server --max-stanza below RFC 6120's 10000", () => server("--tls", "none", "--max-stanza", "9999"), /--max-stanza wants .*10000/],
    ["server --sasl-retries 9", () => server("--tls", "none", "--sasl-retries", "9"), /--sasl-retries wants .*2 to 5/],
    ["server --idle-timeout soon", () => server("--tls", "none", "--idle-timeout", "soon"), /--idle-timeout wants milliseconds/],
    ["server --max-per-address 0", () => server("--tls", "none", "--max-per-address", "0"), /--max-per-address wants/],
    ["attacker --max-stanza abc", () => attacker("--tactic", "observe", "--max-stanza", "abc"), /--max-stanza wants/],
    ["attacker --timeout 1e12", () => attacker("--tactic", "observe", "--timeout", "1e12"), /--timeout wants milliseconds/],
  ])("%s", (_n, args, message) => {
    const r = lab(args());
    expect({ code: r.code, lines: r.err.trim().split("\n").length }).toEqual({ code: 2, lines: 1 });
    expect(r.err).toMatch(message);
    expect(r.err).not.toMatch(/\n\s+at /);
  });

  it("a good --pki still works, and a new directory is filled", () => {
    const fresh = path.join(T, "fresh", "pki");
    const r = lab(["pki", "--out", fresh]);
    expect(r.code).toBe(0);
    expect(fs.existsSync(path.join(fresh, "ca.pem"))).toBe(true);
  });
});
