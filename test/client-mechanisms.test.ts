import { describe, expect, it } from "vitest";
import { LabError } from "../lab/core/errors.js";
import { chooseMechanism } from "../victim-client/mechanisms.js";

const ALL = ["SCRAM-SHA-256-PLUS", "SCRAM-SHA-1-PLUS", "SCRAM-SHA-256", "SCRAM-SHA-1", "PLAIN"];

describe("alice's choice of SASL mechanism (pure)", () => {
  it("takes her own preference among what is offered (RFC 6120 §6.3.3)", () => {
    expect(chooseMechanism(ALL, true, true, {})).toBe("SCRAM-SHA-256-PLUS");
    expect(chooseMechanism(["PLAIN", "SCRAM-SHA-1"], true, false, {})).toBe("SCRAM-SHA-1");
    expect(chooseMechanism(ALL, true, true, { preference: ["PLAIN", "SCRAM-SHA-256"] })).toBe("PLAIN");
  });
  it("uses -PLUS only with a channel binding she can compute", () => {
    expect(chooseMechanism(ALL, true, false, {})).toBe("SCRAM-SHA-256");
  });
  it("refuses PLAIN in the clear unless told (RFC 6120 §13.8.3), with a reason", () => {
    const r = chooseMechanism(["PLAIN"], false, false, {});
    expect(r).toBeInstanceOf(LabError);
    expect((r as LabError).code).toBe("NO_SAFE_MECHANISM");
    expect(chooseMechanism(["PLAIN"], false, false, { allowPlainWithoutTls: true })).toBe("PLAIN");
  });
  it("says NO_MECHANISM when nothing offered is known", () => {
    expect((chooseMechanism(["X-OAUTH2"], true, false, {}) as LabError).code).toBe("NO_MECHANISM");
  });
});
