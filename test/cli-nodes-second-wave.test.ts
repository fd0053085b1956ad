import { execFileSync, spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BIN, jsonl, labNode, type Proc, tmpdir } from "../interop/helpers.js";

const ROOT = path.resolve(__dirname, "..");
const pki = tmpdir("cli2-pki-");
const running: Proc[] = [];
const tactics = tmpdir("cli2-tactics-");
const badTactic = path.join(tactics, "bad.ts");
fs.writeFileSync(badTactic, "export default function (el: any {\n");

beforeAll(() => {
  if (!fs.existsSync(BIN)) execFileSync(process.execPath, ["scripts/build.mjs"], { cwd: ROOT });
  execFileSync(process.execPath, [BIN, "pki", "--out", pki], { stdio: "ignore" });
});
afterAll(async () => {
  await Promise.all(running.map((p) => p.stop()));
  fs.rmSync(pki, { recursive: true, force: true });
  fs.rmSync(tactics, { recursive: true, force: true });
});

function lab(args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: "utf8", env: { ...process.env, CI: "true", NO_COLOR: "1" }, timeout: 30_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

async function node(args: string[]) {
  const p = await labNode(args);
  running.push(p);
  return p.port;
}

const alice = (port: number, ...more: string[]) =>
  lab(["client", "--connect", `127.0.0.1:${port}`, "--jid", "alice@lab.example", "--password", "a-pw", "--ca", path.join(pki, "ca.pem"), "--timeout", "5000", ...more]);

describe("the standalone nodes' second-wave flags", () => {
  it("server --downgrade-protection and client --downgrade-protection: the XEP-0474 hash is checked and matches", async () => {
    const port = await node(["server", "--listen", "127.0.0.1:0", "--tls", "starttls-required", "--pki", pki, "--user", "alice:a-pw", "--downgrade-protection", "--quiet"]);
    const r = alice(port, "--tls", "required", "--verify", "ca", "--downgrade-protection");
    expect(r.code).toBe(0);
    expect(r.err).toContain("XEP-0474 hash matches");
  });

  it("attacker --identity other-domain: a chain-only client logs in (and says the name is wrong); a name-checking one refuses", async () => {
    const server = await node(["server", "--listen", "127.0.0.1:0", "--tls", "direct", "--pki", pki, "--user", "alice:a-pw", "--quiet"]);
    const mallory = await node(["attacker", "--listen", "127.0.0.1:0", "--upstream", `127.0.0.1:${server}`, "--tactic", "intercept-tls,loot", "--identity", "other-domain", "--pki", pki, "--quiet"]);
    const chain = alice(mallory, "--tls", "direct", "--verify", "chain");
    expect(chain.code).toBe(0);
    expect(chain.err).toContain("the certificate is for DNS:mallory.example, not lab.example");
    const named = alice(mallory, "--tls", "direct", "--verify", "ca");
    expect(named.code).toBe(1);
    expect(named.err).toMatch(/refused: CERT_NAME_MISMATCH/);
  });

  it("attacker --tactic FILE,loot: a student's tactic file runs in a standalone mallory, next to her built-ins", async () => {
    const dir = tmpdir("cli2-tactic-");
    const file = path.join(dir, "strip.ts");
    fs.writeFileSync(file, `export default function (el: any, where: { dir: string }, lab: any) {
  if (where.dir === "s2c" && el.name === "stream:features") { const st = el.getChild("starttls", lab.NS.tls); if (st) el.remove(st); }
}
`);
    const log = path.join(dir, "mallory.jsonl");
    const server = await node(["server", "--listen", "127.0.0.1:0", "--tls", "starttls", "--pki", pki, "--user", "alice:a-pw", "--quiet"]);
    const mallory = await node(["attacker", "--listen", "127.0.0.1:0", "--upstream", `127.0.0.1:${server}`, "--tactic", `${file},loot`, "--jsonl", log, "--quiet"]);
    const r = alice(mallory, "--tls", "opportunistic", "--verify", "ca");
    expect(r.code).toBe(0);
    // The edit is derived from what the file changed; alice, not offered STARTTLS, carried on without it.
    expect(JSON.stringify(jsonl(log))).toContain("removed-starttls");
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it.each([
    [["attacker", "--upstream", "127.0.0.1:5222", "--tactic", "./no-such-tactic.ts,loot"], /--tactic: no such file \.\/no-such-tactic\.ts/],
    [["attacker", "--upstream", "127.0.0.1:5222", "--tactic", "a.ts,b.js"], /--tactic takes one tactic file at a time/],
    [["attacker", "--upstream", "127.0.0.1:5222", "--tactic", "package.json.ts"], /no such file/],
    [["attacker", "--upstream", "127.0.0.1:5222", "--tactic", `strip-starttls,${badTactic}`], /^mitm-lab: --tactic bad\.ts: does not parse: .*\(1:34\)/],
    [["server", "--tls", "none", "--user", "a:b", "--channel-binding-types", "tls-bogus"], /--channel-binding-types: unknown type "tls-bogus"; choose from tls-exporter, tls-unique, tls-server-end-point/],
    [["server", "--tls", "none", "--user", "a:b", "--tls-max-version", "TLSv1.1"], /--tls-max-version must be one of TLSv1.2, TLSv1.3/],
    [["client", "--connect", "127.0.0.1:1", "--jid", "a@lab.example", "--password", "x", "--verify", "chain"], /--verify chain needs --ca FILE.pem/],
    [["client", "--connect", "127.0.0.1:1", "--jid", "a@lab.example", "--password", "x", "--tls", "off", "--fallback-tls", "maybe"], /--fallback-tls must be one of opportunistic, required/],
    [["attacker", "--upstream", "127.0.0.1:5222", "--tactic", "intercept-tls", "--identity", "nsa"], /--identity must be one of self-signed, rogue, stolen, public-ca, other-domain/],
  ])("bad usage %j: exit 2 and one line", (args, message) => {
    const r = lab(args as string[]);
    expect(r.code).toBe(2);
    expect(r.err.trim().split("\n")).toHaveLength(1);
    expect(r.err).toMatch(message as RegExp);
  });
});
