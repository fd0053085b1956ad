import fs from "node:fs";
import { Capture } from "../core/capture.js";
import type { KeyLog } from "../core/tls.js";

/**
 * `--pcap FILE`: every TCP leg the command saw, written as pcapng when it ends, with the TLS
 * secrets of its TLS sessions inside (a Decryption Secrets Block: Wireshark decrypts without a
 * key-log file - and so can anyone holding the file; mode 0600). `--keylog FILE` still writes
 * the same secrets to a file of their own.
 */
export function pcapFile(file: string | undefined, comment: string): { capture?: Capture; keylog(other?: KeyLog): KeyLog | undefined; write(): Promise<string | null> } {
  if (!file) return { keylog: (other) => other, write: async () => null };
  const capture = new Capture(comment);
  return {
    capture,
    keylog: (other) => (line) => {
      capture.keylog(line);
      other?.(line);
    },
    async write() {
      // Let the relays see the last closes (they arrive as socket events after the nodes stop).
      for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
      fs.writeFileSync(file, capture.toBuffer(), { mode: 0o600 });
      fs.chmodSync(file, 0o600);
      return `wrote ${file}: ${capture.legs.length} TCP legs, TLS secrets inside (open it in Wireshark, or tshark -r ${file})`;
    },
  };
}
