import { width } from "./text.js";

/**
 * XML as the room reads it: one element per line, children indented, long tags broken between
 * attributes and long text (base64) broken hard, continuation lines aligned under their tag.
 * For display only: the lab's protocol code parses with ltx; this never decides anything.
 */
export function prettyXml(xml: string, w: number): string[] {
  const out: string[] = [];
  let depth = 0;
  for (const tok of xml.match(/<\?[^>]*\?>|<!--[\s\S]*?-->|<[^>]+>|[^<]+/g) ?? []) {
    if (/^\s+$/.test(tok)) continue;
    const closing = tok.startsWith("</");
    const selfClosing = tok.endsWith("/>") || tok.startsWith("<?") || tok.startsWith("<!--");
    // The stream header opens the stream for the whole session: it has no end tag to wait for.
    const stream = /^<stream:stream[\s>]/.test(tok);
    if (closing) depth = Math.max(0, depth - 1);
    const indent = "  ".repeat(Math.min(depth, 6));
    out.push(...breakToken(tok, indent, w));
    if (!closing && !selfClosing && !stream && tok.startsWith("<")) depth++;
  }
  return joinShortText(out, w);
}

/** A tag broken between attributes, or text broken hard, to fit `w` cells after `indent`. */
function breakToken(tok: string, indent: string, w: number): string[] {
  if (width(indent + tok) <= w) return [indent + tok];
  if (!tok.startsWith("<")) return hardSplit(tok, indent, w);
  const m = /^<([^\s>]+)([\s\S]*?)(\/?>)$/.exec(tok);
  const attrs = m ? m[2].match(/[^\s=]+(?:\s*=\s*(?:"[^"]*"|'[^']*'))?/g) ?? [] : [];
  const parts = m ? [`<${m[1]}`, ...attrs] : [tok];
  if (m) parts[parts.length - 1] += m[3];
  // Attributes continue under the first one; one too long for any line is split hard.
  const cont = indent + " ".repeat(Math.min(parts[0].length + 1, 12));
  const lines: string[] = [];
  let cur = "";
  for (const p of parts) {
    if (cur && width(cur + " " + p) <= w) {
      cur += " " + p;
      continue;
    }
    if (cur) lines.push(cur);
    const lead = cur ? cont : indent;
    if (width(lead + p) <= w) cur = lead + p;
    else {
      const split = hardSplit(p, lead, w);
      cur = split.pop()!;
      lines.push(...split);
    }
  }
  lines.push(cur);
  return lines;
}

function hardSplit(text: string, indent: string, w: number): string[] {
  const room = Math.max(8, w - width(indent));
  const lines: string[] = [];
  for (let i = 0; i < text.length; i += room) lines.push(indent + text.slice(i, i + room));
  return lines;
}

/** `<body>`, its text and `</body>` on one line when they fit: that is how people write them. */
function joinShortText(lines: string[], w: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const [a, b, c] = [lines[i], lines[i + 1] ?? "", lines[i + 2] ?? ""];
    const name = a.endsWith("/>") ? undefined : /^\s*<([^\s/>!?]+)(?:\s[^>]*)?>$/.exec(a)?.[1];
    if (name && b.trim() && !b.trim().startsWith("<") && c.trim() === `</${name}>`) {
      const one = a + b.trim() + c.trim();
      if (width(one) <= w) {
        out.push(one);
        i += 2;
        continue;
      }
    }
    out.push(a);
  }
  return out;
}

export type Mark = " " | "-" | "+";

/**
 * Before and after, line by line, the way diff shows them: lines only before are marked -, lines
 * only after +, so what mallory removed or wrote stands out without colour.
 */
export function diffLines(before: string[], after: string[]): { before: Mark[]; after: Mark[] } {
  const n = before.length;
  const m = after.length;
  const lcs: number[][] = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(0));
  for (let i = n - 1; i >= 0; i--)
    for (let j = m - 1; j >= 0; j--) lcs[i][j] = before[i].trim() === after[j].trim() ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
  const b: Mark[] = new Array<Mark>(n).fill("-");
  const a: Mark[] = new Array<Mark>(m).fill("+");
  for (let i = 0, j = 0; i < n && j < m; ) {
    if (before[i].trim() === after[j].trim()) {
      b[i++] = " ";
      a[j++] = " ";
    } else if (lcs[i + 1][j] >= lcs[i][j + 1]) i++;
    else j++;
  }
  return { before: b, after: a };
}
