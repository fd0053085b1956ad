/** Where a live console's events come from, for its screens to say so. */
export interface LiveSource {
  /** `mitm-lab attacker --console`: mallory runs in this process; or `mitm-lab watch FILE`. */
  kind: "attacker" | "watch";
  /** The file followed (watch), or the one the attacker also writes (--jsonl), if any. */
  file: string | null;
  /**
   * Where clients connect, when known here: with --pcap a capture relay stands in front of
   * mallory's own listener, whose port her log gives.
   */
  listen: string | null;
  /** The server mallory relays to, when known (her log does not say it). */
  upstream: string | null;
}
