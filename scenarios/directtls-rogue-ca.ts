import type { ScenarioFile } from "./types.js";

export default {
  id: "directtls-rogue-ca",
  act: 3,
  title: "A valid certificate in the wrong hands",
  lesson: "Verification trusts every CA in the store: a certificate mis-issued to the attacker verifies perfectly.",
  reference: "jabber.ru/xmpp.ru (2023): Let's Encrypt certificates issued to the interceptor, 5222 intercepted at the hosting provider for months.",
  capability: "holds a certificate from a CA alice trusts",
  server: { tls: "direct" },
  alice: { tls: "direct", verify: "ca", trustsRogueCa: true },
  mallory: { tactics: ["intercept-tls", "loot", "tamper"], identity: "rogue" },
  expected: "attack-succeeds",
  narration: [
    { when: [{ fact: "tls", verify: "ca", authorized: true, accepted: true }], say: "The chain verifies and the name matches: from alice's point of view, this is lab.example." },
    { when: [{ fact: "tls", verify: "ca", authorized: true, reachedServer: false }, { fact: "message-altered" }], say: "Certificate validation alone did not help: the CA system vouched for mallory." },
  ],
} satisfies ScenarioFile;
