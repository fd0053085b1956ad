import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findExercise, type InvestigateExercise } from "../../exercises/index.js";
import { crackScram } from "../../lab/core/sasl/crack.js";
import type { LabEvent } from "../../lab/core/events.js";
import { exchangesFromLog } from "../../lab/crack/exchanges.js";
import { BUNDLED_WORDLIST, parseWordlist } from "../../lab/crack/wordlist.js";
import { checkAnswer } from "../../lab/exercises/investigate.js";
import { POOL } from "../../lab/exercises/material/defences.js";
import { generateCapturePassword } from "../../lab/exercises/material/capture-password.js";
import { generateScramCrack } from "../../lab/exercises/material/scram-crack.js";
import { generateWhichScenario } from "../../lab/exercises/material/which-scenario.js";
import { createRunContext, type RunContext } from "../../lab/runner.js";
import { UsageError } from "../../lab/core/errors.js";
import { tempConfig } from "./helpers.js";

const tmp = tempConfig();
let ctx: RunContext;
beforeAll(async () => {
  ctx = await createRunContext();
});
afterAll(() => tmp.cleanup());

describe("investigate-crack-scram", () => {
  const ex = findExercise("investigate-crack-scram") as InvestigateExercise;

  it("the reference solution (crack the log with the leaked list) recovers the answer; wrong answers are told why", async () => {
    const dir = path.join(tmp.dir, "crack");
    const m = await generateScramCrack(dir, ctx);
    const log = exchangesFromLog(fs.readFileSync(path.join(dir, "mallory.jsonl"), "utf8"));
    expect(log.exchanges).toHaveLength(1);
    const leaked = parseWordlist(fs.readFileSync(path.join(dir, "leaked-passwords.txt"), "utf8"));
    // The bundled list does not have it: the student must use the exercise's list.
    expect((await crackScram(log.exchanges[0], BUNDLED_WORDLIST)).password).toBeNull();
    const found = (await crackScram(log.exchanges[0], leaked)).password;
    expect(found).not.toBeNull();
    expect(checkAnswer(ex, found!, m).solved).toBe(true);
    expect(checkAnswer(ex, `"${found}"`, m).solved).toBe(true);

    const wrong = checkAnswer(ex, leaked.find((w) => w !== found)!, m);
    expect(wrong.solved).toBe(false);
    expect(wrong.summary).toMatch(/not the password alice used/);
    expect(wrong.details.join("\n")).toMatch(/mitm-lab crack says "found"/);
    expect(checkAnswer(ex, `alice:${found}`, m).summary).toMatch(/without the username/);
    expect(checkAnswer(ex, Buffer.from(`\0alice\0${found}`).toString("base64"), m).summary).toMatch(/base64 payload/);
    expect(() => checkAnswer(ex, "  ", m)).toThrow(UsageError);
    // The ground truth is kept hashed: the progress file does not hold the answer.
    expect(JSON.stringify(m)).not.toContain(found!);
  });

  it("is different each time it is generated", async () => {
    const a = await generateScramCrack(path.join(tmp.dir, "a"), ctx);
    const b = await generateScramCrack(path.join(tmp.dir, "b"), ctx);
    expect(a.truth.password).not.toBe(b.truth.password);
    expect(fs.readFileSync(a.files[1], "utf8")).not.toBe(fs.readFileSync(b.files[1], "utf8"));
  });
});

/**
 * The reference solution of investigate-which-scenario, as a student would reason from the
 * trace: how alice reached TLS, which certificate she saw, and what refused.
 */
function solveFromTrace(events: LabEvent[]): { scenario: string; defence: string } {
  const alice = events.filter((e) => e.node === "alice");
  // alice said nothing in the clear: TLS from the first byte (a refused handshake leaves no tls event).
  const direct = !alice.some((e) => e.kind === "stanza" && !e.secure);
  const error = alice.find((e) => e.kind === "error") as Extract<LabEvent, { kind: "error" }> | undefined;
  const refused = events.find((e) => e.node === "server" && e.kind === "auth" && !e.ok && e.username === "alice") as Extract<LabEvent, { kind: "auth" }> | undefined;
  const bitFlipped = events.some((e) => e.node === "mallory" && e.kind === "move" && e.move.type === "bit-flipped");
  const fellBack = alice.some((e) => e.kind === "decision" && e.decision.type === "fallback");
  if (refused?.reason === "channel-binding-mismatch") return { scenario: direct ? "channel-binding" : "jabber-ru-channel-binding", defence: "channel-binding" };
  if (error?.code === "MECHANISM_DOWNGRADE" || error?.code === "DOWNGRADE_DETECTED") return { scenario: "downgrade-protection", defence: "downgrade-protection" };
  if (error?.code === "PIN_MISMATCH") return { scenario: "directtls-pinned", defence: "pin" };
  if (bitFlipped || error?.code === "TLS_INTEGRITY") return { scenario: "directtls-tamper", defence: "integrity" };
  if (error?.code === "STARTTLS_UNAVAILABLE") return { scenario: fellBack ? "directtls-fallback-required" : "starttls-required-client", defence: "required-tls" };
  if (error?.code === "CERT_UNTRUSTED") return { scenario: direct ? "directtls-verified" : "starttls-verified", defence: "certificate" };
  return { scenario: "starttls-passive", defence: "tls" };
}

