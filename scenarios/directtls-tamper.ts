import type { ScenarioFile } from "./types.js";

export default {
  id: "directtls-tamper",
  act: 3,
  title: "Editing ciphertext",
  lesson: "mallory cannot read pinned TLS, so she flips a bit in a record: TLS's integrity check catches it and nothing is learned.",
  reference: "RFC 8446 §5.2 (AEAD record protection): a modified record fails with bad_record_mac.",
  capability: "on-path only",
  server: { tls: "direct" },
  alice: { tls: "direct", verify: "pin" },
  mallory: { tactics: ["flip-bytes", "loot"] },
  expected: "attack-fails",
  narration: [
    { when: [{ fact: "move", move: "bit-flipped" }], say: "mallory flips one bit of an encrypted record of alice's on its way to the server." },
    { when: [{ fact: "error", code: "TLS_INTEGRITY" }], say: "TLS detects the altered record (bad record MAC) and tears the connection down: nothing is learned, nothing is changed." },
  ],
} satisfies ScenarioFile;
