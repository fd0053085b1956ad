/**
 * The character-level rules of XML 1.0 (Fifth Edition) that an XMPP stream must obey
 * (RFC 6120 §11.3): which characters may appear, what a name is, and the only entity
 * references XMPP allows (§11.1: the five predefined ones, plus character references).
 */

/** XML 1.0 §2.2 Char, as its complement. Input comes from a fatal UTF-8 decoder, so no lone surrogates. */
const ILLEGAL_CHAR = /[\x00-\x08\x0B\x0C\x0E-\x1F\uFFFE\uFFFF]/;

const NAME_START = ":A-Z_a-z\\u00C0-\\u00D6\\u00D8-\\u00F6\\u00F8-\\u02FF\\u0370-\\u037D\\u037F-\\u1FFF\\u200C-\\u200D\\u2070-\\u218F\\u2C00-\\u2FEF\\u3001-\\uD7FF\\uF900-\\uFDCF\\uFDF0-\\uFFFD\\u{10000}-\\u{EFFFF}";
const NAME_CHAR = NAME_START + "\\-.0-9\\u00B7\\u0300-\\u036F\\u203F-\\u2040";
const NC_START = NAME_START.slice(1); // NCName: a Name without ':' (Namespaces in XML 1.0 §3)
const NC_CHAR = NAME_CHAR.slice(1);
const NCNAME = `[${NC_START}][${NC_CHAR}]*`;

/** QName (Namespaces §3): NCName, or prefix ':' NCName. Anchored. */
export const QNAME = new RegExp(`^${NCNAME}(?::${NCNAME})?$`, "u");
/** XML 1.0 §2.3 Name, for entity names. */
const NAME = new RegExp(`^[${NAME_START}][${NAME_CHAR}]*$`, "u");

/** Where the first illegal character is, or -1 (XML 1.0 §2.2, WFC: Legal Character). */
export function illegalCharAt(s: string): number {
  const m = ILLEGAL_CHAR.exec(s);
  return m ? m.index : -1;
}

/** A code point a character reference may name (XML 1.0 §4.1, WFC: Legal Character). */
function legalCodePoint(cp: number): boolean {
  return cp === 0x9 || cp === 0xa || cp === 0xd || (cp >= 0x20 && cp <= 0xd7ff) || (cp >= 0xe000 && cp <= 0xfffd) || (cp >= 0x10000 && cp <= 0x10ffff);
}

const PREDEFINED: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" };

/** A reference that cannot be expanded: `restricted` for a named entity XMPP prohibits (§11.1). */
export class BadReference {
  constructor(readonly restricted: boolean, readonly text: string) {}
}

const REF = /&([^;&<\s]*)(;?)/g;

/**
 * Expand the references in character data or an attribute value. Returns the text, or the
 * reason it is not allowed: a named entity other than the five (restricted-xml, RFC 6120
 * §11.1), or a malformed or illegal reference (not-well-formed, XML 1.0 §4.1).
 */
export function expandReferences(raw: string): string | BadReference {
  if (raw.indexOf("&") < 0) return raw;
  let error: BadReference | null = null;
  const out = raw.replace(REF, (whole, ref: string, semi: string) => {
    if (error) return "";
    if (!semi || ref === "") {
      error = new BadReference(false, `"&" that starts no reference (write &amp;)`);
      return "";
    }
    if (ref[0] === "#") {
      const cp = /^#x[0-9a-fA-F]+$/.test(ref) ? parseInt(ref.slice(2), 16) : /^#[0-9]+$/.test(ref) ? parseInt(ref.slice(1), 10) : NaN;
      if (!legalCodePoint(cp)) {
        error = new BadReference(false, `character reference ${whole} names no legal XML character`);
        return "";
      }
      return String.fromCodePoint(cp);
    }
    if (!NAME.test(ref)) {
      error = new BadReference(false, `malformed reference ${whole}`);
      return "";
    }
    const c = PREDEFINED[ref];
    if (c === undefined) {
      error = new BadReference(true, `entity reference ${whole}`);
      return "";
    }
    return c;
  });
  return error ?? out;
}

/** XML 1.0 §2.11: CRLF and lone CR become LF before anything else sees the text. */
export function normaliseLineEnds(s: string): string {
  return s.indexOf("\r") < 0 ? s : s.replace(/\r\n?/g, "\n");
}

/** XML 1.0 §3.3.3: literal whitespace in an attribute value becomes a space (references kept). */
export function normaliseAttribute(raw: string): string {
  return /[\t\n\r]/.test(raw) ? normaliseLineEnds(raw).replace(/[\t\n]/g, " ") : raw;
}

/** XML 1.0 §2.3 S. */
export function isWhitespace(s: string): boolean {
  return /^[ \t\r\n]*$/.test(s);
}
