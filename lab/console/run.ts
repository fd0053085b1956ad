import { changedLines, footer, header } from "./chrome.js";
import { diagramLines, laneTitles } from "./diagram.js";
// explain.ts alone: the story builder loads after the first frame, with the first run.
import { explainStep } from "../story/explain.js";
import { fill, type Line, line, para, rule, span } from "./lines.js";
import { notebookLines } from "./notebook.js";
import { atEnd, type State } from "./state.js";
import { verdictLines } from "./verdict.js";
import { xmlPane } from "./xml-pane.js";

/**
 * A run: header, the lanes, the diagram up to the current step, what this step means, mallory's
 * notebook, the verdict at the end, the keys. Built to the frame's exact size; the XML pane,
 * when open, takes the lower part of the diagram's room and scrolls.
 */
export function runLines(s: State, w: number, rows: number): { lines: Line[]; maxScroll: number } {
  const run = s.run!;
  const sc = run.result?.scenario ?? s.catalogue.find((x) => x.id === run.id)!;
  const top: Line[] = [header(sc, s.catalogue.length, w), ...changedLines(sc, w), laneTitles(w), rule(w)];
  const keys = footer(runHints(s), w, run.result ? `step ${run.at}/${run.steps.length}${s.autoplay ? ` ▶ auto ${s.speed} ms` : ""}` : "");
  if (!run.result) {
    const msg = s.error ? line(span(` ✘ ${s.error}`, { bold: true })) : line(" running on loopback…");
    return { lines: fill([...top, msg, keys], rows, top.length + 1), maxScroll: 0 };
  }
  const r = run.result;
  const step = run.steps[run.at - 1];
  const end = atEnd(s);
  // The scenario's words for this step, else the fact's own sentence, else what the element is.
  const words = step ? step.lines.join(" ") || step.say || explainStep(step) : "";
  const say = para(`▸ ${words}`, w, { bold: true }).slice(0, 3);
  const notice = s.notice ? para(s.notice, w, { bold: true }) : [];
  const bottom: Line[] = [rule(w), ...say, ...notebookLines(r, end ? Infinity : step?.seq ?? -1, w), ...(end ? verdictLines(r, s, w) : []), ...notice];
  let room = rows - top.length - bottom.length - 1;
  let pane: Line[] = [];
  let maxScroll = 0;
  if (s.xml) {
    // The diagram keeps a few rows (the current step stays in view); the pane gets the rest.
    const paneRows = Math.max(4, room - Math.max(3, Math.floor(room / 3)));
    const p = xmlPane(step, w, paneRows, s.xmlScroll);
    pane = p.lines;
    maxScroll = p.maxScroll;
    room -= pane.length;
  }
  const diagram = diagramLines(run.steps, run.at, w, Math.max(1, room));
  const body = [...top, ...diagram, ...pane, ...bottom];
  return { lines: fill([...body, keys], rows, top.length + diagram.length), maxScroll };
}

function runHints(s: State): Array<[string, string]> {
  if (!s.run?.result) return [["?", "help"], ["q", "back"]];
  if (atEnd(s)) return [["←", "back"], ["x", s.xml ? "close XML" : "XML"], ["m", "handout"], ["r", "rerun"], ["n", "next scenario"], ["c", "compare"], ["?", "help"], ["q", "home"]];
  return [
    ["space", "next"],
    ["←", "back"],
    ["e", "end"],
    ["x", s.xml ? "close XML" : "XML"],
    ["a", s.autoplay ? "stop" : "auto"],
    ["r", "rerun"],
    ["n", "next scenario"],
    ["?", "help"],
    ["q", "home"],
  ];
}
