import { isAscii } from "node:buffer";
import { Element } from "ltx";
import { BadReference, expandReferences, illegalCharAt, normaliseAttribute, normaliseLineEnds, QNAME } from "./xml-chars.js";
import { NS } from "./ns.js";

/** Stream error conditions the framing layer can raise (RFC 6120 §4.9.3). */
export type FramingCondition =
  | "not-well-formed" // §4.9.3.13, §11.3: XML 1.0 or namespace well-formedness broken
  | "restricted-xml" // §4.9.3.18, §11.1: comment, PI, DTD, entity reference
  | "policy-violation" // §4.9.3.14, §13.12: a size or depth limit
  | "invalid-namespace" // §4.9.3.10, §4.8.1: the stream header is not in the streams namespace
  | "bad-namespace-prefix" // §4.9.3.2, §4.8.5: the stream namespace under another prefix, or none
  | "unsupported-encoding" // §4.9.3.22, §11.6: not UTF-8
  | "bad-format"; // §4.9.3.1

/** Where a token lies in the bytes written to the parser: absolute offsets, end exclusive. */
export interface Span {
  start: number;
  end: number;
}

export interface XmlStreamHandlers {
  /** A stream header: the first one, or a restart (§4.3.3) on the same byte stream. */
  onStreamStart(attrs: Record<string, string>, header: Element, at: Span): void;
  /** A complete depth-1 element (a stanza or a nonza), its parent set to the header. */
  onElement(el: Element, at: Span): void;
  /** `</stream:stream>` (§4.4). */
  onStreamEnd(at: Span): void;
  onError(condition: FramingCondition, text: string): void;
  /**
   * With `oversized: "skip"`: a stanza passed the size limit. It is not built or delivered; the
   * parser checks its well-formedness as it goes by and carries on after it.
   */
  onOversized?(start: number): void;
}

/** §13.12: a limit on stanza size (at least 10000 bytes); also the most held for one header. */
export const DEFAULT_MAX_STANZA = 256 * 1024;
/** Elements nested inside one stanza; real XMPP payloads (MAM, pubsub with Atom) stay near 10. */
export const DEFAULT_MAX_DEPTH = 64;

const XML_NS = "http://www.w3.org/XML/1998/namespace";
const XMLNS_NS = "http://www.w3.org/2000/xmlns/";

/** What an incomplete token is waiting for; the next chunk is searched for it alone. */
type Wait =
  | { kind: "text" } // character data in a stanza, up to the next '<'
  | { kind: "gt" } // an end tag
  | { kind: "tag"; quote: number } // a start tag: '>' outside a quoted value
  | { kind: "seq"; seq: string; tail: string } // '?>' of an XML declaration, ']]>' of CDATA
  | { kind: "more" }; // a few more characters decide what '<' starts

const TAG_STOP = /[>'"]/g;
const XML_DECL =
  /^<\?xml[ \t\r\n]+version[ \t\r\n]*=[ \t\r\n]*(?:"([^"]*)"|'([^']*)')(?:[ \t\r\n]+encoding[ \t\r\n]*=[ \t\r\n]*(?:"([^"]*)"|'([^']*)'))?(?:[ \t\r\n]+standalone[ \t\r\n]*=[ \t\r\n]*(?:"([^"]*)"|'([^']*)'))?[ \t\r\n]*\?>$/;

const isWs = (c: number) => c === 0x20 || c === 0x0a || c === 0x09 || c === 0x0d;

class Failure {
  constructor(readonly condition: FramingCondition, readonly text: string) {}
}

/**
 * Sans-IO XMPP stream framing: bytes in, stream events out. One instance per direction of a
 * TCP (or TLS) byte stream; create a fresh one after a TLS upgrade (RFC 6120 §5.4.3.3).
 *
 * A strict incremental tokenizer of its own (ltx's is lenient, reference §6): the byte stream
 * may be cut anywhere, every well-formedness rule of XML 1.0 and Namespaces in XML that a
 * stream can break is checked, and what it holds for one incomplete stanza or header is
 * bounded in bytes. An incomplete token is kept as a list of chunks and only the new chunk is
 * searched for its end, so a peer dripping bytes costs linear time.
 */
