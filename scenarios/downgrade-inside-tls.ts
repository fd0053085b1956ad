import type { ScenarioFile } from "./types.js";

export default {
  id: "downgrade-inside-tls",
  act: 5,
  title: "Downgrade inside TLS: SCRAM-PLUS stripped, PLAIN sent",
  lesson: "Channel binding protects only a SCRAM-PLUS login: mallory, holding the stolen key, removes every SCRAM mechanism inside her own TLS, and an alice who takes whatever is offered sends PLAIN.",
  reference: "RFC 6120 §13.9.4 (mechanism downgrade); XEP-0474 §3 (it does not cover PLAIN); RFC 6120 §13.8.3 (PLAIN only with full certificate validation).",
  capability: "holds the server's private key",
  server: { tls: "direct" },
  alice: { tls: "direct", verify: "pin", channelBinding: true },
  mallory: { tactics: ["intercept-tls", "strip-mechanisms", "loot", "tamper"], identity: "stolen" },
  expected: "attack-succeeds",
  narration: [
    {
      when: [{ fact: "move", move: "client-sent-through-tls" }, { fact: "tls", pinMatched: true, serverKey: true, reachedServer: false }],
      say: "mallory presents the server's real certificate and holds its key: the pin matches.",
    },
    {
      when: [{ fact: "edit", op: "removed-mechanisms", context: "inside-tls" }, { fact: "edit", op: "removed-channel-binding", context: "inside-tls" }, { fact: "stanza", dir: "in", label: "features [PLAIN]" }],
      say: "Inside her own TLS, mallory removes every SCRAM mechanism and the channel-binding types: PLAIN is all alice is shown.",
    },
    {
      when: [{ fact: "decision", decision: "mechanism", chosen: "PLAIN", secure: true }, { fact: "password-exposed", mechanism: "PLAIN", how: "terminated-tls" }],
      say: "Over TLS alice allows PLAIN, and her TLS checks out - it ends at mallory. Channel binding never had a chance.",
    },
  ],
} satisfies ScenarioFile;
