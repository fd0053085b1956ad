import type { ScenarioFile } from "./types.js";

export default {
  id: "starttls-required-client",
  act: 1,
  title: "alice requires TLS",
  lesson: "Only the client can stop stripping: alice requires TLS, asks for it although it was hidden, and stops when mallory refuses.",
  reference: "RFC 7590 §3.1: the client MUST NOT be deterred when STARTTLS is not advertised; Smack 4.4 made SecurityMode.required the default.",
  capability: "on-path only",
  server: { tls: "starttls", mechanisms: ["PLAIN"], allowPlainCleartext: true },
  alice: { tls: "required", verify: "ca" },
  mallory: { tactics: ["strip-starttls", "loot", "tamper"] },
  expected: "attack-fails",
  narration: [
    { when: [{ fact: "decision", decision: "starttls-anyway" }], say: "alice requires TLS: the missing <starttls/> does not deter her." },
    { when: [{ fact: "move", move: "starttls-refused" }, { fact: "error", code: "STARTTLS_UNAVAILABLE" }, { fact: "no-password-exposed" }], say: "mallory can only refuse, and alice hangs up before sending her password." },
  ],
} satisfies ScenarioFile;
