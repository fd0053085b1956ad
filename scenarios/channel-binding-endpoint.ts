import type { ScenarioFile } from "./types.js";

export default {
  id: "channel-binding-endpoint",
  act: 5,
  title: "tls-server-end-point cannot tell a stolen key",
  lesson: "tls-server-end-point binds the login to the certificate, not to the TLS session: mallory, holding the server's own certificate and key, shows both legs the same certificate, and the relayed SCRAM-PLUS login passes. tls-exporter would not (channel-binding).",
  reference: "XEP-0474 §5, attack model 1, case 5; RFC 5929 §4.1; RFC 9266 (tls-exporter binds the session).",
  capability: "holds the server's private key",
  server: { tls: "direct" },
  alice: { tls: "direct", verify: "pin", channelBinding: true, channelBindingType: "tls-server-end-point" },
  mallory: { tactics: ["intercept-tls", "loot", "tamper"], identity: "stolen" },
  expected: "attack-succeeds",
  narration: [
    {
      when: [{ fact: "move", move: "client-sent-through-tls" }, { fact: "tls", pinMatched: true, serverKey: true, reachedServer: false }],
      say: "mallory presents the server's real certificate and holds its key: the pin matches.",
    },
    {
      when: [{ fact: "decision", decision: "channel-binding", binding: "tls-server-end-point" }, { fact: "tls", serverKey: true }],
      say: "alice binds her proof with tls-server-end-point: the hash of that certificate - the server's real one.",
    },
    {
      when: [{ fact: "decision", decision: "channel-binding", binding: "tls-server-end-point" }, { fact: "login-relayed" }, { fact: "message-read" }, { fact: "message-altered" }],
      say: "The server hashes the same certificate, so the binding matches and the relayed login passes: mallory reads and rewrites alice's session.",
    },
  ],
} satisfies ScenarioFile;
