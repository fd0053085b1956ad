import { describe, expect, it } from "vitest";
import { XmlStreamParser } from "../../lab/core/xml-stream.js";
import { HEADER } from "../helpers.js";

function parse(chunks: Array<string | Buffer>, max?: number) {
  const log: string[] = [];
  const p = new XmlStreamParser(
    {
      onStreamStart: (a) => log.push(`start ${a.to}`),
      onElement: (e) => log.push(`el ${e.toString()}`),
      onStreamEnd: () => log.push("end"),
      onError: (c) => log.push(`error ${c}`),
    },
    max,
  );
  for (const c of chunks) p.write(c);
  return { log, p };
}

describe("XmlStreamParser", () => {
  it("emits header, depth-1 elements in jabber:client, and the end", () => {
    const { log } = parse([HEADER, "<message to='b'><body>hi</body></message>", "</stream:stream>"]);
    expect(log).toEqual(["start lab.example", `el <message to="b"><body>hi</body></message>`, "end"]);
  });

  it("decodes UTF-8 split across TCP chunks", () => {
    const bytes = Buffer.from("<message><body>é€😀</body></message>");
    const chunks = [Buffer.from(HEADER), ...Array.from(bytes, (_, i) => bytes.subarray(i, i + 1))];
    expect(parse(chunks).log[1]).toBe("el <message><body>é€😀</body></message>");
  });

  it("treats a restart header on the same stream as a new stream (RFC 6120 §4.3.3)", () => {
    const { log } = parse([HEADER, "<success xmlns='urn:ietf:params:xml:ns:xmpp-sasl'/>", HEADER]);
    expect(log.filter((l) => l.startsWith("start"))).toHaveLength(2);
  });

  it.each([
    ["a DOCTYPE", "<!DOCTYPE foo [<!ENTITY x 'y'>]><message/>"],
    ["a comment", "<!-- hello --><message/>"],
    ["a processing instruction", "<?evil data?>"],
    ["a DOCTYPE split over chunks", "<", "!DOCTYPE x>"],
  ])("answers %s with restricted-xml (§11.1)", (_name, ...rest) => {
    expect(parse([HEADER, ...rest]).log.at(-1)).toBe("error restricted-xml");
  });

  it("allows CDATA and the XML declaration", () => {
    const { log } = parse([HEADER, "<message><body><![CDATA[<!-- not a comment -->]]></body></message>"]);
    expect(log.at(-1)).toBe("el <message><body>&lt;!-- not a comment --&gt;</body></message>");
  });

  it("answers an entity reference other than the five predefined with restricted-xml (§11.1)", () => {
    expect(parse([HEADER, "<message>&lol;</message>"]).log.at(-1)).toBe("error restricted-xml");
  });

  it("answers mismatched tags and text outside stanzas with not-well-formed", () => {
    expect(parse([HEADER, "<a><b></a>"]).log.at(-1)).toBe("error not-well-formed");
    expect(parse(["garbage"]).log.at(-1)).toBe("error not-well-formed");
  });

  it("answers a wrong stream namespace with invalid-namespace", () => {
    expect(parse(["<stream:stream xmlns:stream='urn:wrong'>"]).log.at(-1)).toBe("error invalid-namespace");
  });

  it("answers a stanza over the size limit with policy-violation, across chunks", () => {
    const chunks = [HEADER, "<message><body>", ...Array(20).fill("x".repeat(1000))];
    expect(parse(chunks, 10_000).log.at(-1)).toBe("error policy-violation");
    // Many small stanzas never add up to a violation.
    const many = [HEADER, ...Array(50).fill("<message><body>" + "y".repeat(500) + "</body></message>")];
    expect(parse(many, 10_000).log.at(-1)).not.toMatch(/error/);
  });

  describe("the STARTTLS boundary (§5.4.3.3)", () => {
    function boundary(after: string) {
      let paused: XmlStreamParser | null = null;
      const seen: string[] = [];
      const p = new XmlStreamParser({
        onStreamStart: () => {},
        onElement: (e) => {
          seen.push(e.name);
          if (e.name === "starttls") p.pause(), (paused = p);
        },
        onStreamEnd: () => {},
        onError: () => {},
      });
      p.write(HEADER);
      p.write("<starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>" + after);
      return { leftover: paused!.leftover(), seen };
    }
    it("reports a clean boundary", () => expect(boundary("")).toEqual({ leftover: "none", seen: ["starttls"] }));
    it.each([
      ["an injected stanza", "<iq type='set' id='inj'>INJECTED</iq>"],
      ["half a tag", "<iq"],
      ["text", "abc>"],
      ["whitespace then a stanza", "\n<iq/>"],
    ])("reports %s after <starttls/> as data and never delivers it", (_n, after) => {
      expect(boundary(after)).toEqual({ leftover: "data", seen: ["starttls"] });
    });
    it("tells whitespace alone apart: it carries no command (go-sendxmpp sends a newline)", () => {
      expect(boundary(" \r\n")).toEqual({ leftover: "whitespace", seen: ["starttls"] });
    });
  });
});
