import fs from "node:fs";
import type { KeyLog } from "../core/tls.js";

/** `--keylog FILE`: TLS secrets appended in the SSLKEYLOGFILE format, mode 0600 (they are secrets). */
export function keylogFile(file: string | undefined): { keylog?: KeyLog; close(): Promise<void> } {
  if (!file) return { close: async () => {} };
  const out = fs.createWriteStream(file, { flags: "a", mode: 0o600 });
  let ok = true;
  out.on("error", (err) => {
    if (ok) process.stderr.write(`mitm-lab: --keylog ${file}: ${err.message}; no more secrets are written there\n`);
    ok = false;
  });
  return {
    keylog: (line) => void (ok && out.write(line)),
    close: () => new Promise((r) => (ok ? out.end(() => r()) : r())),
  };
}
