import type { Scenario } from "./types.js";

export default {
  id: "channel-binding",
  n: 16,
  act: 3,
  title: "Channel binding defeats the stolen key",
  lesson: "With SCRAM-SHA-256-PLUS alice's proof is bound to her own TLS session; relayed into mallory's session to the server it fails.",
  reference: "RFC 9266 (tls-exporter), RFC 5802 §6, XEP-0440; devever.net on jabber.ru: SCRAM-PLUS would have defeated it.",
  capability: "holds the server's private key",
  server: { tls: "direct" },
  alice: { tls: "direct", verify: "pin", channelBinding: true },
  mallory: { tactics: ["intercept-tls", "loot", "tamper"], identity: "stolen" },
  expected: "attack-fails",
  narration: [
    { on: "relay:SASL failure <not-authorized/>", say: "The server computes the binding of its TLS session with mallory: it differs from alice's, so the proof fails." },
    { on: "error:AUTH_FAILED", say: "alice never sent her password, and no message was sent at all." },
  ],
} satisfies Scenario;
