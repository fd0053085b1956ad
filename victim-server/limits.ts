/**
 * What the server allows one peer, as settings with defaults (RFC 6120 §13.12 asks for limits
 * an administrator can set; §4.6 for how to treat silent peers). Each is a flag of
 * `mitm-lab server` (lab/cli/nodes.ts).
 */
export interface ServerLimits {
  /** §13.12: stanza size in bytes, markup included (at least 10000). */
  maxStanza: number;
  /** §6.4.5: failed SASL attempts allowed after the first (2 to 5); one more closes the stream. */
  saslRetries: number;
  /** From the TCP connection to a bound resource; then <connection-timeout/> (§4.9.3.4). */
  negotiationTimeoutMs: number;
  /** A stanza (or header) started must be complete by then: a slow-drip peer holds no slot forever. */
  stanzaTimeoutMs: number;
  /** No traffic either way for this long closes the stream with <policy-violation/> (§4.6.3). */
  idleTimeoutMs: number;
  /** §13.12: open connections from one address; beyond it a connection is refused at once. */
  maxConnectionsPerAddress: number;
  /** Messages kept for an account with no session (only for accounts that exist). */
  offlinePerAccount: number;
}

export const DEFAULT_LIMITS: ServerLimits = {
  maxStanza: 256 * 1024,
  saslRetries: 3,
  negotiationTimeoutMs: 30_000,
  stanzaTimeoutMs: 30_000,
  idleTimeoutMs: 15 * 60_000,
  maxConnectionsPerAddress: 64,
  offlinePerAccount: 100,
};
