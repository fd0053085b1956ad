import crypto from "node:crypto";
import { describe, expect, it } from "vitest";
import { crackScram, guessMatches, guessTarget, type ScramExchange, wordlistRecovers } from "../../lab/core/sasl/crack.js";
import { ScramClient } from "../../lab/core/sasl/scram.js";
import { BUNDLED_WORDLIST, parseWordlist } from "../../lab/crack/wordlist.js";

const unb64 = (s: string) => Buffer.from(s, "base64").toString("utf8");

/** The RFC exchanges, as mallory would have recorded them. */
const RFC5802: ScramExchange = {
  mechanism: "SCRAM-SHA-1",
  clientFirst: "n,,n=user,r=fyko+d2lbbFgONRv9qkxdawL",
  serverFirst: "r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,s=QSXCR+Q6sek8bf92,i=4096",
  clientFinal: "c=biws,r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,p=v0X8v3Bz2T0CJGbJQyF0X+HI4Ts=",
};
const RFC7677: ScramExchange = {
  mechanism: "SCRAM-SHA-256",
  clientFirst: "n,,n=user,r=rOprNGfwEbeRWgbNEkqO",
  serverFirst: "r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096",
  clientFinal: "c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=",
};
/**
 * XEP-0474 v0.5.0 §4.3's full example (password "pencil"): SCRAM-SHA-1-PLUS with tls-exporter,
 * the h= attribute in server-first and an x= extension in client-final. The channel-binding
 * data is inside c=, so the guess needs nothing else.
 */
const XEP0474: ScramExchange = {
  mechanism: "SCRAM-SHA-1-PLUS",
  clientFirst: unb64("cD10bHMtZXhwb3J0ZXIsLG49dXNlcixyPTEyQzRDRDVDLUUzOEUtNEE5OC04RjZELTE1QzM4RjUxQ0NDNg=="),
  serverFirst: unb64(
    "cj0xMkM0Q0Q1Qy1FMzhFLTRBOTgtOEY2RC0xNUMzOEY1MUNDQzZhMDkxMTdhNi1hYzUwLTRmMmYtOTNmMS05Mzc5OWMyYmRkZjYscz1RU1hDUitRNnNlazhiZjkyLGk9NDA5NixoPUc2ay9yQkxEcWdPaFJSYUN1dWF0U0RGa0owOD0=",
  ),
  clientFinal: unb64(
    "Yz1jRDEwYkhNdFpYaHdiM0owWlhJc0xGUklTVk1nU1ZNZ1JrRkxSU0JEUWlCRVFWUkIscj0xMkM0Q0Q1Qy1FMzhFLTRBOTgtOEY2RC0xNUMzOEY1MUNDQzZhMDkxMTdhNi1hYzUwLTRmMmYtOTNmMS05Mzc5OWMyYmRkZjYseD0xOUM2NTMyRi0xQ0Y0LTRBMjctQTE4RC1EQzlDRUE0MUJCQjMscD1NL1NJRGpUK2RmY3hVaDg5alpFeXBSdkZ4QjQ9",
  ),
};

/** A fresh exchange made by the lab's own SCRAM client, as it would cross mallory's socket. */
async function liveExchange(mechanism: string, password: string, iterations = 4096): Promise<ScramExchange> {
  const plus = mechanism.endsWith("-PLUS");
  const c = new ScramClient(mechanism, "alice", password, plus ? { binding: { type: "tls-exporter", data: crypto.randomBytes(32) } } : { bindingSupported: true });
  const serverFirst = `r=${c.nonce}srv${crypto.randomBytes(6).toString("hex")},s=${crypto.randomBytes(16).toString("base64")},i=${iterations}`;
  return { mechanism, clientFirst: c.clientFirst(), serverFirst, clientFinal: await c.clientFinal(serverFirst) };
}

