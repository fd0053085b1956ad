import type { DefendExercise } from "./types.js";

export default {
  id: "defend-fallback",
  kind: "defend",
  title: "Fall back safely when direct TLS is blocked",
  task: `alice uses TLS from the first byte and pins the server's key: nothing to strip. But hotel and café networks often block unusual ports, so when direct TLS cannot be reached, alice falls back to the STARTTLS port, as XEP-0368 clients do. mallory has noticed: she blocks the direct-TLS port herself, then waits on the fallback.

Configure alice so that mallory gets neither the password nor the message - and so that alice still logs in on an honest network, and on one whose firewall really does block the direct-TLS port.`,
  look: [
    "mitm-lab run directtls-fallback                  the attack",
    "mitm-lab run directtls-fallback --set alice.fallbackToStartTls=false     what giving up costs",
    "mitm-lab help                                    the alice.* settings (look for fallback)",
  ],
  hints: [
    "Never falling back stops mallory - and alice, on every network that blocks the port. The exercise checks that case too.",
    "Falling back is not the bug; falling back to STARTTLS *if offered* is. What does alice do on the fallback when <starttls/> is missing?",
    "alice.fallbackTls=required: on the fallback she insists on STARTTLS, with the same certificate checks, as Gajim does.",
  ],
  scenarios: ["directtls-fallback", "directtls-fallback-required"],
  base: "directtls-fallback",
  baseSet: ["server.mechanisms=SCRAM-SHA-256,PLAIN"],
  may: ["alice."],
  attackers: [
    { name: "blocks direct TLS and strips <starttls/> on the fallback", set: ["mallory.tactics=strip-starttls,loot,tamper", "mallory.blockDirectTls=true"] },
    { name: "blocks direct TLS and answers the fallback's STARTTLS with her own certificate", set: ["mallory.tactics=intercept-tls,loot,tamper", "mallory.identity=self-signed", "mallory.blockDirectTls=true"] },
    { name: "answers direct TLS with her own certificate", set: ["mallory.tactics=intercept-tls,loot,tamper", "mallory.identity=self-signed", "mallory.blockDirectTls=false"] },
  ],
  honest: [
    { name: "an honest network", set: ["mallory.tactics=observe", "mallory.blockDirectTls=false"] },
    { name: "a network whose firewall blocks the direct-TLS port", set: ["mallory.tactics=observe", "mallory.blockDirectTls=true"] },
  ],
  protect: "everything",
  solution: ["alice.fallbackTls=required"],
  wrong: [
    { set: ["alice.fallbackToStartTls=false"], why: "safe, but alice never logs in where a firewall blocks the direct-TLS port" },
    { set: ["alice.allowPlainWithoutTls=false"], why: "she keeps her password, but logs in with SCRAM on the stripped fallback, and the message crosses in the clear" },
    { set: ["alice.fallbackTls=required", "alice.verify=none"], why: "a required STARTTLS that accepts any certificate accepts mallory's" },
  ],
  lesson: "Falling back is fine; falling back to opportunistic STARTTLS is the bug. A fallback must keep every guarantee of the first try: TLS required, the same certificate checks. Then all mallory has left is blocking - which no protocol can stop.",
  teaching: `The trap is alice.fallbackToStartTls=false: it stops mallory and fails the firewall path, the case the fallback exists for. Gajim's fallback requires TLS; emacs-jabber and others fell back to if-offered. Good discussion: mallory could also strip SRV records (XEP-0368 §6) to steer a client to the STARTTLS port without blocking anything.`,
} satisfies DefendExercise;
