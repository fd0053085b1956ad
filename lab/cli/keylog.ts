import fs from "node:fs";
import type { KeyLog } from "../core/tls.js";

/** `--keylog FILE`: TLS secrets appended in the SSLKEYLOGFILE format, mode 0600 (they are secrets). */
export function keylogFile(file: string | undefined): { keylog?: KeyLog; close(): Promise<void> } {
  if (!file) return { close: async () => {} };
  const out = fs.createWriteStream(file, { flags: "a", mode: 0o600 });
  return {
    keylog: (line) => out.write(line),
    close: () => new Promise((r) => out.end(() => r())),
  };
}