describe("offline guessing against a recorded SCRAM exchange (RFC 5802 §3, §9)", () => {
  it.each([
    ["RFC 5802 §5", RFC5802],
    ["RFC 7677 §3", RFC7677],
    ["XEP-0474 §4.3 (-PLUS, h=, x=)", XEP0474],
  ])("recovers the %s password, counting guesses in list order", async (_name, x) => {
    const r = await crackScram(x, ["123456", "password", "pencil", "pencil2"]);
    expect(r).toMatchObject({ username: "user", mechanism: x.mechanism, iterations: 4096, password: "pencil", guesses: 3 });
  });

  it.each(["SCRAM-SHA-1", "SCRAM-SHA-256", "SCRAM-SHA-1-PLUS", "SCRAM-SHA-256-PLUS"])("%s: found when on the list, not found (every word tried) when not", async (mech) => {
    const x = await liveExchange(mech, "sunshine");
    expect(await crackScram(x, ["letmein", "dragon", "sunshine"], { concurrency: 2 })).toMatchObject({ password: "sunshine", guesses: 3, username: "alice" });
    expect(await crackScram(x, ["letmein", "dragon", "Sunshine"])).toMatchObject({ password: null, guesses: 3 });
  });

  it("the first matching word in list order wins, however the guesses interleave", async () => {
    const x = await liveExchange("SCRAM-SHA-256", "x");
    const words = ["a", "b", "c", "x", "d", "e", "x", "f"];
    for (const concurrency of [1, 3, 8]) expect((await crackScram(x, words, { concurrency })).guesses).toBe(4);
  });

  it("says from ground truth, in one guess, whether a wordlist recovers an exchange", async () => {
    const x = await liveExchange("SCRAM-SHA-256", "sunshine");
    expect(wordlistRecovers(x, "sunshine", BUNDLED_WORDLIST)).toEqual({ recovered: true, guesses: BUNDLED_WORDLIST.indexOf("sunshine") + 1, iterations: 4096 });
    const strong = await liveExchange("SCRAM-SHA-256", "Vq7-tundra-Lisbon-ember-42");
    expect(wordlistRecovers(strong, "Vq7-tundra-Lisbon-ember-42", BUNDLED_WORDLIST)).toEqual({ recovered: false, guesses: BUNDLED_WORDLIST.length, iterations: 4096 });
    // A listed word that is not the exchange's password recovers nothing.
    expect(wordlistRecovers(strong, "sunshine", BUNDLED_WORDLIST).recovered).toBe(false);
    expect(guessMatches(guessTarget(strong), "Vq7-tundra-Lisbon-ember-42")).toBe(true);
  });

  it("refuses an exchange that asks for more rounds than the limit, and one with parts missing", async () => {
    const x = await liveExchange("SCRAM-SHA-1", "pencil", 5000);
    await expect(crackScram(x, ["pencil"], { maxIterations: 4096 })).rejects.toThrow(/iteration count 5000 is above the limit of 4096/);
    expect(() => guessTarget({ ...x, clientFinal: x.clientFinal.replace(/,p=.*/, "") })).toThrow(/no proof/);
    expect(() => guessTarget({ ...x, serverFirst: "r=abc" })).toThrow(/no salt/);
    expect(() => guessTarget({ ...x, mechanism: "DIGEST-MD5" })).toThrow(/not a SCRAM/);
  });
});

describe("the bundled wordlist", () => {
  it("is John the Ripper's top 1,000, without blanks, weak passwords first", () => {
    expect(BUNDLED_WORDLIST).toHaveLength(1000);
    expect(BUNDLED_WORDLIST.slice(0, 3)).toEqual(["123456", "12345", "password"]);
    expect(BUNDLED_WORDLIST).not.toContain("");
    expect(BUNDLED_WORDLIST).toContain("sunshine");
  });
  it("parses a wordlist file: one word a line, john's comments and blank lines skipped", () => {
    expect(parseWordlist("#!comment: x\nalpha\r\n\nbeta with space\n")).toEqual(["alpha", "beta with space"]);
  });
});
