import { changedLines, footer, header } from "./chrome.js";
import { laneTitles } from "./diagram.js";
import { diagramWithXml } from "./diagram-pane.js";
// explain.ts alone: the story builder loads after the first frame, with the first run.
import { explainStep } from "../story/explain.js";
import { fill, type Line, line, para, rule, span } from "./lines.js";
import { notebookLines, shownBy } from "./notebook.js";
import { atEnd, type State } from "./state.js";
import { verdictLines } from "./verdict.js";

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
  const bottom: Line[] = [rule(w), ...say, ...notebookLines(r, end ? () => true : shownBy(run.steps, run.at), w), ...(end ? verdictLines(r, s, w) : []), ...notice];
  const { diagram, pane, maxScroll } = diagramWithXml(run.steps, run.at, { open: s.xml, scroll: s.xmlScroll }, w, rows - top.length - bottom.length - 1);
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
