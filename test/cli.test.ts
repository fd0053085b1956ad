import { execFileSync, spawnSync } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { SCENARIOS } from "../scenarios/index.js";

const ROOT = path.resolve(__dirname, "..");
const BIN = path.join(ROOT, "dist/mitm-lab.mjs");

beforeAll(() => {
  // `npm ci` builds the bin (prepare); build it here too when the suite runs on its own.
  if (!fs.existsSync(BIN)) execFileSync(process.execPath, ["scripts/build.mjs"], { cwd: ROOT });
});

function lab(args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: "utf8", env: { ...process.env, CI: "true", NO_COLOR: "1" }, timeout: 30_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe("the mitm-lab command line (DESIGN §4)", () => {
  it("run --json prints one object per scenario with the contract's fields, and exits 0", () => {
    const r = lab(["run", "starttls-strip", "directtls-pinned", "--json"]);
    expect(r.code).toBe(0);
    const lines = r.out.trim().split("\n").map((l) => JSON.parse(l));
    expect(lines.map((l) => l.id)).toEqual(["starttls-strip", "directtls-pinned"]);
    const [strip, pinned] = lines;
    expect(strip).toMatchObject({ expected: "attack-succeeds", outcome: "attack-succeeds", asExpected: true });
    expect(strip.loot.credentials[0]).toMatchObject({ mechanism: "PLAIN", username: "alice" });
    expect(strip.loot.messagesTampered[0].delivered).toContain("GB33");
    expect(strip.client).toMatchObject({ completed: true, tls: null, error: null });
    expect(pinned).toMatchObject({ outcome: "attack-fails", asExpected: true, client: { completed: false, error: { code: "PIN_MISMATCH" } } });
    expect(pinned.client.tls.peerCert.issuer).toBe("Rogue CA");
    expect(typeof pinned.durationMs).toBe("number");
  });

  it("list --json lists every scenario", () => {
    const r = lab(["list", "--json"]);
    expect(r.code).toBe(0);
    expect(r.out.trim().split("\n").map((l) => JSON.parse(l).id)).toEqual(SCENARIOS.map((s) => s.id));
  });

  it("without a terminal, the default runs everything with the narrator and a verdict table", () => {
    const r = lab([]);
    expect(r.code).toBe(0);
    const n = SCENARIOS.length;
    expect(r.out).toContain(`━━ 1/${n} plaintext`);
    expect(r.out).toContain(`${n} of ${n} scenarios as expected`);
  });

  it.each([
    [["run", "nope"], /no scenario "nope"; mitm-lab list shows the ids/],
    [["run", "--bogus"], /unknown flag --bogus/],
    [["run"], /name a scenario .* or pass --all/],
    [["frobnicate"], /unknown command "frobnicate"/],
    [["client", "--jid", "alice@lab.example", "--password", "x", "--connect", "127.0.0.1:1", "--verify", "pin", "--pin", "nope"], /--pin wants sha256\/BASE64/],
    [["attacker", "--upstream", "127.0.0.1:5222", "--tactic", "strip-starttls,teleport"], /unknown tactic "teleport"/],
    [["server", "--tls", "starttls", "--user", "alice:x"], /needs certificates: add --pki DIR/],
    [["server", "--tls", "none", "--user", "alice:x", "--listen", "10.1.2.3:5222"], /not a loopback address/],
    [["client", "--jid", "alice@lab.example", "--password", "x", "--connect", "192.0.2.7:5222", "--tls", "off"], /not a loopback address/],
  ])("bad usage %j: exit 2 and one line saying what to do", (args, message) => {
    const r = lab(args as string[]);
    expect(r.code).toBe(2);
    expect(r.err.trim().split("\n")).toHaveLength(1);
    expect(r.err).toMatch(message as RegExp);
  });

  it("a busy port is one line and exit 2", async () => {
    const blocker = net.createServer();
    await new Promise<void>((r) => blocker.listen(0, "127.0.0.1", () => r()));
    const port = (blocker.address() as net.AddressInfo).port;
    const r = lab(["server", "--tls", "none", "--user", "alice:x", "--listen", `127.0.0.1:${port}`, "--quiet"]);
    blocker.close();
    expect(r.code).toBe(2);
    expect(r.err.trim()).toBe(`mitm-lab: 127.0.0.1:${port} is already in use; pick another port or use port 0`);
  });

  it("pki writes the identities and pin prints the same pin as openssl", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cli-pki-"));
    expect(lab(["pki", "--out", dir]).code).toBe(0);
    const r = lab(["pin", path.join(dir, "server.pem")]);
    const openssl = execFileSync("sh", ["-c", `openssl x509 -pubkey -noout -in ${dir}/server.pem | openssl pkey -pubin -outform der | openssl dgst -sha256 -binary | base64`]).toString().trim();
    expect(r.out.trim()).toBe("sha256/" + openssl);
  });
});

describe("--keylog", () => {
  it("writes the TLS secrets of every session (alice↔mallory, mallory↔server, bob↔server), mode 0600", () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "keylog-")), "keys.log");
    expect(lab(["run", "starttls-no-verify", "--quiet", "--keylog", file]).code).toBe(0);
    const lines = fs.readFileSync(file, "utf8").trim().split("\n");
    const sessions = new Set(lines.filter((l) => l.startsWith("CLIENT_TRAFFIC_SECRET_0 ")).map((l) => l.split(" ")[1]));
    expect(sessions.size).toBeGreaterThanOrEqual(3);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
  });
});
