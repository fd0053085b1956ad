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
    { on: "move:bit-flipped", say: "One bit of alice's first encrypted record is flipped on the way." },
    { on: "error:TLS_INTEGRITY", say: "The record fails its integrity check; the connection is torn down at once." },
  ],
} satisfies ScenarioFile;
