/**
 * Where does the last complete top-level element end? The relay forwards everything up to
 * that point and holds only the partial stanza after it (which a tactic may still change).
 *
 * A small tag scanner, not a parser: the XML parser has already accepted these bytes; this
 * only follows depth. `<stream:stream>` opens depth 1 (restarts included, RFC 6120 §4.3.3),
 * `</stream:stream>` closes it, `<?...?>` and `<![CDATA[...]]>` are skipped.
 */
export interface Boundary {
  /** Offset just after the last point at stream level (depth ≤ 1); 0 if none. */
  at: number;
  /** Depth at `resume`. */
  depth: number;
  /** Where the next scan must start: an incomplete tag at the end, or the end of the text. */
  resume: number;
}

export function scanBoundary(text: string, depth: number): Boundary {
  let at = 0;
  let i = 0;
  for (;;) {
    const lt = text.indexOf("<", i);
    if (lt < 0) return { at, depth, resume: text.length };
    const c = text.charCodeAt(lt + 1);
    if (c !== c) return { at, depth, resume: lt }; // NaN: '<' is the last character
    if (c === 33 /* ! */) {
      if (text.startsWith("<![CDATA[", lt)) {
        const end = text.indexOf("]]>", lt + 9);
        if (end < 0) return { at, depth, resume: lt };
        i = end + 3;
        continue;
      }
    }
    const gt = tagEnd(text, lt + 1);
    if (gt < 0) return { at, depth, resume: lt };
    i = gt + 1;
    if (c === 63 /* ? */ || c === 33) {
      if (depth <= 1) at = i;
      continue;
    }
    if (c === 47 /* / */) {
      depth = text.startsWith("</stream:stream", lt) ? 0 : depth - 1;
    } else if (text.startsWith("<stream:stream", lt)) {
      depth = 1;
    } else if (text.charCodeAt(gt - 1) !== 47 /* self-closing "/>" */) {
      depth++;
    }
    if (depth <= 1) at = i;
  }
}

/** Index of the '>' that closes the tag starting at `from`, skipping quoted attribute values. */
function tagEnd(text: string, from: number): number {
  const gt = text.indexOf(">", from);
  if (gt < 0) return -1;
  const q1 = text.indexOf("'", from);
  const q2 = text.indexOf('"', from);
  const q = q1 < 0 ? q2 : q2 < 0 ? q1 : Math.min(q1, q2);
  if (q < 0 || q > gt) return gt; // no quote before the first '>': the common fast path
  let quote = 0;
  for (let i = from; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (quote) {
      if (ch === quote) quote = 0;
    } else if (ch === 39 || ch === 34) quote = ch;
    else if (ch === 62) return i;
  }
  return -1;
}
