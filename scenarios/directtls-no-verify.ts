import type { ScenarioFile } from "./types.js";

export default {
  id: "directtls-no-verify",
  act: 2,
  title: "TLS from the first byte, certificate not checked",
  lesson: "Direct TLS removes the strippable upgrade, but without certificate checks mallory simply terminates the TLS herself.",
  reference: "XEP-0368 §3: certificates are validated as for STARTTLS; the essay: 'you have to enforce certificate validation'.",
  capability: "on-path, with her own certificate",
  server: { tls: "direct" },
  alice: { tls: "direct", verify: "none" },
  mallory: { tactics: ["intercept-tls", "loot", "tamper"], identity: "self-signed" },
  expected: "attack-succeeds",
  narration: [
    { when: [{ fact: "tls", verify: "none", reachedServer: false }, { fact: "message-read", how: "terminated-tls" }], say: "Direct TLS without verification protects against nobody who is on the path." },
  ],
} satisfies ScenarioFile;
