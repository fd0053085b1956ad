import { spawnSync } from "node:child_process";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { generatePki, type LabPki, writePki } from "../lab/pki.js";
import { BIN, jsonl, labNode, proc, SLIX, tmpdir } from "./helpers.js";
import { startProsody } from "./prosody.js";

/**
 * Offline cracking on real software: slixmpp logs in to Prosody through a standalone mallory
 * that strips STARTTLS; Prosody allows SCRAM in the clear; `mitm-lab crack` then guesses the
 * password from mallory's --jsonl log alone (RFC 5802 §9).
 */
let pki: LabPki;
let pkiDir: string;

beforeAll(async () => {
  pki = await generatePki();
  pkiDir = tmpdir("lab-crack-pki-");
  writePki(pki, pkiDir);
});

async function recordLogin(password: string): Promise<string> {
  const prosody = await startProsody(pki, { requireEncryption: false, users: { alice: password, bob: "bob-interop-pw" } });
  const log = path.join(tmpdir("lab-crack-"), "mallory.jsonl");
  const mallory = await labNode(["attacker", "--listen", "127.0.0.1:0", "--upstream", `127.0.0.1:${prosody.c2s}`, "--tactic", "strip-starttls", "--jsonl", log, "--quiet"]);
  try {
    const slix = proc("/usr/bin/python3", [SLIX, "alice@lab.example", password, "127.0.0.1", String(mallory.port), "starttls", path.join(pkiDir, "ca.pem"), "--send", "bob@lab.example:hello"]);
    expect(await slix.exit, slix.out() + slix.err()).toBe(0);
  } finally {
    await mallory.stop();
    await prosody.stop();
  }
  // What crossed mallory in the clear: slixmpp's SCRAM login, no PLAIN (slixmpp refuses it unencrypted).
  const auth = jsonl(log).filter((e) => e.kind === "relay" && /<auth /.test(e.xml));
  expect(auth.map((e) => /mechanism=["']([^"']+)/.exec(e.xml)?.[1])).toEqual([expect.stringMatching(/^SCRAM-SHA-/)]);
  return log;
}

function crack(log: string) {
  const r = spawnSync(process.execPath, [BIN, "crack", log], { encoding: "utf8", env: { ...process.env, NO_COLOR: "1" }, timeout: 60_000 });
  return { code: r.status, out: r.stdout + r.stderr };
}

describe("mitm-lab crack on a standalone mallory's log of slixmpp → Prosody", () => {
  it("recovers a weak password from the SCRAM exchange slixmpp sent through a stripped STARTTLS", async () => {
    const r = crack(await recordLogin("sunshine"));
    expect(r.code, r.out).toBe(0);
    expect(r.out).toMatch(/^1\. \(m1\) alice, SCRAM-SHA-(1|256), \d+ iterations: password "sunshine" found after 108 guesses in /m);
  });

  it("a strong password is not on the list: every guess fails, exit 1", async () => {
    const r = crack(await recordLogin("Vq7-tundra-Lisbon-ember-42"));
    expect(r.code, r.out).toBe(1);
    expect(r.out).toMatch(/alice, SCRAM-SHA-(1|256), \d+ iterations: not found - 1000 guesses failed/);
  });
});