export class XmlStreamParser {
  private readonly decoder = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });
  private readonly maxDepth: number;
  // The text being tokenised, and where in it the next token starts.
  private buf = "";
  private pos = 0;
  private bufAscii = true;
  // An incomplete token: its chunks, and what ends it.
  private wait: Wait | null = null;
  private parts: string[] = [];
  private partsAscii = true;
  // Byte accounting: bytes decoded so far, and the absolute byte offset of buf[markI].
  private received = 0;
  private markI = 0;
  private markByte = 0;
  private stanzaStartByte = 0;
  private waitStartByte = 0;
  // The stream: 0 before a header, 1 inside it, 2+ inside a stanza.
  private depth = 0;
  private header: Element | null = null;
  private readonly open: Element[] = [];
  /** Namespace declarations in scope: the header's attrs, then each open element's (or null). */
  private scopes: Array<Record<string, string> | null> = [];
  private declPending = false;
  private failed = false;
  private paused = false;
  private boundaryByte = 0;
  private readonly skipOversized: boolean;
  private skippingStanza = false;

  constructor(
    private readonly handlers: XmlStreamHandlers,
    private readonly maxStanza = DEFAULT_MAX_STANZA,
    opts: { maxDepth?: number; oversized?: "fail" | "skip" } = {},
  ) {
    this.maxDepth = opts.maxDepth ?? DEFAULT_MAX_DEPTH;
    this.skipOversized = opts.oversized === "skip";
  }

  /**
   * The byte offset just after the last token that ended at stream level (a header, a stanza,
   * whitespace between stanzas): everything before it is complete and may be forwarded.
   */
  get boundary(): number {
    return this.boundaryByte;
  }

  /** An oversized stanza is going by unbuilt (oversized: "skip"). */
  get skipping(): boolean {
    return this.skippingStanza;
  }

  get hasFailed(): boolean {
    return this.failed;
  }

  /** Part of a stanza or of a header is held, waiting for the rest. */
  get holdsPartial(): boolean {
    return !this.failed && (this.wait !== null || this.depth >= 2);
  }

  /** Bytes (a Buffer, validated as UTF-8) or text already decoded by the caller. */
  write(chunk: Buffer | string): void {
    if (this.failed || this.paused) return;
    let text: string;
    let ascii: boolean;
    if (typeof chunk === "string") {
      text = chunk;
      ascii = !/[^\x00-\x7f]/.test(text);
    } else {
      try {
        text = this.decoder.decode(chunk, { stream: true });
      } catch {
        // §11.6, §4.9.3.22: "improperly encoded the stream (e.g., by violating the rules of UTF-8)".
        return this.fail("unsupported-encoding", "bytes that are not UTF-8 (RFC 6120 §11.6)");
      }
      ascii = isAscii(chunk);
    }
    if (text.length === 0) return;
    this.received += ascii ? text.length : Buffer.byteLength(text);
    if (this.wait && this.skippingStanza && this.wait.kind === "text") {
      // Character data of a stanza going by unbuilt: nothing of it is kept.
      this.parts = [];
      if (!this.ends(this.wait, text)) return this.checkHeld();
      this.markByte = this.received - (ascii ? text.length : Buffer.byteLength(text));
      this.buf = text;
      this.bufAscii = ascii;
      this.wait = null;
    } else if (this.wait) {
      if (!this.ends(this.wait, text)) {
        this.parts.push(text);
        this.partsAscii &&= ascii;
        this.checkHeld();
        return;
      }
      this.buf = this.parts.length === 1 ? this.parts[0] + text : this.parts.join("") + text;
      this.bufAscii = this.partsAscii && ascii;
      this.parts = [];
      this.wait = null;
    } else {
      this.buf = text;
      this.bufAscii = ascii;
    }
    this.pos = 0;
    this.markI = 0;
    this.run();
    if (this.failed || this.paused) return;
    if (this.wait) {
      this.waitStartByte = this.absByte(this.pos);
      this.parts = [this.buf.slice(this.pos)];
      this.partsAscii = this.bufAscii;
    } else {
      this.markByte = this.received;
      if (this.depth <= 1) this.boundaryByte = this.received;
    }
    this.buf = "";
    this.pos = 0;
    if (this.wait || this.depth >= 2) this.checkHeld();
  }

  /** Continue a stream whose header was read elsewhere (the attacker's own STARTTLS upstream). */
  assumeOpen(attrs: Record<string, string>): void {
    this.header = new Element("stream:stream", attrs);
    this.scopes = [attrs];
    this.depth = 1;
  }

  /**
   * Stop delivering events for the rest of the current chunk. Called from inside onElement
   * when `<starttls/>` or `<proceed/>` arrives: nothing after it may be processed (§5.4.3.3).
   */
  pause(): void {
    this.paused = true;
  }

  /**
   * After pause(): the text that followed the pausing element, as it arrived (a character cut
   * at the chunk's end is not in it). For the lab server's STARTTLS buffering bug only, which
   * keeps these bytes instead of discarding them.
   */
  heldAfterPause(): string {
    return this.buf.slice(this.pos);
  }

  /**
   * After pause(): what followed the element that paused us, in this chunk or held from an
   * earlier one? Whitespace carries no command (it is what RFC 6120 §5.3.3 forbids sending,
   * and what go-sendxmpp sends); anything else is data pipelined across the TLS boundary.
   */
  leftover(): "none" | "whitespace" | "data" {
    let rest: string;
    try {
      rest = this.buf.slice(this.pos) + this.decoder.decode();
    } catch {
      return "data"; // half a UTF-8 sequence
    }
    if (rest === "") return "none";
    return /^[ \t\r\n]+$/.test(rest) ? "whitespace" : "data";
  }

  private fail(condition: FramingCondition, text: string): void {
    if (this.failed) return;
    this.failed = true;
    this.buf = "";
    this.parts = [];
    this.handlers.onError(condition, text);
  }

  private failWith(f: Failure): void {
    this.fail(f.condition, f.text);
  }

  /** The absolute byte offset of buf[i]; called with non-decreasing i. */
  private absByte(i: number): number {
    if (i > this.markI) {
      this.markByte += this.bufAscii ? i - this.markI : Buffer.byteLength(this.buf.slice(this.markI, i));
      this.markI = i;
    }
    return this.markByte;
  }

  /** §13.12: what is held for one stanza, or one header or other token, stays under the limit. */
  private checkHeld(): void {
    if (this.skippingStanza) {
      // Only the token under way is held while a stanza goes by unbuilt.
      if (this.wait && this.wait.kind !== "text" && this.received - this.waitStartByte > this.maxStanza) this.fail("policy-violation", `a single tag or CDATA section larger than ${this.maxStanza} bytes`);
      return;
    }
    const start = this.depth >= 2 ? this.stanzaStartByte : this.waitStartByte;
    const held = this.received - start;
    if (held > this.maxStanza && this.depth >= 2 && this.skipOversized) return this.skipStanza();
    if (held > this.maxStanza) {
      const what = this.depth >= 2 ? "stanza" : this.depth === 0 ? "stream header" : "element";
      this.fail("policy-violation", `${what} larger than ${this.maxStanza} bytes`);
    }
  }

  /** Does `text` hold what the incomplete token waits for? */
  private ends(w: Wait, text: string): boolean {
    switch (w.kind) {
      case "text":
        return text.indexOf("<") >= 0;
      case "gt":
        return text.indexOf(">") >= 0;
      case "tag": {
        const r = scanTagEnd(text, 0, w.quote);
        w.quote = r.quote;
        return r.end >= 0;
      }
      case "seq": {
        const s = w.tail + text;
        if (s.indexOf(w.seq) >= 0) return true;
        w.tail = s.slice(-(w.seq.length - 1));
        return false;
      }
      case "more":
        return true;
    }
  }

  private run(): void {
    const buf = this.buf;
    const len = buf.length;
    while (!this.failed && !this.paused && !this.wait) {
      let pos = this.pos;
      if (pos >= len) return;
      if (this.depth >= 2) {
        const lt = buf.indexOf("<", pos);
        if (lt < 0) {
          this.wait = { kind: "text" };
          return;
        }
        if (lt > pos) {
          this.text(buf.slice(pos, lt));
          if (this.failed) return;
          this.pos = pos = lt;
        }
      } else {
        // Whitespace between stanzas (keepalives, §4.6.1, §11.7) is consumed, never held.
        while (pos < len && isWs(buf.charCodeAt(pos))) pos++;
        this.pos = pos;
        this.boundaryByte = this.absByte(pos);
        if (pos >= len) return;
        if (buf.charCodeAt(pos) !== 60 /* < */) return this.outsideText(buf.charCodeAt(pos));
      }
      this.markup(buf, pos);
    }
  }

  /** Character data at stream level: only whitespace may appear there (§11.7). */
  private outsideText(code: number): void {
    if (code === 0xfeff) {
      // §11.6: U+FEFF is a zero width no-break space in an XMPP stream, never a byte order mark.
      return this.fail("not-well-formed", "a byte order mark (U+FEFF), which RFC 6120 §11.6 forbids");
    }
    this.fail("not-well-formed", this.depth === 0 ? "text before the stream header" : "text outside a stanza");
  }

  /** A token starting with '<' at buf[pos]: consume it, or wait for the rest of it. */
  private markup(buf: string, pos: number): void {
    const len = buf.length;
    if (pos + 1 >= len) return void (this.wait = { kind: "more" });
    const c = buf.charCodeAt(pos + 1);
    if (c === 47 /* / */) {
      const gt = buf.indexOf(">", pos + 2);
      if (gt < 0) return void (this.wait = { kind: "gt" });
      this.pos = gt + 1;
      return this.endTag(buf.slice(pos + 2, gt), gt + 1);
    }
    if (c === 63 /* ? */) {
      if (len - pos < 6) {
        if ("<?xml".startsWith(buf.slice(pos, pos + 5))) return void (this.wait = { kind: "more" });
        return this.fail("restricted-xml", "a processing instruction (RFC 6120 §11.1)");
      }
      if (!buf.startsWith("<?xml", pos) || !isWs(buf.charCodeAt(pos + 5))) {
        return this.fail("restricted-xml", "a processing instruction (RFC 6120 §11.1)");
      }
      if (this.depth >= 2) return this.fail("not-well-formed", "an XML declaration inside a stanza");
      const end = buf.indexOf("?>", pos + 5);
      if (end < 0) return void (this.wait = { kind: "seq", seq: "?>", tail: buf.slice(-1) });
      this.pos = end + 2;
      this.xmlDecl(buf.slice(pos, end + 2));
      if (!this.failed) this.boundaryByte = this.absByte(end + 2);
      return;
    }
    if (c === 33 /* ! */) {
      if (buf.startsWith("<![CDATA[", pos)) {
        if (this.depth < 2) return this.fail("not-well-formed", "a CDATA section outside a stanza");
        const end = buf.indexOf("]]>", pos + 9);
        if (end < 0) return void (this.wait = { kind: "seq", seq: "]]>", tail: buf.slice(-2) });
        this.pos = end + 3;
        return this.cdata(buf.slice(pos + 9, end));
      }
      const s = buf.slice(pos, pos + 9);
      // Too few bytes yet to tell CDATA from a comment: wait, so a cut never changes the verdict.
      if (s.length < 9 && ("<![CDATA[".startsWith(s) || (s.length < 4 && "<!--".startsWith(s)))) return void (this.wait = { kind: "more" });
      // §11.1: comments and DTDs are prohibited (ltx would have swallowed everything up to
      // the next '-->', hiding stanzas).
      return this.fail("restricted-xml", s.startsWith("<!--") ? "an XML comment (RFC 6120 §11.1)" : "a DOCTYPE or markup declaration (RFC 6120 §11.1)");
    }
    const r = scanTagEnd(buf, pos + 1, 0);
    if (r.end < 0) return void (this.wait = { kind: "tag", quote: r.quote });
    this.pos = r.end + 1;
    this.startTag(buf.slice(pos + 1, r.end), pos, r.end + 1);
  }

  /** §11.5: an XML declaration only before a stream header, 1.x, UTF-8, no standalone. */
  private xmlDecl(decl: string): void {
    const m = XML_DECL.exec(decl);
    if (!m) return this.fail("not-well-formed", "a malformed XML declaration");
    const version = m[1] ?? m[2];
    if (!/^1\.[0-9]+$/.test(version)) return this.fail("not-well-formed", `XML version ${version}: XMPP is XML 1.0 (RFC 6120 §11.8)`);
    const encoding = m[3] ?? m[4];
    if (encoding !== undefined && encoding.toLowerCase() !== "utf-8") {
      return this.fail("unsupported-encoding", `encoding ${encoding}: XMPP streams are UTF-8 only (RFC 6120 §11.6)`);
    }
    if ((m[5] ?? m[6]) !== undefined) return this.fail("restricted-xml", "a standalone document declaration (RFC 6120 §11.5)");
    if (this.declPending) return this.fail("not-well-formed", "two XML declarations in a row");
    this.declPending = true;
  }

  private startTag(tag: string, lt: number, after: number): void {
    const parsed = parseStartTag(tag);
    if (parsed instanceof Failure) return this.failWith(parsed);
    const { name, attrs, selfClosing, prefixed } = parsed;
    const colon = name.indexOf(":");
    const local = colon < 0 ? name : name.slice(colon + 1);
    if (this.depth === 0 || (this.depth === 1 && local === "stream")) return this.streamHeader(name, attrs, selfClosing, lt, after);
    if (this.declPending) return this.fail("not-well-formed", "an XML declaration not followed by a stream header");
    if (prefixed || colon >= 0) {
      const f = this.checkNamespaces(name, attrs);
      if (f) return this.failWith(f);
    }
    // §13.12: nesting is bounded like size; deep recursion must not reach the call stack.
    if (this.depth - 1 >= this.maxDepth) return this.fail("policy-violation", `elements nested deeper than ${this.maxDepth}`);
    const el = new Element(name);
    el.attrs = attrs; // parsed into a fresh object already: no second copy
    if (this.skippingStanza) {
      // Going by unbuilt: kept only to match its end tag.
      if (selfClosing) return;
      this.open.push(el);
      this.scopes.push(hasDeclarations(attrs) ? attrs : null);
      this.depth++;
      return;
    }
    if (this.depth === 1) {
      this.stanzaStartByte = this.absByte(lt);
      // Namespaces resolve lazily through parent (ltx getNS); stanzas inherit jabber:client.
      (el as unknown as { parent: Element | null }).parent = this.header;
      if (selfClosing) return this.stanza(el, after);
    } else {
      this.open[this.open.length - 1].cnode(el);
      if (selfClosing) return;
    }
    this.open.push(el);
    this.scopes.push(hasDeclarations(attrs) ? attrs : null);
    this.depth++;
  }

  /** §4.8.1, §4.8.5: `<stream:stream>` in the streams namespace, under the prefix 'stream'. */
  private streamHeader(name: string, attrs: Record<string, string>, selfClosing: boolean, lt: number, after: number): void {
    const colon = name.indexOf(":");
    const prefix = colon < 0 ? "" : name.slice(0, colon);
    const local = colon < 0 ? name : name.slice(colon + 1);
    const ns = prefix ? attrs["xmlns:" + prefix] : attrs.xmlns;
    if (local === "stream") {
      if (prefix !== "stream") {
        return this.fail("bad-namespace-prefix", prefix ? `the stream namespace under the prefix '${prefix}' (only 'stream' is accepted)` : "a stream header without the 'stream' prefix");
      }
      if (ns !== NS.stream) return this.fail("invalid-namespace", `stream header <${name}> is not in ${NS.stream}`);
    } else if (ns === NS.stream) {
      return this.fail("bad-format", `<${name}> where a stream header was expected`);
    } else {
      return this.fail("invalid-namespace", `<${name}> where a stream header in ${NS.stream} was expected`);
    }
    const f = this.checkNamespaces(name, attrs, true);
    if (f) return this.failWith(f);
    this.declPending = false;
    this.header = new Element(name, attrs);
    this.scopes = [attrs];
    this.open.length = 0;
    this.depth = 1;
    const at = { start: this.absByte(lt), end: this.absByte(after) };
    this.boundaryByte = at.end;
    this.handlers.onStreamStart(attrs, this.header, at);
    if (selfClosing && !this.failed) this.streamEnd({ start: at.end, end: at.end });
  }

  private endTag(tag: string, after: number): void {
    const m = /^([^ \t\r\n]+)[ \t\r\n]*$/.exec(tag);
    if (!m || !isQName(m[1])) return this.fail("not-well-formed", `a malformed end tag </${tag.slice(0, 40)}>`);
    const name = m[1];
    if (this.declPending) return this.fail("not-well-formed", "an XML declaration not followed by a stream header");
    if (this.depth === 0) return this.fail("not-well-formed", `</${name}> closes nothing`);
    if (this.depth === 1) {
      if (name !== this.header!.name) return this.fail("not-well-formed", `</${name}> closes nothing`);
      const end = this.absByte(after);
      return this.streamEnd({ start: end - (name.length + 3), end });
    }
    const el = this.open[this.open.length - 1];
    if (el.name !== name) return this.fail("not-well-formed", `<${el.name}> closed by </${name}>`);
    this.open.pop();
    this.scopes.pop();
    this.depth--;
    if (this.depth === 1) this.stanza(el, after);
  }

  private streamEnd(at: Span): void {
    this.depth = 0;
    this.boundaryByte = at.end;
    this.handlers.onStreamEnd(at);
  }

  /** A complete first-level element ends at buf[after - 1]. */
  private stanza(el: Element, after: number): void {
    const at = { start: this.stanzaStartByte, end: this.absByte(after) };
    this.boundaryByte = at.end;
    if (this.skippingStanza) {
      this.skippingStanza = false; // it went by; what follows is read as usual
      return;
    }
    // §13.12: the whole stanza, markup included, however many reads it came in.
    if (at.end - at.start > this.maxStanza) {
      if (!this.skipOversized) return this.fail("policy-violation", `stanza larger than ${this.maxStanza} bytes`);
      this.handlers.onOversized?.(at.start);
      return;
    }
    this.handlers.onElement(el, at);
  }

  /** oversized: "skip" - drop what was built of this stanza and let the rest of it go by. */
  private skipStanza(): void {
    this.skippingStanza = true;
    for (const el of this.open) el.children = [];
    this.handlers.onOversized?.(this.stanzaStartByte);
  }

  private text(raw: string): void {
    const t = checkedText(raw);
    if (t instanceof Failure) return this.failWith(t);
    if (!this.skippingStanza) this.open[this.open.length - 1].t(t);
  }

  private cdata(raw: string): void {
    const bad = illegalCharAt(raw);
    if (bad >= 0) return this.fail("not-well-formed", illegalText(raw, bad));
    if (!this.skippingStanza) this.open[this.open.length - 1].t(normaliseLineEnds(raw));
  }

  /** Namespaces in XML 1.0 §3, §5, §6.3: every prefix declared, declarations legal, no duplicate expanded names. */
  private checkNamespaces(name: string, attrs: Record<string, string>, header = false): Failure | null {
    for (const key in attrs) {
      if (key === "xmlns") {
        if (attrs[key] === XML_NS || attrs[key] === XMLNS_NS) return new Failure("not-well-formed", `xmlns bound to a reserved namespace`);
        continue;
      }
      if (!key.startsWith("xmlns:")) continue;
      const p = key.slice(6);
      const v = attrs[key];
      if (v === "") return new Failure("not-well-formed", `the prefix '${p}' declared with an empty namespace`);
      if (p === "xmlns" || v === XMLNS_NS || (p === "xml") !== (v === XML_NS)) return new Failure("not-well-formed", `a reserved prefix or namespace misused: ${key}='${v}'`);
    }
    const colon = name.indexOf(":");
    if (colon >= 0 && this.resolve(name.slice(0, colon), attrs, header) === undefined) {
      return new Failure("not-well-formed", `undeclared namespace prefix in <${name}>`);
    }
    let seen: Set<string> | null = null;
    for (const key in attrs) {
      const c = key.indexOf(":");
      if (c < 0 || key.startsWith("xmlns:")) continue;
      const ns = this.resolve(key.slice(0, c), attrs, header);
      if (ns === undefined) return new Failure("not-well-formed", `undeclared namespace prefix in attribute ${key}`);
      const expanded = ns + " " + key.slice(c + 1);
      seen ??= new Set();
      if (seen.has(expanded)) return new Failure("not-well-formed", `attribute ${key} repeated under another prefix`);
      seen.add(expanded);
    }
    return null;
  }

  private resolve(prefix: string, own: Record<string, string>, header: boolean): string | undefined {
    if (prefix === "xml") return XML_NS;
    if (prefix === "xmlns") return undefined;
    const key = "xmlns:" + prefix;
    if (own[key] !== undefined) return own[key];
    if (header) return undefined;
    for (let i = this.scopes.length - 1; i >= 0; i--) {
      const s = this.scopes[i];
      if (s && s[key] !== undefined) return s[key];
    }
    return undefined;
  }
}

