import type { ScenarioFile } from "./types.js";

export default {
  id: "plaintext",
  act: 1,
  title: "No TLS at all",
  lesson: "Without TLS, everyone on the path reads the password and the messages as they pass.",
  reference: "RFC 6120 §13.8.3: PLAIN MUST NOT be used without TLS; dsniff (2000) showed this for every cleartext protocol.",
  capability: "on-path only",
  server: { tls: "none", mechanisms: ["PLAIN"], allowPlainCleartext: true },
  alice: { tls: "off", verify: "none", allowPlainWithoutTls: true },
  mallory: { tactics: ["observe", "loot"] },
  expected: "attack-succeeds",
  narration: [
    { when: [{ fact: "password-exposed", mechanism: "PLAIN", how: "cleartext" }], say: "PLAIN is base64, not encryption: alice's password crosses mallory's socket, readable in the <auth/> element." },
    { when: [{ fact: "message-read", how: "cleartext" }], say: "The message crosses mallory's socket in cleartext." },
  ],
} satisfies ScenarioFile;
