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
    { on: "edit:removed-mechanisms", say: "mallory removed <starttls/> and every SCRAM mechanism: PLAIN is all alice is offered." },
    { on: "loot:credential", say: "alice's preference for SCRAM did not matter: she can only pick from what she is shown." },
  ],
} satisfies ScenarioFile;
