import type { DefendExercise } from "./types.js";

export default {
  id: "defend-on-path",
  kind: "defend",
  title: "Keep an on-path attacker out",
  task: `alice logs in to lab.example over a café's Wi-Fi, and mallory is on the path. The server offers STARTTLS but does not insist on it, and it offers SCRAM-SHA-256 and PLAIN.

Configure alice so that no on-path attacker gets her password or her message - not one who deletes <starttls/>, not one who also removes SCRAM, not one who answers TLS with her own certificate - and so that alice can still log in and reach bob when nobody attacks.

You change alice's settings only; the server and mallory are the exercise's.`,
  look: [
    "mitm-lab run starttls-strip                       the attack you are up against",
    "mitm-lab run starttls-strip --set alice.tls=...   try a setting before you check it",
    "mitm-lab help                                     every alice.* setting and its values",
  ],
  hints: [
    "Look at what alice does when the features she receives have no <starttls/>: carrying on is a choice her settings make.",
    "An opportunistic client cannot tell a server without STARTTLS from an attacker who deleted it (RFC 7590 §3.1). alice.tls has a stricter value.",
    "alice.tls=required makes her ask for STARTTLS even when it is missing, and stop when it fails. Keep alice.verify checking the certificate, or mallory's own certificate will do.",
  ],
  scenarios: ["starttls-strip", "sasl-downgrade", "starttls-required-client", "starttls-no-verify", "starttls-verified"],
  base: "starttls-strip",
  baseSet: ["server.mechanisms=SCRAM-SHA-256,PLAIN"],
  may: ["alice."],
  attackers: [
    { name: "deletes <starttls/> (sslstrip's move)", set: ["mallory.tactics=strip-starttls,loot,tamper"] },
    { name: "deletes <starttls/> and every SCRAM mechanism", set: ["mallory.tactics=strip-starttls,strip-mechanisms,loot,tamper"] },
    { name: "answers TLS with her own self-signed certificate", set: ["mallory.tactics=intercept-tls,loot,tamper", "mallory.identity=self-signed"] },
    { name: "answers TLS with a lab-CA certificate for her own domain", set: ["mallory.tactics=intercept-tls,loot,tamper", "mallory.identity=other-domain"] },
    { name: "only watches", set: ["mallory.tactics=observe,loot"] },
  ],
  honest: [{ name: "an honest network", set: ["mallory.tactics=observe"] }],
  protect: "everything",
  solution: ["alice.tls=required"],
  wrong: [
    { set: ["alice.allowPlainWithoutTls=false"], why: "she no longer sends PLAIN in the clear, but logs in with SCRAM in the clear and sends the message there" },
    { set: ["alice.tls=required", "alice.verify=none"], why: "TLS that accepts any certificate accepts mallory's" },
    { set: ["alice.mechanisms=SCRAM-SHA-256-PLUS"], why: "the server offers no -PLUS mechanism: alice never logs in, attacked or not" },
  ],
  lesson: "A client that insists on TLS and checks the certificate leaves an on-path attacker only one move: blocking. Deleting <starttls/> works against whoever is willing to carry on without it.",
  teaching: `The classic mistake is to stop at alice.allowPlainWithoutTls=false: the password is safe, but with SCRAM in the clear the message is read and rewritten. The second is alice.verify=none with alice.tls=required (the starttls-no-verify scenario): TLS with anyone is not TLS with lab.example. alice.tls=direct fails the honest path here (the server has no direct-TLS port): a good moment to say that a defence must also work.`,
} satisfies DefendExercise;
