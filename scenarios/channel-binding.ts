import type { ScenarioFile } from "./types.js";

export default {
  id: "channel-binding",
  act: 3,
  title: "Channel binding (tls-exporter) stops the relayed login",
  lesson: "With SCRAM-SHA-256-PLUS and tls-exporter on TLS 1.3, alice's proof is bound to her own TLS session: relayed into mallory's session with the server, it fails. It holds while alice accepts no downgrade (downgrade-inside-tls), and it fails the relay, not the guess: the exchange mallory recorded is worth offline what alice's password is worth (offline-crack).",
  reference: "RFC 9266 (tls-exporter, the type for TLS 1.3), RFC 5802 §6, XEP-0440; devever.net on jabber.ru: SCRAM-PLUS would have defeated it.",
  capability: "holds the server's private key",
  server: { tls: "direct" },
  alice: { tls: "direct", verify: "pin", channelBinding: true },
  mallory: { tactics: ["intercept-tls", "loot", "tamper"], identity: "stolen" },
  expected: "attack-fails",
  narration: [
    {
      when: [{ fact: "decision", decision: "channel-binding", binding: "tls-exporter" }, { fact: "tls", reachedServer: false }],
      say: "alice binds her SCRAM-PLUS proof to her own TLS session - the one that ends at mallory - with tls-exporter (RFC 9266, TLS 1.3).",
    },
    {
      when: [{ fact: "tls", reachedServer: false }, { fact: "auth", ok: false, reason: "channel-binding-mismatch" }, { fact: "no-password-exposed" }, { fact: "no-message-sent" }],
      say: "The server computes the binding of its own TLS session with mallory: it differs from alice's, so the relayed proof fails. alice's password never crossed, and no message was sent.",
    },
    {
      when: [{ fact: "auth", ok: false, reason: "plus-stripped" }],
      say: "alice said she supports channel binding but saw no -PLUS ('y', RFC 5802 §6); the server did offer -PLUS, so it knows the list was changed, and refuses.",
    },
    {
      when: [{ fact: "loot", type: "scram" }, { fact: "scram-exposed" }],
      say: "What mallory keeps is the recorded exchange: offline, it is worth exactly as much as alice's password is weak (the verdict says which).",
    },
  ],
} satisfies ScenarioFile;
