import { describe, expect, it } from "vitest";
import { XmlStreamParser } from "../../lab/core/xml-stream.js";
import { HEADER } from "../helpers.js";

/** Every event the parser reports, as one line each, so two runs can be compared. */
function events(chunks: Array<string | Buffer>, opts: { maxStanza?: number; maxDepth?: number } = {}) {
  const log: string[] = [];
  const p = new XmlStreamParser(
    {
      onStreamStart: (a) => log.push(`start ${JSON.stringify(a)}`),
      onElement: (e) => log.push(`el ${e.toString()}`),
      onStreamEnd: () => log.push("end"),
      onError: (c, t) => log.push(`error ${c}: ${t}`),
    },
    opts.maxStanza,
    { maxDepth: opts.maxDepth },
  );
  for (const c of chunks) p.write(c);
  return log;
}

const lastError = (chunks: Array<string | Buffer>, opts = {}) => {
  const e = events(chunks, opts).find((l) => l.startsWith("error"));
  return e ? e.slice(6, e.indexOf(":")) : null;
};

const SASL = "xmlns='urn:ietf:params:xml:ns:xmpp-sasl'";
const DECL = "<?xml version='1.0'?>";
/** What a client sends in a whole session, restart header and multibyte text included. */
const CLIENT_STREAM =
  HEADER +
  `<auth ${SASL} mechanism='PLAIN'>AGFsaWNlAHNlY3JldA==</auth>` +
  HEADER +
  "<iq type='set' id='b1'><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'><resource>r</resource></bind></iq>" +
  ` <message to="bob@lab.example" type='chat'><body a='x&gt;y'>Grüße €100 😀 &amp; &#x263A; <![CDATA[<b>]]></body></message>\n` +
  "</stream:stream>";
/** What a server sends back, with attributes in both quote styles and a restart. */
const SERVER_STREAM =
  DECL +
  `<stream:stream from="lab.example" id="s1" version="1.0" xml:lang="en" xmlns="jabber:client" xmlns:stream="http://etherx.jabber.org/streams">` +
  `<stream:features><mechanisms ${SASL}><mechanism>SCRAM-SHA-256</mechanism><mechanism>PLAIN</mechanism></mechanisms></stream:features>` +
  `<success ${SASL}/>` +
  DECL +
  `<stream:stream from='lab.example' id='s2' version='1.0' xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams'>` +
  "<stream:features><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'/></stream:features>" +
  "<iq type='result' id='b1'><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'><jid>alice@lab.example/r</jid></bind></iq>" +
  "<message from='bob@lab.example/x' to='alice@lab.example/r'><body>¡hola! 𝄞</body></message>" +
  "</stream:stream>";

describe("framing for any split of the byte stream (issue 13, items 1 and 2)", () => {
  for (const [name, stream] of [["client", CLIENT_STREAM], ["server", SERVER_STREAM]] as const) {
    const bytes = Buffer.from(stream);
    const whole = events([bytes]);

    it(`a valid ${name} stream parses without error in one piece`, () => {
      expect(whole.filter((l) => l.startsWith("error"))).toEqual([]);
      expect(whole.at(-1)).toBe("end");
    });

    it(`a valid ${name} stream cut at every one of its ${bytes.length - 1} byte offsets gives the same events`, () => {
      for (let cut = 1; cut < bytes.length; cut++) {
        const split = events([bytes.subarray(0, cut), bytes.subarray(cut)]);
        if (JSON.stringify(split) !== JSON.stringify(whole)) {
          expect({ cut, split }).toEqual({ cut, split: whole });
        }
      }
    });

    it(`a valid ${name} stream sent one byte at a time gives the same events`, () => {
      expect(events(Array.from(bytes, (_, i) => bytes.subarray(i, i + 1)))).toEqual(whole);
    });
  }

  it("a restart header cut between the ? and the > of <?xml?> still restarts the stream", () => {
    const log = events([HEADER, `<success ${SASL}/><?xml version='1.0'?`, ">" + HEADER.slice(DECL.length), "<presence/>"]);
    expect(log.filter((l) => l.startsWith("start"))).toHaveLength(2);
    expect(log.at(-1)).toBe("el <presence/>");
  });

  it("<?xml?> inside a stanza is an error, never a place where text disappears", () => {
    const log = events([HEADER, "<message><body>visible <?xml version='1.0'?> hidden</body></message>"]);
    expect(log.at(-1)).toMatch(/^error not-well-formed/);
    expect(log.some((l) => l.startsWith("el"))).toBe(false);
  });

  it("a comment cut after '<!-' is still reported as a comment (found by the fuzz test)", () => {
    expect(events([HEADER, "<!-", "- c -->"]).at(-1)).toBe("error restricted-xml: an XML comment (RFC 6120 §11.1)");
  });

  it("an XML declaration between stanzas must be followed by a stream header", () => {
    expect(lastError([HEADER, DECL + "<message/>"])).toBe("not-well-formed");
  });
});