/** Where the '>' that ends a start tag is (outside quoted values), resumable across chunks. */
function scanTagEnd(s: string, from: number, quote: number): { end: number; quote: number } {
  let i = from;
  for (;;) {
    if (quote) {
      const j = s.indexOf(quote === 39 ? "'" : '"', i);
      if (j < 0) return { end: -1, quote };
      i = j + 1;
      quote = 0;
      continue;
    }
    TAG_STOP.lastIndex = i;
    const m = TAG_STOP.exec(s);
    if (!m) return { end: -1, quote: 0 };
    if (m[0] === ">") return { end: m.index, quote: 0 };
    quote = m[0].charCodeAt(0);
    i = m.index + 1;
  }
}

/** Names already checked against QName: a stream uses few distinct names (bounded, so a peer cannot grow it). */
const goodNames = new Set<string>();
function isQName(name: string): boolean {
  if (goodNames.has(name)) return true;
  if (!QNAME.test(name)) return false;
  if (goodNames.size < 4096) goodNames.add(name);
  return true;
}

/** Anything in a raw attribute value that needs a closer look: illegal characters, '<', references, whitespace to normalise. */
const ATTR_SPECIAL = /[\x00-\x1F\uFFFE\uFFFF<&]/;
const hasOwn = Object.prototype.hasOwnProperty;

