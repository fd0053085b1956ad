import type { ScenarioFile } from "./types.js";

export default {
  id: "starttls-strip",
  act: 1,
  title: "STARTTLS stripped",
  lesson: "An on-path attacker deletes <starttls/> from the features; an opportunistic client never notices and logs in in cleartext.",
  reference: "RFC 7590 §3.1 (the feature 'might be stripped out by an attacker'); xmpp.js #329, Twisted #9206, XMPPFramework #332.",
  capability: "on-path only",
  server: { tls: "starttls", mechanisms: ["PLAIN"], allowPlainCleartext: true },
  alice: { tls: "opportunistic", verify: "ca", allowPlainWithoutTls: true },
  mallory: { tactics: ["strip-starttls", "loot", "tamper"] },
  expected: "attack-succeeds",
  narration: [
    { when: [{ fact: "edit", op: "removed-starttls", dir: "s2c" }], say: "mallory deleted <starttls/> from the server's features on their way to alice." },
    { when: [{ fact: "decision", decision: "cleartext-without-starttls" }], say: "alice saw no <starttls/> and, being opportunistic, carried on in cleartext." },
    { when: [{ fact: "loot", type: "credential" }, { fact: "password-exposed", mechanism: "PLAIN", how: "cleartext" }], say: "mallory decodes alice's password from PLAIN." },
    { when: [{ fact: "edit", op: "rewrote-body" }, { fact: "message-altered" }], say: "mallory rewrites the IBAN before the server ever sees the message." },
  ],
} satisfies ScenarioFile;
