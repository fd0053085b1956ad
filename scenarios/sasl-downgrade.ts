import type { ScenarioFile } from "./types.js";

export default {
  id: "sasl-downgrade",
  act: 1,
  title: "SASL downgrade: SCRAM removed, PLAIN left",
  lesson: "alice prefers SCRAM, which never sends the password; mallory removes SCRAM from the list and alice falls back to PLAIN.",
  reference: "RFC 6120 §13.9.4 (mechanism downgrade); libstrophe uses PLAIN when nothing stronger is offered; XEP-0474.",
  capability: "on-path only",
  server: { tls: "starttls", allowPlainCleartext: true },
  alice: { tls: "opportunistic", verify: "ca", allowPlainWithoutTls: true },
  mallory: { tactics: ["strip-starttls", "strip-mechanisms", "loot"] },
  expected: "attack-succeeds",
  narration: [
    {
      when: [{ fact: "edit", op: "removed-starttls" }, { fact: "edit", op: "removed-mechanisms" }, { fact: "stanza", dir: "in", label: "features [PLAIN]" }],
      say: "mallory removed <starttls/> and every SCRAM mechanism: PLAIN is all alice is offered.",
    },
    {
      when: [{ fact: "decision", decision: "mechanism", chosen: "PLAIN", belowPreference: true }, { fact: "password-exposed", mechanism: "PLAIN" }],
      say: "alice's own order of preference did not matter: she can only pick from what she is shown.",
    },
  ],
} satisfies ScenarioFile;
