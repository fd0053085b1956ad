import { footer } from "./chrome.js";
import { blank, fill, type Line, line, span } from "./lines.js";
import { wrap } from "./text.js";

export interface KeyEntry {
  keys: string;
  does: string;
}

/**
 * A help screen: keys by where they work, a closing note, scrolled by `scroll` when longer than
 * the terminal. The scenario console and the live console list their own bindings with it.
 */
export function keysPage(title: string, sections: Array<[string, KeyEntry[]]>, note: string, scroll: number, w: number, rows: number): { lines: Line[]; maxScroll: number } {
  const kw = Math.max(...sections.flatMap(([, es]) => es.map((e) => e.keys.length))) + 2;
  const entry = (e: KeyEntry): Line[] => wrap(e.does, Math.max(10, w - kw - 3)).map((t, i) => line("  ", span((i === 0 ? e.keys : "").padEnd(kw), { bold: true }), t));
  const body: Line[] = [];
  for (const [heading, entries] of sections) body.push(line(span(` ${heading}`, { bold: true, underline: true })), ...entries.flatMap(entry));
  body.push(blank(), ...wrap(note, w - 2).map((t) => line(" " + t)));
  const top = [line(span(` ${title}`, { bold: true }))];
  const room = Math.max(1, rows - top.length - 1);
  const maxScroll = Math.max(0, body.length - room);
  const at = Math.min(scroll, maxScroll);
  const shown = body.slice(at, at + room);
  const hints: Array<[string, string]> = body.length > room ? [["↑↓", `scroll (${at + shown.length} of ${body.length})`], ["q", "back"]] : [["q", "back"]];
  return { lines: fill([...top, ...shown, footer(hints, w)], rows, top.length + shown.length), maxScroll };
}
