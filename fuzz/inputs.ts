/**
 * Hostile inputs for the fuzz harness (issue 13): seeded, so a failure is replayed from its seed
 * and index alone. Pure (Buffers in, Buffers out): no sockets, no clock. Each input is a valid XMPP stream bent one
 * way (a mutation class), cut into chunks at random offsets, and either ended (the peer
 * half-closes) or left open (the endpoint's own deadlines must end it).
 */

/** mulberry32: small, fast, and the same sequence on every machine for a seed. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The input for (seed, index) depends on nothing else: replay one with FUZZ_SEED and FUZZ_ONLY. */
export const inputRng = (seed: number, index: number) => rng((seed ^ Math.imul(index + 1, 0x9e3779b1)) >>> 0);

export type Rng = () => number;
const int = (r: Rng, lo: number, hi: number) => lo + Math.floor(r() * (hi - lo + 1)); // inclusive
const pick = <T>(r: Rng, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];

export interface HostileInput {
  /** The mutation class, for the report. */
  cls: MutationClass;
  /** Written in order, each its own write (and, with a pause between, its own read). */
  chunks: Buffer[];
  /** After the chunks, write `unit` again and again until the peer closes (bounded by the driver). */
  endless?: Buffer;
  /** Half-close after the last byte; otherwise leave the connection open for the peer's deadlines. */
  end: boolean;
}

export const CLASSES = [
  "split", // the valid stream, only cut into chunks
  "flip", // random bytes overwritten
  "insert-token", // a hostile XML token inserted at a random offset
  "delete", // a random range removed
  "duplicate", // a random range repeated
  "truncate", // cut short, connection left open
  "illegal-char", // a character XML 1.0 forbids, or bytes that are not UTF-8
  "attribute", // duplicate, unquoted, valueless or undeclared-prefix attributes in a start tag
  "header", // the stream header or XML declaration bent (version, encoding, BOM, prefix, namespace)
  "oversized", // one token of 300 KiB to 1 MiB (attribute, text, name, CDATA)
  "endless", // a token that never ends: attribute, text or header, until the peer hangs up
  "deep", // 1,000 to 20,000 nested elements
] as const;
export type MutationClass = (typeof CLASSES)[number];

const STREAM_NS = "http://etherx.jabber.org/streams";
const SASL = "urn:ietf:params:xml:ns:xmpp-sasl";
const BIND = "urn:ietf:params:xml:ns:xmpp-bind";

/** The bytes alice's side sends in a whole session: header, PLAIN, restart, bind, a message, close. */
export function clientStream(user: string, password: string): string {
  const header = `<?xml version='1.0'?><stream:stream to='lab.example' version='1.0' xmlns='jabber:client' xmlns:stream='${STREAM_NS}'>`;
  const plain = Buffer.from(`\0${user}\0${password}`).toString("base64");
  return (
    header +
    `<auth xmlns='${SASL}' mechanism='PLAIN'>${plain}</auth>` +
    header +
    `<iq type='set' id='bind-1'><bind xmlns='${BIND}'><resource>fuzz</resource></bind></iq>` +
    "<presence/> " +
    `<message to='bob@lab.example' type='chat' id='m1'><body>Please wire 100 EUR to DE89 3704 0044 0532 0130 00 &amp; ü€😀</body></message>\n` +
    "</stream:stream>"
  );
}

/** The bytes a server sends alice in a whole session: PLAIN offered, success, bind result, a message. */
export function serverStream(jid = "alice@lab.example/fuzz"): string {
  const header = (id: string) =>
    `<?xml version='1.0'?><stream:stream from='lab.example' id='${id}' version='1.0' xml:lang='en' xmlns='jabber:client' xmlns:stream='${STREAM_NS}'>`;
  return (
    header("s1") +
    `<stream:features><mechanisms xmlns='${SASL}'><mechanism>PLAIN</mechanism></mechanisms></stream:features>` +
    `<success xmlns='${SASL}'/>` +
    header("s2") +
    `<stream:features><bind xmlns='${BIND}'/></stream:features>` +
    `<iq type='result' id='bind-1'><bind xmlns='${BIND}'><jid>${jid}</jid></bind></iq>` +
    `<message from='bob@lab.example/x' to='${jid}' type='chat'><body>¡hola! 𝄞 &lt;ok&gt;</body></message>` +
    "</stream:stream>"
  );
}

