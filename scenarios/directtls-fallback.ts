import type { ScenarioFile } from "./types.js";

export default {
  id: "directtls-fallback",
  act: 3,
  title: "Blocked direct TLS, stripped fallback",
  lesson: "A client that falls back from direct TLS to opportunistic STARTTLS is strippable again: mallory just blocks the direct port.",
  reference: "XEP-0368 §3 SRV records mixed with _xmpp-client; clients fall back to 5222 (emacs-jabber always appends domain:5222). Falling back is fine; falling back to opportunistic STARTTLS is the bug: Gajim's fallback requires TLS (directtls-fallback-required).",
  capability: "on-path only",
  server: { tls: "starttls", directTls: true, mechanisms: ["PLAIN"], allowPlainCleartext: true },
  alice: { tls: "direct", verify: "pin", fallbackToStartTls: true, allowPlainWithoutTls: true },
  mallory: { tactics: ["strip-starttls", "loot", "tamper"], blockDirectTls: true },
  expected: "attack-succeeds",
  narration: [
    { when: [{ fact: "move", move: "blocked" }, { fact: "decision", decision: "fallback" }], say: "mallory drops alice's connection to the direct-TLS port; alice falls back to the STARTTLS port." },
    {
      when: [{ fact: "decision", decision: "fallback" }, { fact: "edit", op: "removed-starttls" }, { fact: "decision", decision: "cleartext-without-starttls" }],
      say: "There mallory strips <starttls/>, and alice, opportunistic on the fallback, carries on in cleartext.",
    },
  ],
} satisfies ScenarioFile;
