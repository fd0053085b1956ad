import { describe, expect, it } from "vitest";
import { UsageError } from "../lab/core/errors.js";
import { applySettings, effectiveSettings, SETTING_PATHS, settingsChanged } from "../lab/settings.js";
import { findScenario, SCENARIOS } from "../scenarios/index.js";

const strip = findScenario("starttls-strip")!;

describe("--set PATH=VALUE (lab/settings.ts)", () => {
  it("changes one field and records what differs from the scenario", () => {
    const s = applySettings(strip, ["mallory.tactics=strip-starttls,tamper", "alice.tls=required"]);
    expect(s.mallory.tactics).toEqual(["strip-starttls", "tamper"]);
    expect(s.alice.tls).toBe("required");
    expect(strip.alice.tls).toBe("opportunistic"); // the catalogue itself is untouched
    expect(settingsChanged(s)).toEqual([
      { path: "alice.tls", scenario: "opportunistic", used: "required" },
      { path: "mallory.tactics", scenario: ["strip-starttls", "loot", "tamper"], used: ["strip-starttls", "tamper"] },
    ]);
  });

  it("records every setting as used, defaults filled in", () => {
    const e = effectiveSettings(findScenario("plaintext")!);
    expect(Object.keys(e)).toEqual(SETTING_PATHS);
    expect(e["mallory.identity"]).toBe("none");
    expect(e["alice.channelBinding"]).toBe(false);
    expect(e["alice.mechanisms"]).toEqual(["SCRAM-SHA-256-PLUS", "SCRAM-SHA-1-PLUS", "SCRAM-SHA-256", "SCRAM-SHA-1", "PLAIN"]);
  });

  it("setting a value the scenario already has changes nothing", () => {
    expect(settingsChanged(applySettings(strip, ["alice.tls=opportunistic", "mallory.blockDirectTls=false"]))).toEqual([]);
  });

  it("unsets an optional field with none, booleans with true/false", () => {
    const s = applySettings(findScenario("stolen-key")!, ["mallory.identity=none", "mallory.tactics=observe", "alice.channelBinding=true"]);
    expect(s.mallory.identity).toBeUndefined();
    expect(s.alice.channelBinding).toBe(true);
  });

  it.each([
    ["alice.foo=1", /unknown setting "alice.foo"; settings: alice.tls, alice.verify/],
    ["alice.tls", /--set wants PATH=VALUE/],
    ["alice.tls=maybe", /alice.tls must be one of off, opportunistic, required, direct, not "maybe"/],
    ["alice.channelBinding=yes", /alice.channelBinding is true or false, not "yes"/],
    ["mallory.tactics=strip-starttls,nope", /mallory.tactics: unknown "nope"; choose from observe, strip-starttls/],
    ["mallory.identity=nsa", /mallory.identity must be one of self-signed, .*, none, not "nsa"/],
    ["mallory.tactics=intercept-tls", /intercept-tls, which needs mallory.identity/],
  ])("%s is a usage error that names the valid values", (set, message) => {
    const err = (() => {
      try {
        applySettings(strip, [set]);
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(UsageError);
    expect((err as Error).message).toMatch(message);
  });

  it("every scenario takes every single value of every enum and boolean setting it can run with", () => {
    for (const s of SCENARIOS) {
      for (const path of SETTING_PATHS) {
        const v = effectiveSettings(s)[path];
        if (typeof v === "boolean") expect(() => applySettings(s, [`${path}=${!v}`])).not.toThrow();
      }
    }
  });
});

describe("the header's capability follows the settings", () => {
  it("says what mallory's identity makes her when it is changed, and keeps the scenario's own otherwise", () => {
    expect(applySettings(findScenario("starttls-verified")!, ["mallory.identity=stolen"]).capability).toBe("holds the server's private key");
    expect(applySettings(findScenario("directtls-pinned")!, ["alice.trustsRogueCa=false"]).capability).toBe("on-path, with her own certificate");
    expect(applySettings(findScenario("starttls-strip")!, ["alice.tls=required"]).capability).toBe("on-path only");
  });
});
