import { parse } from "ltx";
import { describe, expect, it } from "vitest";
import { IBAN_RULE, offerPlain, parseTactics, stripMechanisms, stripPlus, stripStartTls, tamper, type Where } from "../../attacker/tactics/index.js";
import { mechanismsOf } from "../../lab/core/stanzas.js";

const features = (inner: string) =>
  parse(`<stream:features xmlns:stream='http://etherx.jabber.org/streams'>${inner}</stream:features>`) as any;
const TLS = "xmlns='urn:ietf:params:xml:ns:xmpp-tls'";
const S2C: Where = { dir: "s2c", context: "cleartext", stage: "pre-auth" };
const C2S: Where = { dir: "c2s", context: "cleartext", stage: "post-auth" };
const CB = "<sasl-channel-binding xmlns='urn:xmpp:sasl-cb:0'><channel-binding type='tls-exporter'/></sasl-channel-binding>";
const MECHS = "<mechanisms xmlns='urn:ietf:params:xml:ns:xmpp-sasl'><mechanism>SCRAM-SHA-256-PLUS</mechanism><mechanism>SCRAM-SHA-256</mechanism><mechanism>PLAIN</mechanism></mechanisms>";

describe("strip-starttls (pure)", () => {
  it.each([
    ["self-closing", `<starttls ${TLS}/>`, false],
    ["empty", `<starttls ${TLS}></starttls>`, false],
    ["with <required/>", `<starttls ${TLS}><required/></starttls>`, true],
  ])("removes the %s form", (_n, st, required) => {
    const r = stripStartTls(features(st + MECHS), S2C)!;
    expect(r.edits).toEqual([{ tactic: "strip-starttls", op: "removed-starttls", required }]);
    expect(r.el!.toString()).not.toContain("starttls");
    expect(mechanismsOf(r.el!)).toEqual(["SCRAM-SHA-256-PLUS", "SCRAM-SHA-256", "PLAIN"]);
  });
  it("leaves a <starttls/> in another namespace alone and does not touch its input", () => {
    const f = features(`<starttls xmlns='urn:example:other'/>`);
    expect(stripStartTls(f, S2C)).toBeNull();
    const g = features(`<starttls ${TLS}/>`);
    stripStartTls(g, S2C);
    expect(g.toString()).toContain("starttls");
  });
});

describe("strip-mechanisms and offer-plain (pure)", () => {
  it("removes SCRAM and -PLUS and the XEP-0440 channel-binding feature", () => {
    const r = stripMechanisms()(features(MECHS + CB), S2C)!;
    expect(mechanismsOf(r.el!)).toEqual(["PLAIN"]);
    expect(r.el!.toString()).not.toContain("sasl-channel-binding");
    expect(r.edits).toEqual([
      { tactic: "strip-mechanisms", op: "removed-mechanisms", mechanisms: ["SCRAM-SHA-256-PLUS", "SCRAM-SHA-256"] },
      { tactic: "strip-mechanisms", op: "removed-channel-binding", types: ["tls-exporter"] },
    ]);
  });
  it("strip-plus removes only -PLUS and the channel-binding feature, inside TLS too", () => {
    const r = stripPlus(features(MECHS + CB), { ...S2C, context: "inside-tls" })!;
    expect(mechanismsOf(r.el!)).toEqual(["SCRAM-SHA-256", "PLAIN"]);
    expect(r.edits.map((e) => e.op)).toEqual(["removed-mechanisms", "removed-channel-binding"]);
    expect(stripPlus(features("<mechanisms xmlns='urn:ietf:params:xml:ns:xmpp-sasl'><mechanism>PLAIN</mechanism></mechanisms>"), S2C)).toBeNull();
  });
  it("offers PLAIN only when the server offered no mechanism", () => {
    expect(mechanismsOf(offerPlain(features(`<starttls ${TLS}><required/></starttls>`), S2C)!.el!)).toEqual(["PLAIN"]);
    expect(offerPlain(features(MECHS), S2C)).toBeNull();
  });
});

describe("tamper (pure)", () => {
  it("rewrites the IBAN in a body and reports both texts", () => {
    const m = parse("<message to='bob@lab.example'><body>wire to DE89 3704 0044 0532 0130 00 today</body></message>") as any;
    const r = tamper(IBAN_RULE)(m, C2S)!;
    expect(r.edits).toEqual([{ tactic: "tamper", op: "rewrote-body", before: "wire to DE89 3704 0044 0532 0130 00 today", after: "wire to GB33 BUKB 2020 1555 5555 55 today" }]);
    expect(r.el!.getChildText("body")).toBe("wire to GB33 BUKB 2020 1555 5555 55 today");
    expect(tamper(IBAN_RULE)(m, { ...C2S, dir: "s2c" })).toBeNull(); // only on the way to the server
  });
  it("leaves messages without a match untouched", () => {
    expect(tamper(IBAN_RULE)(parse("<message><body>hi</body></message>") as any, C2S)).toBeNull();
  });
});

describe("parseTactics", () => {
  it("rejects an unknown tactic with the list of known ones", () => {
    expect(() => parseTactics("strip-starttls,nope")).toThrow(/unknown tactic "nope".*observe/);
  });
});