describe("investigate-which-scenario", () => {
  const ex = findExercise("investigate-which-scenario") as InvestigateExercise;

  it.each(POOL.map((p) => [p[0], p] as const))("a trace of %s: the reference solution reads it; wrong halves are told apart", async (_, choice) => {
    const dir = path.join(tmp.dir, `which-${choice[0]}`);
    const m = await generateWhichScenario(dir, ctx, choice);
    const events = fs.readFileSync(path.join(dir, "trace.jsonl"), "utf8").trim().split("\n").map((l) => JSON.parse(l) as LabEvent);
    const text = fs.readFileSync(path.join(dir, "trace.txt"), "utf8");
    // Nothing in the material names the scenario (some ids are also a fact's name: channel-binding).
    if (!["channel-binding", "downgrade-protection"].includes(choice[0])) {
      expect(text).not.toContain(choice[0]);
      expect(JSON.stringify(events)).not.toContain(`"${choice[0]}"`);
    }
    expect(events.every((e) => !("scenario" in e))).toBe(true);
    const a = solveFromTrace(events);
    expect(checkAnswer(ex, `${a.scenario} ${a.defence}`, m).solved).toBe(true);
    const otherScenario = POOL.find(([s, d]) => s !== a.scenario && d !== a.defence)!;
    expect(checkAnswer(ex, `${a.scenario} ${otherScenario[1]}`, m).summary).toMatch(/the scenario is right/);
    expect(checkAnswer(ex, `${otherScenario[0]} ${a.defence}`, m).summary).toMatch(/what stopped mallory is right/);
    expect(checkAnswer(ex, `${otherScenario[0]}, ${otherScenario[1]}`, m).solved).toBe(false);
  });

  it("bad answers are usage errors that say the format", async () => {
    const m = await generateWhichScenario(path.join(tmp.dir, "which-usage"), ctx, POOL[0]);
    expect(() => checkAnswer(ex, "starttls-passive", m)).toThrow(/a scenario id and what stopped mallory/);
    expect(() => checkAnswer(ex, "nope tls", m)).toThrow(/no scenario "nope"/);
    expect(() => checkAnswer(ex, "starttls-passive luck", m)).toThrow(/one of: tls, required-tls/);
  });
});

describe("investigate-capture-password", () => {
  const ex = findExercise("investigate-capture-password") as InvestigateExercise;

  it("the reference solution (strings, then base64 of the PLAIN <auth>) finds the password; a wrong one is told why", async () => {
    const dir = path.join(tmp.dir, "capture");
    const m = await generateCapturePassword(dir, ctx);
    const bytes = fs.readFileSync(path.join(dir, "capture.pcapng"));
    expect(bytes.readUInt32LE(0)).toBe(0x0a0d0d0a); // a pcapng Section Header Block
    // What `strings capture.pcapng | grep auth` shows a student: the PLAIN <auth>, base64 inside.
    const auth = /<auth[^>]*mechanism=["']PLAIN["'][^>]*>([A-Za-z0-9+/=]+)<\/auth>/.exec(bytes.toString("latin1"));
    expect(auth).not.toBeNull();
    const [, user, password] = Buffer.from(auth![1], "base64").toString("utf8").split("\0");
    expect(user).toBe("alice");
    expect(checkAnswer(ex, password, m).solved).toBe(true);
    expect(checkAnswer(ex, auth![1], m).summary).toMatch(/base64 payload/);
    const wrong = checkAnswer(ex, "hunter2", m);
    expect(wrong.solved).toBe(false);
    // Pointed at the capture's own PLAIN login, not at mitm-lab crack (that is the other exercise).
    expect(wrong.details.join("\n")).toMatch(/<auth mechanism='PLAIN'>/);
    expect(wrong.details.join("\n")).not.toMatch(/crack/);
  });

  it("is different for each student", async () => {
    const a = await generateCapturePassword(path.join(tmp.dir, "cap-a"), ctx);
    const b = await generateCapturePassword(path.join(tmp.dir, "cap-b"), ctx);
    expect(fs.readFileSync(a.files[0])).not.toEqual(fs.readFileSync(b.files[0]));
    expect(a.truth.password).not.toBe(b.truth.password);
  });
});