describe("XML 1.0 well-formedness and RFC 6120 §11 (issue 13, item 7)", () => {
  const inStanza = (inner: string | Buffer) => [HEADER, "<message><body>", inner, "</body></message>"];
  it.each([
    ["a NUL character", "a\u0000b", "not-well-formed"],
    ["a C0 control", "a\u0007b", "not-well-formed"],
    ["U+FFFE", "a\uFFFEb", "not-well-formed"],
    ["U+FFFF", "a\uFFFFb", "not-well-formed"],
    ["a reference to NUL", "&#0;", "not-well-formed"],
    ["a reference to U+FFFE", "&#xFFFE;", "not-well-formed"],
    ["a reference to a surrogate", "&#xD800;", "not-well-formed"],
    ["a bare ampersand", "fish & chips", "not-well-formed"],
    ["]]> in character data", "a ]]> b", "not-well-formed"],
    ["an entity reference other than the five", "&nbsp;", "restricted-xml"],
    ["invalid UTF-8 (0xFF)", Buffer.from([0x61, 0xff, 0x62]), "unsupported-encoding"],
    ["an overlong UTF-8 sequence", Buffer.from([0xc0, 0xbc]), "unsupported-encoding"],
    ["a UTF-8 encoded surrogate", Buffer.from([0xed, 0xa0, 0x80]), "unsupported-encoding"],
    ["a lone continuation byte", Buffer.from([0x80]), "unsupported-encoding"],
  ])("%s in character data gives <%s/>", (_n, inner, cond) => {
    expect(lastError(inStanza(inner))).toBe(cond);
  });

  it("delivers nothing of a stanza with an illegal character", () => {
    expect(events(inStanza("a\u0000b")).some((l) => l.startsWith("el"))).toBe(false);
  });

  it.each([
    ["a duplicate attribute", "<message to='a' to='b'/>", "not-well-formed"],
    ["a duplicate attribute by namespace", "<message xmlns:a='urn:x' xmlns:b='urn:x' a:t='1' b:t='2'/>", "not-well-formed"],
    ["an unquoted attribute", "<message to=bob/>", "not-well-formed"],
    ["an attribute without a value", "<message checked/>", "not-well-formed"],
    ["< in an attribute value", "<message to='a<b'/>", "not-well-formed"],
    ["an illegal character in an attribute value", "<message to='a\u0001b'/>", "not-well-formed"],
    ["an undeclared element prefix", "<foo:message/>", "not-well-formed"],
    ["an undeclared attribute prefix", "<message foo:to='x'/>", "not-well-formed"],
    ["an empty namespace for a prefix", "<message xmlns:foo=''/>", "not-well-formed"],
    ["a name that starts with a digit", "<1message/>", "not-well-formed"],
    ["two colons in a name", "<a:b:c xmlns:a='urn:x'/>", "not-well-formed"],
    ["a mismatched end tag", "<message></iq>", "not-well-formed"],
    ["a comment", "<message><!-- c --></message>", "restricted-xml"],
    ["a processing instruction", "<message><?php x ?></message>", "restricted-xml"],
    ["a DOCTYPE", "<!DOCTYPE message [<!ENTITY x 'y'>]>", "restricted-xml"],
  ])("%s gives <%s/>", (_n, xml, cond) => {
    expect(lastError([HEADER, xml])).toBe(cond);
  });

  it("accepts what XML allows: > in attribute values, both quotes, whitespace around =, CRLF (normalised)", () => {
    const log = events([HEADER, `<message to = "a>b" id='x"y'><body>l1\r\nl2\rl3</body></message>`]);
    expect(log.at(-1)).toBe(`el <message to="a&gt;b" id="x&quot;y"><body>l1\nl2\nl3</body></message>`);
  });

  it.each([
    ["version='2.0' in the XML declaration", "<?xml version='2.0'?>" + HEADER.slice(DECL.length), "not-well-formed"],
    ["encoding='UTF-16'", "<?xml version='1.0' encoding='UTF-16'?>" + HEADER.slice(DECL.length), "unsupported-encoding"],
    ["a standalone declaration", "<?xml version='1.0' standalone='no'?>" + HEADER.slice(DECL.length), "restricted-xml"],
    ["a UTF-8 byte order mark", Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(HEADER)]), "not-well-formed"],
    ["a UTF-16 byte order mark", Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(HEADER, "utf16le")]), "unsupported-encoding"],
    ["<foo:stream> for the stream namespace", "<foo:stream xmlns:foo='http://etherx.jabber.org/streams' xmlns='jabber:client'>", "bad-namespace-prefix"],
    ["an unprefixed stream element", "<stream xmlns='http://etherx.jabber.org/streams'>", "bad-namespace-prefix"],
    ["a wrong stream namespace", "<stream:stream xmlns:stream='urn:wrong'>", "invalid-namespace"],
    ["a stanza instead of a header", "<message/>", "invalid-namespace"],
  ])("%s gives <%s/>", (_n, first, cond) => {
    expect(lastError([first as string | Buffer])).toBe(cond);
  });

  it("accepts encoding='utf-8' in any case", () => {
    expect(lastError(["<?xml version='1.0' encoding='utf-8'?>" + HEADER.slice(DECL.length)])).toBe(null);
  });

  it("10,000-deep nesting gives <policy-violation/>, not a stack overflow", () => {
    const log = events([HEADER, "<a>".repeat(10_000)]);
    expect(log.at(-1)).toMatch(/^error policy-violation: .*nest/);
  });
});

