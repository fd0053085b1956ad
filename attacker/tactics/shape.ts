import type { Element } from "ltx";
import type { Direction, Edit } from "../../lab/core/events.js";

/**
 * The shape of a tactic that edits elements - the one a student's tactic file will export:
 * a pure function over one parsed element. It must not change its input; it returns a changed
 * copy and what it changed as typed edits, or null for "nothing to do here".
 */
export type ElementTactic = (el: Element, where: Where) => Edited | null;

export interface Where {
  /** "s2c": on its way to the client; "c2s": on its way to the server. */
  dir: Direction;
  /** mallory reads the client's stream in the clear, or inside TLS she terminated herself. */
  context: "cleartext" | "inside-tls";
  /** Before or after the client authenticated on this connection (RFC 6120 §6.3.2's restart). */
  stage: "pre-auth" | "post-auth";
}

export interface Edited {
  /** The element to forward instead, or null to drop it. */
  el: Element | null;
  edits: Edit[];
  /**
   * Raw text of her own written right after the element, in the same write (for moves such as
   * inject-after-starttls that pipeline bytes behind it); report it with an "appended" edit.
   */
  append?: string;
}
