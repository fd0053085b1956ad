/**
 * What mallory allows one connection. She is a relay, so her limits protect her own memory
 * and sockets (issue 13): a stanza larger than she holds goes by unread, not refused.
 */
export interface AttackerLimits {
  /** The most she holds of one stanza (or header) before letting it go by unread. */
  maxStanza: number;
  /** Nothing either way for this long closes the connection. */
  idleTimeoutMs: number;
  /** Open connections from one address; beyond it she refuses at once. */
  maxConnectionsPerAddress: number;
}

export const DEFAULT_ATTACKER_LIMITS: AttackerLimits = {
  maxStanza: 256 * 1024,
  idleTimeoutMs: 15 * 60_000,
  maxConnectionsPerAddress: 64,
};