/** XML 1.0 §3.1: Name (S Attribute)* S? '/'? - every attribute quoted, none twice (WFC: Unique Att Spec). */
function parseStartTag(tag: string): { name: string; attrs: Record<string, string>; selfClosing: boolean; prefixed: boolean } | Failure {
  const len = tag.length;
  let i = 0;
  while (i < len && !isWs(tag.charCodeAt(i)) && tag.charCodeAt(i) !== 47) i++;
  const name = tag.slice(0, i);
  if (!isQName(name)) return new Failure("not-well-formed", `a malformed element name <${tag.slice(0, 40)}`);
  const attrs: Record<string, string> = {};
  const malformed = () => new Failure("not-well-formed", `a malformed start tag <${name}>: attributes are name='value', separated by spaces`);
  let prefixed = false;
  let selfClosing = false;
  for (;;) {
    let j = i;
    while (j < len && isWs(tag.charCodeAt(j))) j++;
    if (j === len) break;
    if (tag.charCodeAt(j) === 47 /* / */) {
      if (j !== len - 1) return malformed();
      selfClosing = true;
      break;
    }
    if (j === i) return malformed(); // S is required between attributes
    let k = j;
    for (; k < len; k++) {
      const c = tag.charCodeAt(k);
      if (c === 61 /* = */ || isWs(c)) break;
    }
    const key = tag.slice(j, k);
    while (k < len && isWs(tag.charCodeAt(k))) k++;
    if (tag.charCodeAt(k) !== 61) return malformed();
    k++;
    while (k < len && isWs(tag.charCodeAt(k))) k++;
    const q = tag.charCodeAt(k);
    if (q !== 34 && q !== 39) return malformed(); // AttValue is always quoted
    const close = tag.indexOf(q === 34 ? '"' : "'", k + 1);
    if (close < 0) return malformed();
    let value = tag.slice(k + 1, close);
    i = close + 1;
    if (!isQName(key)) return new Failure("not-well-formed", `a malformed attribute name ${key.slice(0, 40)} in <${name}>`);
    if (hasOwn.call(attrs, key)) return new Failure("not-well-formed", `attribute ${key} given twice in <${name}>`);
    if (ATTR_SPECIAL.test(value)) {
      const v = attributeValue(value, key, name);
      if (v instanceof Failure) return v;
      value = v;
    }
    if (key === "__proto__") Object.defineProperty(attrs, key, { value, enumerable: true, writable: true, configurable: true });
    else attrs[key] = value;
    // Only declarations and prefixes other than the predefined 'xml' need the namespace check.
    if (!prefixed && key.indexOf(":") >= 0 && !key.startsWith("xml:")) prefixed = true;
  }
  return { name, attrs, selfClosing, prefixed };
}