/** Tokens a hostile peer slips in: each breaks a rule of XML 1.0, Namespaces in XML or RFC 6120 §11. */
const TOKENS = [
  "<", ">", "&", "&nbsp;", "&#0;", "&#xFFFE;", "&#xD800;", "&#x110000;", "]]>", "<!-- c -->", "<?php x?>",
  "<!DOCTYPE x [<!ENTITY e 'y'>]>", "<![CDATA[x]]>", "</stream:stream>", "<?xml version='1.0'?>",
  "<stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams'>", "</message>",
  "<foo:bar/>", "<a:b:c/>", "<1x/>", "<x xmlns:p=''/>", "<x xmlns:xml='urn:x'/>", "</>", "<x/ >", "< x/>", "\uFEFF",
  "<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl'>=</auth>", "<proceed xmlns='urn:evil'/>",
  "<starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>", "<success xmlns='urn:ietf:params:xml:ns:xmpp-sasl'/>",
  "<iq type='result' id='bind-1'/>", "<message><body/></message>", "<stream:error><not-well-formed xmlns='urn:ietf:params:xml:ns:xmpp-streams'/></stream:error>",
];

const ATTRIBUTES = [
  " to='a' to='b'", " to=bob", " checked", " foo:to='x'", " xmlns:a='urn:x' xmlns:b='urn:x' a:t='1' b:t='2'",
  " a='x<y'", " a='\u0001'", " xmlns:p=''", " a='1'b='2'", " a=\"x'", " xml:lang='en' xml:lang='fr'", " __proto__='x'",
  " constructor='x'", " xmlns='http://www.w3.org/2000/xmlns/'",
];

/** Characters XML 1.0's Char production excludes, and byte sequences that are not UTF-8. */
const ILLEGAL: Buffer[] = [
  ...[0x00, 0x01, 0x07, 0x08, 0x0b, 0x0c, 0x0e, 0x1b, 0x1f].map((c) => Buffer.from([c])),
  Buffer.from("\uFFFE"), Buffer.from("\uFFFF"),
  Buffer.from([0xff]), Buffer.from([0xfe]), Buffer.from([0xc0, 0xbc]), Buffer.from([0xed, 0xa0, 0x80]),
  Buffer.from([0x80]), Buffer.from([0xe2, 0x82]), Buffer.from([0xf4, 0x90, 0x80, 0x80]), Buffer.from([0xf8, 0x88, 0x80, 0x80, 0x80]),
];

/** The stream header bent, replacing the first header of the stream. */
const HEADERS = [
  "<?xml version='2.0'?><stream:stream version='1.0' xmlns='jabber:client' xmlns:stream='" + STREAM_NS + "'>",
  "<?xml version='1.0' encoding='UTF-16'?><stream:stream version='1.0' xmlns='jabber:client' xmlns:stream='" + STREAM_NS + "'>",
  "<?xml version='1.0' standalone='yes'?><stream:stream version='1.0' xmlns='jabber:client' xmlns:stream='" + STREAM_NS + "'>",
  "\uFEFF<?xml version='1.0'?><stream:stream version='1.0' xmlns='jabber:client' xmlns:stream='" + STREAM_NS + "'>",
  "<foo:stream version='1.0' xmlns='jabber:client' xmlns:foo='" + STREAM_NS + "'>",
  "<stream version='1.0' xmlns='" + STREAM_NS + "'>",
  "<stream:stream version='1.0' xmlns='jabber:client' xmlns:stream='urn:wrong'>",
  "<stream:stream version='1.0' xmlns='jabber:client'>",
  "<stream:stream xmlns='jabber:client' xmlns:stream='" + STREAM_NS + "'>",
  "<stream:stream version='1.0' xmlns='jabber:client' xmlns:stream='" + STREAM_NS + "'/>",
  "<message/>",
  "<?xml version='1.0'?><?xml version='1.0'?><stream:stream xmlns:stream='" + STREAM_NS + "'>",
  "<?xml version='1.0'><stream:stream xmlns:stream='" + STREAM_NS + "'>",
  "<!DOCTYPE stream><stream:stream xmlns:stream='" + STREAM_NS + "'>",
  "text<stream:stream xmlns:stream='" + STREAM_NS + "'>",
];

function insertAt(b: Buffer, at: number, what: Buffer): Buffer {
  return Buffer.concat([b.subarray(0, at), what, b.subarray(at)]);
}

/** Offsets just after a start tag's name, where an attribute can go. */
function tagNameEnds(s: string): number[] {
  const out: number[] = [];
  const re = /<([A-Za-z][\w:.-]*)/g;
  for (let m; (m = re.exec(s)); ) out.push(Buffer.byteLength(s.slice(0, m.index + m[0].length)));
  return out;
}

/** Offsets inside character data (just after a '>' that a non-'<' follows). */
function textOffsets(s: string): number[] {
  const out: number[] = [];
  for (let i = 0; i < s.length - 1; i++) if (s[i] === ">" && s[i + 1] !== "<") out.push(Buffer.byteLength(s.slice(0, i + 1)));
  return out.length ? out : [Buffer.byteLength(s)];
}

/** The bytes of the first stream header (declaration included), to replace or to prefix with. */
function firstHeaderEnd(s: string): number {
  const i = s.indexOf("<stream:stream");
  return Buffer.byteLength(s.slice(0, s.indexOf(">", i) + 1));
}

