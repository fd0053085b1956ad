import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { findScenario } from "../../../scenarios/index.js";
import { accountsFrom } from "../../../victim-server/index.js";
import { BUNDLED_WORDLIST } from "../../crack/wordlist.js";
import { BOB_PASSWORD } from "../../passwords.js";
import { type RunContext, runScenario } from "../../runner.js";
import { applySettings } from "../../settings.js";
import type { MaterialRecord } from "../progress.js";
import { digest, newSalt, pick } from "./truth.js";

/**
 * "Crack this SCRAM exchange with the wordlist": a mallory log of alice logging in with SCRAM in
 * the clear (STARTTLS stripped, PLAIN not offered), and a list of passwords "leaked from another
 * site". alice's password is on that list - at a place of its own for each student - and on no
 * list the lab bundles, so `mitm-lab crack` finds it only with --wordlist.
 */
const SUFFIXES = ["1", "12", "123", "!", "2019", "2020", "2021", "2022", "2023", "2024", "99", "07", "#1", "_x", "88"];

/** About 400 plausible leaked passwords, none on the bundled list. */
export function leakedList(): string[] {
  const words = new Set<string>();
  const bundled = new Set(BUNDLED_WORDLIST);
  while (words.size < 400) {
    const base = pick(BUNDLED_WORDLIST.filter((w) => /^[a-z]{4,10}$/.test(w)));
    const w = crypto.randomInt(3) === 0 ? base[0].toUpperCase() + base.slice(1) + pick(SUFFIXES) : base + pick(SUFFIXES);
    if (!bundled.has(w)) words.add(w);
  }
  return [...words];
}

export async function generateScramCrack(dir: string, ctx: RunContext): Promise<MaterialRecord> {
  const list = leakedList();
  // Not among the first few: the student should let the tool work, not guess by eye.
  const password = list[50 + crypto.randomInt(list.length - 50)];
  const mechanism = pick(["SCRAM-SHA-1", "SCRAM-SHA-256"]);
  const s = applySettings(findScenario("starttls-strip")!, [
    `server.mechanisms=${mechanism}`,
    "server.allowPlainCleartext=false",
    "mallory.tactics=strip-starttls,observe",
  ]);
  const passwords = { alice: password, bob: BOB_PASSWORD };
  const r = await runScenario(s, { ...ctx, passwords, accounts: accountsFrom(passwords) });
  const scram = r.witness.scramExposed[0];
  if (!scram) throw new Error("scram-crack: the generated run recorded no SCRAM exchange");
  // As `mitm-lab attacker --jsonl` writes it: mallory's events, one JSON object a line.
  const log = r.events.filter((e) => e.node === "mallory").map((e) => JSON.stringify(e)).join("\n") + "\n";
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const files = [path.join(dir, "mallory.jsonl"), path.join(dir, "leaked-passwords.txt")];
  fs.writeFileSync(files[0], log);
  fs.writeFileSync(files[1], list.join("\n") + "\n");
  const salt = newSalt();
  return {
    generatedAt: new Date().toISOString(),
    files,
    salt,
    truth: { password: digest(salt, password) },
    facts: { mechanism, iterations: scram.iterations, words: list.length },
  };
}
