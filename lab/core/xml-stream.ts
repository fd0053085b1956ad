import { StringDecoder } from "node:string_decoder";
import { Element, escapeXML, escapeXMLText } from "ltx";
// ltx's own incremental SAX parser: fast, but lenient (see reference §6). The guards around
// it below make it strict enough for a stream that may be hostile.
import SaxLtx from "ltx/src/parsers/ltx.js";
import { NS } from "./ns.js";

/** Stream error conditions the framing layer can raise (RFC 6120 §4.9.3). */
export type FramingCondition =
  | "not-well-formed" // §4.9.3.13
  | "restricted-xml" // §4.9.3.18, §11.1
  | "policy-violation" // §4.9.3.14: stanza over the size limit
  | "invalid-namespace" // §4.9.3.10
  | "bad-format"; // §4.9.3.1

export interface XmlStreamHandlers {
  /** A stream header: the first one, or a restart (§4.3.3) on the same byte stream. */
  onStreamStart(attrs: Record<string, string>, header: Element): void;
  /** A complete depth-1 element (a stanza or a nonza), its parent set to the header. */
  onElement(el: Element): void;
  /** `</stream:stream>` (§4.4). */
  onStreamEnd(): void;
  onError(condition: FramingCondition, text: string): void;
}

export const DEFAULT_MAX_STANZA = 256 * 1024;

type Sax = {
  write(data: string): void;
  on(ev: string, fn: (...args: any[]) => void): void;
};

/**
 * Sans-IO XMPP stream framing: bytes in, stream events out. One instance per direction of a
 * TCP (or TLS) byte stream; create a fresh one after a TLS upgrade (RFC 6120 §5.4.3.3).
 */
export class XmlStreamParser {
  private readonly sax: Sax;
  private readonly decoder = new StringDecoder("utf8");
  private depth = 0;
  private header: Element | null = null;
  private cursor: Element | null = null;
  private failed = false;
  private paused = false;
  private eventsAfterPause = 0;
  /** What followed the pausing element in its chunk, re-serialised from the parser's events. */
  private held = "";
  private probe: string[] | null = null;
  private guardCarry = "";
  private inCdata = false;
  private charsInStanza = 0;

  constructor(
    private readonly handlers: XmlStreamHandlers,
    private readonly maxStanza = DEFAULT_MAX_STANZA,
  ) {
    const sax = new (SaxLtx as unknown as new () => Sax)();
    sax.on("startElement", (name: string, attrs: Record<string, string>) => this.start(name, attrs));
    sax.on("endElement", (name: string) => this.end(name));
    sax.on("text", (text: string) => this.text(text));
    this.sax = sax;
  }

  get hasFailed(): boolean {
    return this.failed;
  }

  write(chunk: Buffer | string): void {
    if (this.failed || this.paused) return;
    const text = typeof chunk === "string" ? chunk : this.decoder.write(chunk);
    if (text.length === 0) return;
    // Character data before any header: ltx would hold it silently until the next '<'.
    if (this.depth === 0 && /^\s*[^<\s]/.test(text)) return this.fail("not-well-formed", "text before the stream header");
    const restricted = this.guard(text);
    if (restricted) return this.fail("restricted-xml", restricted);
    // §13.12 (4): a server needs a limit on stanza size; ours is per stanza, across chunks.
    this.charsInStanza += text.length;
    try {
      this.sax.write(text);
    } catch (err) {
      // ltx throws synchronously on unknown entities and bad character references.
      return this.fail("not-well-formed", err instanceof Error ? err.message : String(err));
    }
    if (!this.failed && this.depth >= 1 && this.charsInStanza > this.maxStanza) {
      this.fail("policy-violation", `stanza larger than ${this.maxStanza} bytes`);
    }
  }

  /** Continue a stream whose header was read elsewhere (the attacker's own STARTTLS upstream). */
  assumeOpen(attrs: Record<string, string>): void {
    this.header = new Element("stream:stream", attrs);
    this.depth = 1;
  }

  /**
   * Stop delivering events for the rest of the current chunk. Called from inside onElement
   * when `<starttls/>` or `<proceed/>` arrives: nothing after it may be processed (§5.4.3.3).
   */
  pause(): void {
    this.paused = true;
    this.eventsAfterPause = 0;
    this.held = "";
  }

  /**
   * After pause(): the markup that followed the pausing element in the same chunk, as XML text
   * (complete tags only; a tag cut off at the chunk's end is not in it). For the lab server's
   * STARTTLS buffering bug only, which keeps these bytes instead of discarding them.
   */
  heldAfterPause(): string {
    return this.held;
  }

  /**
   * After pause(): did anything follow the element that paused us, in this chunk, in the
   * parser's buffer or in half a UTF-8 sequence? It feeds a probe element: a clean parser
   * reports exactly the probe, a parser holding leftovers reports text or a mangled tag.
   */
  hasLeftover(): boolean {
    if (this.eventsAfterPause > 0) return true;
    if (this.decoder.end().length > 0) return true;
    this.probe = [];
    try {
      this.sax.write("<lab-probe/>");
    } catch {
      return true;
    }
    const seen = this.probe.join(" ");
    this.probe = null;
    return seen !== "start:lab-probe end:lab-probe";
  }

