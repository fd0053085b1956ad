/**
 * Who is who in the words: the lab's cast, or neutral names for the standalone nodes. Apart from
 * sentences.ts so the console's first frame can name them without loading TLS (sentences.ts
 * reads the channel-binding table in lab/core/tls.ts).
 */
export interface Names {
  client: string;
  server: string;
}

export const LAB_NAMES: Names = { client: "alice", server: "the server" };
/** The standalone attacker does not know who its client is: it may be slixmpp or Gajim. */
export const NEUTRAL_NAMES: Names = { client: "the client", server: "the server" };
