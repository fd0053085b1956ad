import type { ScenarioFile } from "./types.js";

/** What lab.example offered on alice's earlier logins (victim-server DEFAULT_MECHANISMS). */
const OFFERED_BEFORE = ["SCRAM-SHA-256-PLUS", "SCRAM-SHA-1-PLUS", "SCRAM-SHA-256", "SCRAM-SHA-1", "PLAIN"];

export default {
  id: "downgrade-protection",
  act: 5,
  title: "Downgrade protection: pinning, XEP-0474 and the 'y' flag",
  lesson: "The same mallory meets an alice who remembers what lab.example offered before (mechanism pinning) and checks XEP-0474's hash: she refuses the downgrade. Stripping only -PLUS is caught too: by pinning, by the hash, or by RFC 5802's 'y' flag.",
  reference: "XEP-0474 v0.5.0 (§4 hash; §6 once SCRAM, never PLAIN); RFC 5802 §6 ('y'); go-sendxmpp pins SCRAM and checks XEP-0474.",
  capability: "holds the server's private key",
  server: { tls: "direct", downgradeProtection: true },
  alice: { tls: "direct", verify: "pin", channelBinding: true, rememberedMechanisms: OFFERED_BEFORE, downgradeProtection: true },
  mallory: { tactics: ["intercept-tls", "strip-mechanisms", "loot", "tamper"], identity: "stolen" },
  expected: "attack-fails",
  narration: [
    { when: [{ fact: "edit", op: "removed-mechanisms", context: "inside-tls" }], say: "Inside her own TLS, mallory removes mechanisms, as in downgrade-inside-tls." },
    { when: [{ fact: "error", code: "MECHANISM_DOWNGRADE" }, { fact: "nothing-exposed" }], say: "alice remembers what lab.example offered before and refuses less: she never logs in." },
  ],
} satisfies ScenarioFile;
