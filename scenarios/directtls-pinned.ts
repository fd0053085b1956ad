import type { ScenarioFile } from "./types.js";

export default {
  id: "directtls-pinned",
  act: 3,
  title: "Pinning the server's key",
  lesson: "alice pins the server's public key: a certificate any CA issued to someone else has a different key and is refused.",
  reference: "HPKP pin-sha256 (RFC 7469) as app pinning; snikket.org on the jabber.ru MITM: pinning or channel binding would have caught it.",
  capability: "holds a certificate from a CA alice trusts",
  server: { tls: "direct" },
  alice: { tls: "direct", verify: "pin", trustsRogueCa: true },
  mallory: { tactics: ["intercept-tls", "loot", "tamper"], identity: "rogue" },
  expected: "attack-fails",
  narration: [{ when: [{ fact: "tls", authorized: true, pinMatched: false }, { fact: "error", code: "PIN_MISMATCH" }], say: "The chain verified, but the key is not the pinned one: alice hangs up." }],
} satisfies ScenarioFile;