describe("size limits on bytes buffered (issue 13, item 4)", () => {
  it("a 270 KiB stanza arriving in one read breaks a 256 KiB limit", () => {
    const big = `<message><body>${"x".repeat(270 * 1024)}</body></message>`;
    expect(lastError([HEADER + big], { maxStanza: 256 * 1024 })).toBe("policy-violation");
  });

  it("the limit counts bytes, not characters", () => {
    const big = `<message><body>${"€".repeat(100 * 1024)}</body></message>`; // 300 KiB of UTF-8
    expect(lastError([HEADER + big], { maxStanza: 256 * 1024 })).toBe("policy-violation");
  });

  it("an endless header attribute stops at the limit, before the header is complete", () => {
    const log: string[] = [];
    const p = new XmlStreamParser({ onStreamStart: () => {}, onElement: () => {}, onStreamEnd: () => {}, onError: (c) => log.push(c) }, 64 * 1024);
    p.write("<stream:stream xmlns:stream='http://etherx.jabber.org/streams' to='");
    let sent = 0;
    while (!log.length && sent < 1024 * 1024) {
      p.write("a".repeat(1024));
      sent += 1024;
    }
    expect(log).toEqual(["policy-violation"]);
    expect(sent).toBeLessThanOrEqual(65 * 1024);
  });

  it("an endless text run inside a stanza stops at the limit", () => {
    const log: string[] = [];
    const p = new XmlStreamParser({ onStreamStart: () => {}, onElement: () => {}, onStreamEnd: () => {}, onError: (c) => log.push(c) }, 64 * 1024);
    p.write(HEADER + "<message><body>");
    let sent = 0;
    while (!log.length && sent < 1024 * 1024) {
      p.write("b".repeat(1000));
      sent += 1000;
    }
    expect(log).toEqual(["policy-violation"]);
    expect(sent).toBeLessThanOrEqual(65 * 1024);
  });

  it("whitespace keepalives between stanzas are never buffered or limited", () => {
    const chunks = [HEADER, ...Array(200).fill(" ".repeat(1000)), "<presence/>"];
    expect(events(chunks, { maxStanza: 10_000 }).at(-1)).toBe("el <presence/>");
  });
});

describe("what a relay needs: spans, a boundary, and oversized stanzas let by (mallory, item 4)", () => {
  function relayView(chunks: Array<string | Buffer>, max = 1000) {
    const log: string[] = [];
    const boundaries: number[] = [];
    const p = new XmlStreamParser(
      {
        onStreamStart: (_a, _h, at) => log.push(`start ${at.start}-${at.end}`),
        onElement: (e, at) => log.push(`el ${e.name} ${at.start}-${at.end}`),
        onStreamEnd: (at) => log.push(`end ${at.start}-${at.end}`),
        onError: (c) => log.push(`error ${c}`),
        onOversized: (start) => log.push(`oversized from ${start}`),
      },
      max,
      { oversized: "skip" },
    );
    for (const c of chunks) {
      p.write(c);
      boundaries.push(p.boundary);
    }
    return { log, boundaries, p };
  }

  it("gives each element's byte span, and a boundary that never passes a partial element", () => {
    const body = "<message><body>é</body></message>"; // é is two bytes
    const { log, boundaries } = relayView([HEADER + " ", body.slice(0, 20), body.slice(20) + "<presence/>", "</stream:stream>"]);
    const h = Buffer.byteLength(HEADER);
    const m = Buffer.byteLength(body);
    expect(log).toEqual([`start ${DECL.length}-${h}`, `el message ${h + 1}-${h + 1 + m}`, `el presence ${h + 1 + m}-${h + 1 + m + 11}`, `end ${h + 1 + m + 11}-${h + 1 + m + 11 + 16}`]);
    expect(boundaries).toEqual([h + 1, h + 1, h + 1 + m + 11, h + 1 + m + 11 + 16]);
  });

  it("lets an oversized stanza go by unbuilt, holding none of its text, and reads on after it", () => {
    const chunks = [HEADER, "<message><body>", ...Array(100).fill("x".repeat(10_000)), "</body></message>", "<message><body>next</body></message>"];
    const { log, p } = relayView(chunks, 50_000);
    expect(log.slice(1)).toEqual([`oversized from ${Buffer.byteLength(HEADER)}`, expect.stringMatching(/^el message /)]);
    expect(p.hasFailed).toBe(false);
  });

  it("still fails a single tag larger than the limit, and malformed XML inside an oversized stanza", () => {
    expect(relayView([HEADER, "<message><body>", "y".repeat(2000), `<x a='${"z".repeat(2000)}`], 1000).log.at(-1)).toBe("error policy-violation");
    expect(relayView([HEADER, "<message><body>", "y".repeat(2000), "<a></b>"], 1000).log.at(-1)).toBe("error not-well-formed");
  });
});
