import type { LabEvent } from "../../core/events.js";
import { addEvents, emptyLog, type LiveLog } from "../../live/sessions.js";
import { type PaneAction, type Panes, reducePanes } from "../panes.js";

/**
 * The live console's state: sessions through a standalone mallory as her log tells them, the
 * one on screen, and how far it is shown. One pure reducer, tested without a terminal.
 *
 * Pacing: a real client logs in within a blink, too fast for a room to follow. The session on
 * screen is shown one step at a time at the presenter's pace, catching up with what has
 * already happened (`following`); the speaker can step back, pause, or jump to now.
 */
export type LiveScreen = "list" | "session" | "help";

export interface LiveView {
  key: string;
  /** How many steps are shown (0 before the first). */
  at: number;
  /** Advance by itself, one step per `speed` ms, up to the latest step, and keep following. */
  following: boolean;
}

export interface LiveState extends Panes {
  log: LiveLog;
  stack: LiveScreen[];
  /** The session chosen on the list (index into log.sessions). */
  selected: number;
  view: LiveView | null;
  speed: number;
  /**
   * Until the speaker presses a key, the console shows the newest session by itself (a speaker
   * on stage starts a client, not the console); after that, it stays where they put it.
   */
  touched: boolean;
  /** A line for the speaker: a handout written (until the next key), a log line that is no event. */
  notice: string | null;
}

export const initialLiveState = (): LiveState => ({
  log: emptyLog(), stack: ["list"], selected: 0, view: null, speed: 700, xml: false, xmlScroll: 0, pageScroll: 0, touched: false, notice: null,
});

export type LiveAction =
  | { type: "events"; batch: LabEvent[] }
  /** A key was pressed: the speaker is in charge from now on. */
  | { type: "touch" }
  | { type: "move"; by: number }
  | { type: "open"; index: number }
  | { type: "cycle"; by: number }
  /** `max`: how many steps the session on screen has (the steps are built by the caller). */
  | { type: "next"; max: number }
  | { type: "prev" }
  | { type: "first" }
  | { type: "now"; max: number }
  | { type: "tick"; max: number }
  | { type: "toggle-follow" }
  | { type: "speed"; faster: boolean }
  | PaneAction
  | { type: "help" }
  | { type: "back" }
  | { type: "notice"; text: string | null };

export const liveScreen = (s: LiveState): LiveScreen => s.stack[s.stack.length - 1];

const open = (s: LiveState, index: number): LiveState => {
  const x = s.log.sessions[index];
  if (!x) return s;
  return { ...s, selected: index, stack: ["list", "session"], view: { key: x.key, at: 0, following: true }, xml: false, xmlScroll: 0 };
};

const stepTo = (s: LiveState, at: number, following = s.view!.following): LiveState => ({ ...s, view: { ...s.view!, at, following }, xmlScroll: 0 });

export function reduceLive(s: LiveState, a: LiveAction): LiveState {
  switch (a.type) {
    case "events": {
      const log = addEvents(s.log, a.batch);
      const next = { ...s, log };
      // Untouched: the newest session is the one on screen.
      if (!s.touched && log.sessions.length > s.log.sessions.length) return open(next, log.sessions.length - 1);
      return next;
    }
    case "touch": {
      // The next key after a handout was written clears that line (a step may come by itself).
      const said = s.notice !== null && /^(wrote |✘ no handout)/.test(s.notice);
      return s.touched && !said ? s : { ...s, touched: true, notice: said ? null : s.notice };
    }
    case "move": {
      const n = s.log.sessions.length;
      return n ? { ...s, selected: (s.selected + a.by + n) % n } : s;
    }
    case "open":
      return open(s, a.index);
    case "cycle": {
      const n = s.log.sessions.length;
      if (!n || !s.view) return s;
      const i = s.log.sessions.findIndex((x) => x.key === s.view!.key);
      return open(s, (i + a.by + n) % n);
    }
    case "next":
      if (!s.view || s.view.at >= a.max) return s;
      return stepTo(s, s.view.at + 1, false);
    case "prev":
      if (!s.view || s.view.at <= 1) return s;
      return stepTo(s, s.view.at - 1, false);
    case "first":
      if (!s.view) return s;
      return stepTo(s, Math.min(1, s.view.at), false);
    case "now":
      // Jump to what has happened so far, and keep following from there.
      if (!s.view) return s;
      return stepTo(s, a.max, true);
    case "tick":
      if (!s.view?.following || s.view.at >= a.max) return s;
      return stepTo(s, s.view.at + 1);
    case "toggle-follow":
      return s.view ? { ...s, view: { ...s.view, following: !s.view.following } } : s;
    case "speed":
      return { ...s, speed: Math.min(3000, Math.max(100, Math.round(s.speed * (a.faster ? 0.66 : 1.5)))) };
    case "toggle-xml":
    case "scroll-xml":
    case "scroll-page":
      return reducePanes(s, a);
    case "help":
      return liveScreen(s) === "help" ? s : { ...s, stack: [...s.stack, "help"], pageScroll: 0 };
    case "back":
      if (s.stack.length <= 1) return s;
      return { ...s, stack: s.stack.slice(0, -1), pageScroll: 0 };
    case "notice":
      return { ...s, notice: a.text };
  }
}


/** The session on screen, if any. */
export function viewedSession(s: LiveState) {
  return s.view ? s.log.sessions.find((x) => x.key === s.view!.key) ?? null : null;
}
