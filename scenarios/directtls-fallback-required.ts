import type { ScenarioFile } from "./types.js";

export default {
  id: "directtls-fallback-required",
  act: 4,
  title: "Blocked direct TLS, required fallback",
  lesson: "Falling back is fine; falling back to opportunistic STARTTLS is the bug. alice falls back to STARTTLS she requires and verifies: mallory can block her, not strip her.",
  reference: "XEP-0368 §3 (fallback to _xmpp-client); Gajim's fallback requires TLS (allow_plaintext_connection = False); RFC 7590 §3.1.",
  capability: "on-path only",
  server: { tls: "starttls", directTls: true },
  alice: { tls: "direct", verify: "ca", fallbackToStartTls: true, fallbackTls: "required" },
  mallory: { tactics: ["strip-starttls", "loot", "tamper"], blockDirectTls: true },
  expected: "attack-fails",
  narration: [
    { when: [{ fact: "move", move: "blocked" }, { fact: "decision", decision: "fallback" }], say: "mallory drops alice's connection to the direct-TLS port; alice falls back to the STARTTLS port." },
    { when: [{ fact: "decision", decision: "fallback" }, { fact: "edit", op: "removed-starttls" }], say: "There mallory deletes <starttls/>." },
    {
      when: [{ fact: "decision", decision: "starttls-anyway" }, { fact: "move", move: "starttls-refused" }, { fact: "error", code: "STARTTLS_UNAVAILABLE" }, { fact: "nothing-exposed" }],
      say: "alice asks for STARTTLS anyway; mallory can only refuse in the server's name, and alice stops before logging in.",
    },
  ],
} satisfies ScenarioFile;
