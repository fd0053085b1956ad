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
  // Each defence has its own line, keyed to mallory's edit and to the event that shows the
  // defence acted, so the line says what really caught the downgrade under whatever settings a
  // student runs: pinning acts on the features (before any SASL), the 'y' flag on SCRAM's first
  // message (the server's check), XEP-0474 on SCRAM's server-first (alice's, before her proof).
  narration: [
    { when: [{ fact: "edit", op: "removed-mechanisms", context: "inside-tls" }], say: "Inside her own TLS, mallory removes mechanisms, as in downgrade-inside-tls." },
    {
      when: [{ fact: "edit", op: "removed-mechanisms" }, { fact: "error", code: "MECHANISM_DOWNGRADE" }, { fact: "nothing-exposed" }],
      say: "What caught it: mechanism pinning. alice remembers what lab.example offered before and a mechanism she would use is missing: she refuses before SASL starts, so the XEP-0474 hash and the 'y' flag never come into play.",
    },
    {
      // RFC 5802 §6: a client that supports channel binding but sees no -PLUS sends "y"; a
      // server that did offer -PLUS then knows the list was changed, and fails the login.
      when: [{ fact: "edit", op: "removed-mechanisms" }, { fact: "scram-flag", flag: "y" }, { fact: "auth", ok: false, reason: "plus-stripped" }, { fact: "nothing-exposed" }],
      say: "What caught it: RFC 5802's 'y' flag (§6). alice can bind but saw no -PLUS, so her first SCRAM message says 'y'; the server did offer -PLUS, so it knows the list was cut on the way and refuses before any proof is sent.",
    },
    {
      // XEP-0474 §4: h= in server-first is the hash of the mechanisms (and XEP-0440 types) the
      // server advertised; server-first is part of SCRAM's AuthMessage, so mallory cannot change it.
      when: [{ fact: "edit", op: "removed-mechanisms" }, { fact: "error", code: "DOWNGRADE_DETECTED" }, { fact: "nothing-exposed" }],
      say: "What caught it: XEP-0474. The server's first SCRAM message carries a hash of what it offered (h=), which mallory cannot change without breaking the proofs; it does not match the list alice saw, so she aborts before her proof.",
    },
    {
      // A downgrade to PLAIN: XEP-0474's hash and the gs2 flag live inside SCRAM, so PLAIN has neither.
      when: [{ fact: "edit", op: "removed-mechanisms", context: "inside-tls" }, { fact: "decision", decision: "mechanism", chosen: "PLAIN" }, { fact: "password-exposed", mechanism: "PLAIN", how: "terminated-tls" }],
      // No word on pinning here: with alice.mechanisms=PLAIN she pins and it does not stop this
      // (she misses nothing she would use), so "pinning would have stopped it" was not always true.
      say: "Nothing caught it: the XEP-0474 hash and the 'y' flag live inside SCRAM, and PLAIN has neither. An alice who never uses PLAIN would have stopped it; this one sends PLAIN, and her password crosses mallory's TLS.",
    },
    {
      when: [{ fact: "edit", op: "removed-mechanisms", context: "inside-tls" }, { fact: "scram-flag", flag: "n" }, { fact: "login-relayed" }],
      say: "Nothing caught it: alice does not bind channels, so her first SCRAM message says 'n' and gives the server nothing to compare with what it offered; her login goes through mallory's TLS.",
    },
  ],
} satisfies ScenarioFile;
