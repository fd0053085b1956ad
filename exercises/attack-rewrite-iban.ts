import type { AttackExercise } from "./types.js";

export default {
  id: "attack-rewrite-iban",
  kind: "attack",
  title: "Rewrite the IBAN",
  task: `alice and lab.example speak XMPP without any TLS, and you are on the path. alice sends bob: "Please wire 100 EUR to DE89 3704 0044 0532 0130 00".

Write a tactic so that bob receives a different account number - yours. (Reading the message is not enough: the checker asks what bob received.)`,
  look: [
    "mitm-lab run plaintext                       the victim",
    "mitm-lab exercise attack-rewrite-iban --starter my-tactic.ts",
    "mitm-lab run plaintext --set mallory.tactics= --tactic my-tactic.ts",
  ],
  hints: [
    "A chat message is a <message> element with a <body>. Which direction does alice's message travel: s2c or c2s?",
    "Change the text of the <body> of messages going to the server (where.dir === \"c2s\").",
    "body.children = [newText] replaces a body's text; a regular expression finds the IBAN (two letters, two digits, then groups of four).",
  ],
  scenarios: ["plaintext", "starttls-strip"],
  victim: "plaintext",
  builtins: [],
  goal: "message-altered",
  solution: ["rewrite-iban.ts"],
  wrong: [{ file: "rewrite-toward-alice.ts", why: "the right edit in the wrong direction: alice's message goes c2s" }],
  lesson: "Without TLS an on-path attacker does not just read: she writes. Nothing in the XMPP stream tells bob the message was changed; only TLS to the server (or end-to-end encryption between alice and bob) does.",
  teaching: `The warm-up attack: the tactic API in ten lines. Ask what would let bob notice (OMEMO/OpenPGP end to end; TLS protects only each hop). The checker judges by bob's inbox against alice's outbox, not by mallory's report.`,
} satisfies AttackExercise;