function attributeValue(raw: string, key: string, name: string): string | Failure {
  if (raw.indexOf("<") >= 0) return new Failure("not-well-formed", `'<' in the value of ${key} in <${name}>`);
  const bad = illegalCharAt(raw);
  if (bad >= 0) return new Failure("not-well-formed", illegalText(raw, bad) + ` in attribute ${key}`);
  const value = expandReferences(normaliseAttribute(raw));
  if (value instanceof BadReference) return new Failure(value.restricted ? "restricted-xml" : "not-well-formed", value.text);
  return value;
}

/** Anything in raw character data that needs a closer look. */
const TEXT_SPECIAL = /[\x00-\x08\x0B\x0C\x0E-\x1F\uFFFE\uFFFF&\r\]]/;

function checkedText(raw: string): string | Failure {
  if (!TEXT_SPECIAL.test(raw)) return raw;
  const bad = illegalCharAt(raw);
  if (bad >= 0) return new Failure("not-well-formed", illegalText(raw, bad));
  // XML 1.0 §2.4: ']]>' may not appear in character data.
  if (raw.indexOf("]]>") >= 0) return new Failure("not-well-formed", "']]>' in character data");
  const t = expandReferences(normaliseLineEnds(raw));
  if (t instanceof BadReference) return new Failure(t.restricted ? "restricted-xml" : "not-well-formed", t.text);
  return t;
}

function illegalText(s: string, at: number): string {
  return `the character U+${s.charCodeAt(at).toString(16).toUpperCase().padStart(4, "0")}, which XML 1.0 does not allow`;
}

function hasDeclarations(attrs: Record<string, string>): boolean {
  for (const k in attrs) if (k.startsWith("xmlns:")) return true;
  return false;
}