/** Cut `b` into chunks at 0 to 6 random offsets; now and then the first bytes one at a time. */
export function cut(r: Rng, b: Buffer): Buffer[] {
  if (b.length === 0) return [b];
  const cuts = new Set<number>();
  const n = int(r, 0, 6);
  for (let i = 0; i < n; i++) cuts.add(int(r, 1, Math.max(1, b.length - 1)));
  if (r() < 0.1) for (let i = 1; i < Math.min(48, b.length); i++) cuts.add(i); // a slow link
  const at = [0, ...[...cuts].filter((c) => c > 0 && c < b.length).sort((x, y) => x - y), b.length];
  const out: Buffer[] = [];
  for (let i = 0; i + 1 < at.length; i++) out.push(b.subarray(at[i], at[i + 1]));
  return out;
}

/**
 * One hostile input from a valid stream. `scale` shrinks the big classes (oversized, endless,
 * deep) for the suite's quick run; the full run uses 1.
 */
export function hostileInput(r: Rng, valid: string, scale = 1): HostileInput {
  const cls = pick(r, CLASSES);
  const base = Buffer.from(valid);
  let b: Buffer = base;
  let endless: Buffer | undefined;
  let end = r() < 0.7;
  const anywhere = () => int(r, 0, b.length);
  switch (cls) {
    case "split":
      break;
    case "flip": {
      b = Buffer.from(b);
      for (let i = int(r, 1, 4); i > 0; i--) b[int(r, 0, b.length - 1)] = int(r, 0, 255);
      break;
    }
    case "insert-token":
      b = insertAt(b, anywhere(), Buffer.from(pick(r, TOKENS)));
      break;
    case "delete": {
      const at = int(r, 0, b.length - 1);
      b = Buffer.concat([b.subarray(0, at), b.subarray(Math.min(b.length, at + int(r, 1, 50)))]);
      break;
    }
    case "duplicate": {
      const at = int(r, 0, b.length - 1);
      const len = int(r, 1, 200);
      b = insertAt(b, at, b.subarray(at, at + len));
      break;
    }
    case "truncate":
      b = b.subarray(0, int(r, 1, b.length - 1));
      end = false;
      break;
    case "illegal-char": {
      const at = r() < 0.6 ? pick(r, textOffsets(valid)) : anywhere();
      b = insertAt(b, at, pick(r, ILLEGAL));
      break;
    }
    case "attribute":
      b = insertAt(b, pick(r, tagNameEnds(valid)), Buffer.from(pick(r, ATTRIBUTES)));
      break;
    case "header":
      b = Buffer.concat([Buffer.from(pick(r, HEADERS)), b.subarray(firstHeaderEnd(valid))]);
      break;
    case "oversized": {
      const size = Math.max(20_000, Math.floor(int(r, 300 * 1024, 1024 * 1024) * scale));
      const big = pick(r, [
        () => Buffer.concat([Buffer.from(" x='"), Buffer.alloc(size, "a"), Buffer.from("'")]), // an attribute, in some start tag
        () => Buffer.alloc(size, "t"), // character data
        () => Buffer.concat([Buffer.from("<message><body>"), Buffer.alloc(size, "é"), Buffer.from("</body></message>")]),
        () => Buffer.concat([Buffer.from("<"), Buffer.alloc(size, "n"), Buffer.from("/>")]), // a name
        () => Buffer.concat([Buffer.from("<message><body><![CDATA["), Buffer.alloc(size, "c"), Buffer.from("]]></body></message>")]),
      ])();
      const at = big[0] === 0x20 ? pick(r, tagNameEnds(valid)) : big[0] === 0x74 ? pick(r, textOffsets(valid)) : firstHeaderEnd(valid);
      b = insertAt(b, at, big);
      break;
    }
    case "endless": {
      const h = firstHeaderEnd(valid);
      const [prefix, unit] = pick(r, [
        [Buffer.from("<?xml version='1.0'?><stream:stream to='"), "x".repeat(4096)], // a header attribute
        [base.subarray(0, h), "<message><body>" + "z".repeat(4080)], // stanzas that never close
        [Buffer.concat([base.subarray(0, h), Buffer.from("<message><body>")]), "y".repeat(4096)], // one text run
        [base.subarray(0, h), "<a>".repeat(1365)], // nesting without end
        [Buffer.alloc(0), " ".repeat(4096)], // whitespace before any header
      ] as const);
      b = prefix;
      endless = Buffer.from(unit);
      end = false;
      break;
    }
    case "deep": {
      const n = Math.max(200, Math.floor(int(r, 1000, 20_000) * scale));
      const at = pick(r, textOffsets(valid));
      b = insertAt(b, at, Buffer.from("<a>".repeat(n) + (r() < 0.5 ? "</a>".repeat(n) : "")));
      break;
    }
  }
  return { cls, chunks: cut(r, b), endless, end };
}
