import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { findScenario } from "../../../scenarios/index.js";
import { accountsFrom } from "../../../victim-server/index.js";
import { pcapFile } from "../../cli/pcap.js";
import { BOB_PASSWORD } from "../../passwords.js";
import { type RunContext, runScenario } from "../../runner.js";
import type { MaterialRecord } from "../progress.js";
import { digest, newSalt, pick } from "./truth.js";

/**
 * "Find alice's password in this capture": a pcapng of one run of sasl-downgrade (STARTTLS and
 * SCRAM stripped, so alice sends PLAIN in the clear), written by the same code as `run --pcap`,
 * with a password made for this student alone. Finding it is reading a capture: the XMPP
 * stream, the <auth mechanism="PLAIN">, and RFC 4616's base64 payload.
 */
const ADJECTIVES = ["amber", "brisk", "cobalt", "dusty", "eager", "frosty", "gentle", "hollow", "ivory", "jolly", "lunar", "mellow", "nimble", "olive", "proud", "quiet", "rusty", "silent", "tidal", "vivid"];
const NOUNS = ["badger", "comet", "delta", "falcon", "glacier", "harbor", "island", "juniper", "kettle", "lantern", "meadow", "nectar", "orchid", "pepper", "quartz", "raven", "saddle", "thistle", "walnut", "zephyr"];

export function studentPassword(): string {
  return `${pick(ADJECTIVES)}-${pick(NOUNS)}-${crypto.randomInt(1000, 10000)}`;
}

export async function generateCapturePassword(dir: string, ctx: RunContext): Promise<MaterialRecord> {
  const password = studentPassword();
  const file = path.join(dir, "capture.pcapng");
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const pcap = pcapFile(file, "xmpp-mitm-lab exercise investigate-capture-password");
  const passwords = { alice: password, bob: BOB_PASSWORD };
  const r = await runScenario(findScenario("sasl-downgrade")!, { ...ctx, passwords, accounts: accountsFrom(passwords), capture: pcap.capture, keylog: pcap.keylog(ctx.keylog) });
  // The witness's own check that the material holds what the exercise says it does.
  if (!r.witness.passwordExposed.some((p) => p.how === "cleartext")) throw new Error("capture-password: the generated run did not send PLAIN in the clear");
  await pcap.write();
  const salt = newSalt();
  return { generatedAt: new Date().toISOString(), files: [file], salt, truth: { password: digest(salt, password) }, facts: {} };
}
