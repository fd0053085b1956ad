import { parse } from "ltx";
import { describe, expect, it } from "vitest";
import { scanBoundary } from "../../attacker/boundary.js";
import { IBAN_RULE, offerPlain, parseTactics, stripMechanisms, stripStartTls, tamperMessage } from "../../attacker/tactics.js";
import { mechanismsOf } from "../../lab/core/stanzas.js";

const features = (inner: string) =>
  parse(`<stream:features xmlns:stream='http://etherx.jabber.org/streams'>${inner}</stream:features>`) as any;
const TLS = "xmlns='urn:ietf:params:xml:ns:xmpp-tls'";
const MECHS = "<mechanisms xmlns='urn:ietf:params:xml:ns:xmpp-sasl'><mechanism>SCRAM-SHA-256-PLUS</mechanism><mechanism>SCRAM-SHA-256</mechanism><mechanism>PLAIN</mechanism></mechanisms>";

describe("strip-starttls (pure)", () => {
  it.each([
    ["self-closing", `<starttls ${TLS}/>`, false],
    ["empty", `<starttls ${TLS}></starttls>`, false],
    ["with <required/>", `<starttls ${TLS}><required/></starttls>`, true],
  ])("removes the %s form", (_n, st, required) => {
    const r = stripStartTls(features(st + MECHS));
    expect(r.removed).toBe(true);
    expect(r.required).toBe(required);
    expect(r.el.toString()).not.toContain("starttls");
    expect(mechanismsOf(r.el)).toEqual(["SCRAM-SHA-256-PLUS", "SCRAM-SHA-256", "PLAIN"]);
  });
  it("leaves a <starttls/> in another namespace alone and does not touch its input", () => {
    const f = features(`<starttls xmlns='urn:example:other'/>`);
    expect(stripStartTls(f).removed).toBe(false);
    const g = features(`<starttls ${TLS}/>`);
    stripStartTls(g);
    expect(g.toString()).toContain("starttls");
  });
});

describe("strip-mechanisms and offer-plain (pure)", () => {
  it("removes SCRAM and -PLUS and the XEP-0440 channel-binding feature", () => {
    const r = stripMechanisms(features(MECHS + "<sasl-channel-binding xmlns='urn:xmpp:sasl-cb:0'><channel-binding type='tls-exporter'/></sasl-channel-binding>"));
    expect(mechanismsOf(r.el)).toEqual(["PLAIN"]);
    expect(r.el.toString()).not.toContain("sasl-channel-binding");
    expect(r.notes.join(" ")).toMatch(/SCRAM-SHA-256-PLUS, SCRAM-SHA-256/);
  });
  it("offers PLAIN only when the server offered no mechanism", () => {
    expect(mechanismsOf(offerPlain(features(`<starttls ${TLS}><required/></starttls>`)).el)).toEqual(["PLAIN"]);
    expect(offerPlain(features(MECHS)).notes).toEqual([]);
  });
});

describe("tamper (pure)", () => {
  it("rewrites the IBAN in a body and reports both texts", () => {
    const m = parse("<message to='bob@lab.example'><body>wire to DE89 3704 0044 0532 0130 00 today</body></message>") as any;
    const r = tamperMessage(m, IBAN_RULE)!;
    expect(r.sent).toBe("wire to DE89 3704 0044 0532 0130 00 today");
    expect(r.delivered).toBe("wire to GB33 BUKB 2020 1555 5555 55 today");
    expect(r.el.getChildText("body")).toBe(r.delivered);
  });
  it("leaves messages without a match untouched", () => {
    expect(tamperMessage(parse("<message><body>hi</body></message>") as any, IBAN_RULE)).toBeNull();
  });
});

describe("parseTactics", () => {
  it("rejects an unknown tactic with the list of known ones", () => {
    expect(() => parseTactics("strip-starttls,nope")).toThrow(/unknown tactic "nope".*observe/);
  });
});

describe("scanBoundary", () => {
  const H = "<?xml version='1.0'?><stream:stream to='x' xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams'>";
  it("ends after the header and after each complete stanza", () => {
    const text = H + "<message to='a'><body>1</body></message><presence/><iq type='get'><q";
    const b = scanBoundary(text, 0);
    expect(text.slice(0, b.at).endsWith("<presence/>")).toBe(true);
    expect(b.depth).toBe(2);
  });
  it("continues across chunks and ignores '>' inside attribute values", () => {
    const first = scanBoundary("<message a='x>y'><body>", 1);
    expect(first).toEqual({ at: 0, depth: 3, resume: 23 });
    const second = scanBoundary("hi</body></mess", first.depth);
    expect(second).toEqual({ at: 0, depth: 2, resume: 9 }); // resumes at the incomplete "</mess"
    expect(scanBoundary("</message>", second.depth)).toEqual({ at: 10, depth: 1, resume: 10 });
  });
  it("treats a restart header as stream level", () => {
    expect(scanBoundary("<success xmlns='urn:ietf:params:xml:ns:xmpp-sasl'/>" + H, 1).depth).toBe(1);
  });
});
