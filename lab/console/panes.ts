/**
 * The scrolling panes both consoles share - the XML pane under the diagram (x) and the long
 * pages (help, compare) - as one piece of state and one reducer, so the scenario console and
 * the live console cannot drift apart on how a pane opens or scrolls.
 */
export interface Panes {
  /** The XML pane under the diagram is open, and how far it is scrolled. */
  xml: boolean;
  xmlScroll: number;
  /** How far the long pages are scrolled. */
  pageScroll: number;
}

export type PaneAction =
  | { type: "toggle-xml" }
  | { type: "scroll-xml"; by: number; max?: number }
  | { type: "scroll-page"; by: number; max?: number };

export function reducePanes<S extends Panes>(s: S, a: PaneAction): S {
  switch (a.type) {
    case "toggle-xml":
      return { ...s, xml: !s.xml, xmlScroll: 0 };
    case "scroll-xml":
      return { ...s, xmlScroll: clamp(s.xmlScroll + a.by, a.max) };
    case "scroll-page":
      return { ...s, pageScroll: clamp(s.pageScroll + a.by, a.max) };
  }
}

export const clamp = (n: number, max = Infinity) => Math.max(0, Math.min(n, max));
