import type { ScenarioFile } from "./types.js";

export default {
  id: "jabber-ru-channel-binding",
  act: 5,
  title: "jabber.ru with SCRAM-PLUS: the certificate gives mallory away",
  lesson: "With tls-server-end-point, alice's SCRAM proof carries the hash of the certificate she saw; the server hashes its own. A validly issued second certificate is still a different certificate: the relayed login fails.",
  reference: "RFC 5929 §4.1 (tls-server-end-point); XEP-0440 (servers MUST offer it); devever.net on jabber.ru: SCRAM-PLUS would have defeated the MITM.",
  capability: "holds a certificate from a CA alice trusts",
  server: { tls: "starttls" },
  alice: { tls: "required", verify: "ca", trustsPublicCa: true, channelBinding: true, channelBindingType: "tls-server-end-point" },
  mallory: { tactics: ["intercept-tls", "loot", "tamper"], identity: "public-ca" },
  expected: "attack-fails",
  narration: [
    {
      when: [{ fact: "move", move: "client-sent-through-tls" }, { fact: "tls", verify: "ca", authorized: true, issuer: "Lab Public CA (issues to whoever controls a name)", reachedServer: false }],
      say: "alice accepts the validly issued certificate, as in jabber-ru-2023.",
    },
    { when: [{ fact: "decision", decision: "channel-binding", binding: "tls-server-end-point" }], say: "She binds her SCRAM-PLUS proof to the certificate she was shown: tls-server-end-point is its hash." },
    {
      when: [{ fact: "auth", ok: false, reason: "channel-binding-mismatch" }, { fact: "no-password-exposed" }, { fact: "scram-exposed" }],
      say: "The server hashes its own certificate, not mallory's: the binding differs and the relayed login fails. alice's password never crossed; mallory keeps a SCRAM exchange to guess at offline.",
    },
  ],
} satisfies ScenarioFile;