  private fail(condition: FramingCondition, text: string): void {
    if (this.failed) return;
    this.failed = true;
    this.handlers.onError(condition, text);
  }

  /**
   * ltx silently skips comments, DOCTYPEs and processing instructions, which RFC 6120 §11.1
   * prohibits (and its DOCTYPE skipping can hide stanzas). Find them before ltx does.
   * Returns a description of the first restricted construct, or null.
   */
  private guard(chunk: string): string | null {
    const s = this.guardCarry + chunk;
    this.guardCarry = "";
    let i = 0;
    for (;;) {
      if (this.inCdata) {
        const close = s.indexOf("]]>", i);
        if (close < 0) {
          this.guardCarry = s.slice(-2);
          return null;
        }
        this.inCdata = false;
        i = close + 3;
      }
      const lt = nextMarkupDecl(s, i);
      if (lt < 0) {
        if (s.endsWith("<")) this.guardCarry = "<";
        return null;
      }
      const rest = s.slice(lt + 2, lt + 12);
      if (s[lt + 1] === "!") {
        if (rest.startsWith("[CDATA[")) {
          this.inCdata = true;
          i = lt + 9;
          continue;
        }
        if ("[CDATA[".startsWith(rest)) {
          this.guardCarry = s.slice(lt); // undecided until the next chunk
          return null;
        }
        return rest.startsWith("--") ? "XML comment" : "DOCTYPE or markup declaration";
      }
      // `<?`: only the XML declaration is allowed (§11.5); other PIs are restricted (§11.1).
      if (rest.length < 4 && "xml ".startsWith(rest)) {
        this.guardCarry = s.slice(lt);
        return null;
      }
      if (!/^xml\s/.test(rest)) return "processing instruction";
      const end = s.indexOf("?>", lt);
      if (end < 0) {
        if (s.length - lt > 1024) return "unterminated XML declaration";
        this.guardCarry = s.slice(lt);
        return null;
      }
      i = end + 2;
    }
  }

  private start(name: string, attrs: Record<string, string>): void {
    if (this.probe) return void this.probe.push("start:" + name);
    if (this.failed) return;
    if (this.paused) {
      this.held += `<${name}${Object.entries(attrs).map(([k, v]) => ` ${k}='${escapeXML(v)}'`).join("")}>`;
      return void this.eventsAfterPause++;
    }
    const isHeader = name === "stream:stream";
    if (this.depth === 0 || (this.depth === 1 && isHeader)) {
      // §4.8.1: the stream prefix must map to the streams namespace.
      if (!isHeader || attrs["xmlns:stream"] !== NS.stream) {
        return this.fail("invalid-namespace", `stream header <${name}> is not in ${NS.stream}`);
      }
      this.header = new Element(name, attrs);
      this.depth = 1;
      this.charsInStanza = 0;
      this.handlers.onStreamStart(attrs, this.header);
      return;
    }
    const el = new Element(name, attrs);
    if (this.depth === 1) {
      // Namespaces resolve lazily through parent (ltx getNS); stanzas inherit jabber:client.
      (el as unknown as { parent: Element | null }).parent = this.header;
    } else {
      this.cursor!.cnode(el);
    }
    this.cursor = el;
    this.depth++;
  }

  private end(name: string): void {
    if (this.probe) return void this.probe.push("end:" + name);
    if (this.failed) return;
    if (this.paused) {
      this.held += `</${name}>`;
      return void this.eventsAfterPause++;
    }
    if (this.depth === 0) return this.fail("not-well-formed", `unexpected </${name}>`);
    if (this.depth === 1) {
      if (name !== "stream:stream") return this.fail("not-well-formed", `</${name}> closes nothing`);
      this.depth = 0;
      this.handlers.onStreamEnd();
      return;
    }
    const el = this.cursor!;
    if (el.name !== name) return this.fail("not-well-formed", `<${el.name}> closed by </${name}>`);
    this.depth--;
    if (this.depth === 1) {
      this.cursor = null;
      this.charsInStanza = 0;
      this.handlers.onElement(el);
    } else {
      this.cursor = el.parent as Element;
    }
  }

  private text(text: string): void {
    if (this.probe) return void this.probe.push("text");
    if (this.failed) return;
    if (this.paused) {
      this.held += escapeXMLText(text);
      return void this.eventsAfterPause++;
    }
    if (this.depth >= 2) {
      this.cursor!.t(text);
    } else if (text.trim() !== "") {
      // Character data outside any stanza: before the header or between stanzas.
      this.fail("not-well-formed", "text outside a stanza");
    }
    // Whitespace between stanzas is allowed (keepalives, RFC 6120 §4.6.1).
  }
}

function nextMarkupDecl(s: string, from: number): number {
  const bang = s.indexOf("<!", from);
  const q = s.indexOf("<?", from);
  if (bang < 0) return q;
  if (q < 0) return bang;
  return Math.min(bang, q);
}
