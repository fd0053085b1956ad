import type { DefendExercise } from "./types.js";

export default {
  id: "defend-rogue-ca",
  kind: "defend",
  title: "Trust no more than you must: a rogue CA in the trust store",
  task: `alice's laptop trusts a CA it should not: a corporate root installed by an employer's TLS-inspection box, or a CA that mis-issued a certificate for lab.example. mallory holds such a certificate. alice already uses TLS from the first byte and verifies the chain and the name - and mallory's certificate passes both checks.

The rogue root stays in the trust store (you cannot remove it: it is not yours). Configure alice so that mallory gets neither the password nor the message, and alice still logs in when nobody attacks.`,
  look: [
    "mitm-lab run directtls-rogue-ca     the attack",
    "mitm-lab run directtls-pinned       what the lab shows about the defence",
    "mitm-lab pin FILE.pem               how a pin is computed (sha256 of the public key)",
  ],
  hints: [
    "Any CA in alice's trust store can vouch for any name. Which property of the server's certificate does only lab.example have?",
    "Its key pair: a mis-issued certificate for lab.example carries mallory's public key, not the server's.",
    "alice.verify=pin: alice accepts only the server's public key (its SPKI pin), whoever signed the certificate.",
  ],
  scenarios: ["directtls-rogue-ca", "directtls-pinned"],
  base: "directtls-rogue-ca",
  may: ["alice.tls", "alice.verify", "alice.channelBinding", "alice.mechanisms", "alice.allowPlainWithoutTls"],
  attackers: [
    { name: "holds a certificate for lab.example from the rogue CA", set: ["mallory.tactics=intercept-tls,loot,tamper", "mallory.identity=rogue"] },
    { name: "answers with her own self-signed certificate", set: ["mallory.tactics=intercept-tls,loot,tamper", "mallory.identity=self-signed"] },
  ],
  honest: [{ name: "an honest network", set: ["mallory.tactics=observe", "mallory.identity=none"] }],
  protect: "everything",
  solution: ["alice.verify=pin"],
  wrong: [
    { set: ["alice.verify=ca"], why: "the rogue CA is in alice's trust store: its certificate for lab.example verifies" },
    { set: ["alice.verify=none"], why: "accepting any certificate accepts mallory's" },
  ],
  lesson: "Verifying the chain trusts every CA in the store, including the one that should not be there; pinning the server's key trusts lab.example alone. (Channel binding also stops this relay: alice.channelBinding=true is accepted too.)",
  teaching: `A good place to tell the jabber.ru story (2023): the interceptor held validly issued certificates, so chain checks passed everywhere. Certificate Transparency monitoring would have shown the second certificate; pinning or channel binding would have refused it. alice.trustsRogueCa is not a setting the students may change: the point is a trust store you do not control.`,
} satisfies DefendExercise;
