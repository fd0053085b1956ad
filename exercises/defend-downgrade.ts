import type { DefendExercise } from "./types.js";

export default {
  id: "defend-downgrade",
  kind: "defend",
  title: "Stop the downgrade inside mallory's TLS",
  task: `alice now uses channel binding, so mallory's relay with the stolen key fails. mallory changes tactics: inside her own TLS she edits the server's features - she removes every SCRAM mechanism, or only the -PLUS ones - hoping alice settles for less.

Configure alice so that none of these moves gets mallory the password, the message or a login - and alice still logs in when nobody attacks.`,
  look: [
    "mitm-lab run stolen-key --set alice.channelBinding=true --set mallory.tactics=intercept-tls,strip-mechanisms,loot",
    "mitm-lab help                    the alice.* settings",
  ],
  hints: [
    "Run the attack with strip-mechanisms and read what alice chose, and from which list. Did she know the list was not the server's?",
    "alice picks the best mechanism she is offered. If PLAIN is acceptable to her at all, an attacker who can edit the offer can make it the best one.",
    "Take PLAIN (and plain SCRAM, if you like) out of alice.mechanisms; RFC 5802's 'y' flag already catches a stripped -PLUS.",
  ],
  scenarios: ["stolen-key", "channel-binding"],
  base: "stolen-key",
  baseSet: ["alice.channelBinding=true"],
  may: ["alice."],
  attackers: [
    { name: "relays with the stolen key", set: ["mallory.tactics=intercept-tls,loot,tamper"] },
    { name: "strips every SCRAM mechanism inside her TLS", set: ["mallory.tactics=intercept-tls,strip-mechanisms,loot,tamper"] },
    { name: "strips only the -PLUS mechanisms inside her TLS", set: ["mallory.tactics=intercept-tls,strip-plus,loot,tamper"] },
  ],
  honest: [{ name: "an honest network", set: ["mallory.tactics=observe", "mallory.identity=none"] }],
  protect: "everything",
  solution: ["alice.mechanisms=SCRAM-SHA-256-PLUS,SCRAM-SHA-1-PLUS,SCRAM-SHA-256,SCRAM-SHA-1"],
  wrong: [
    { set: [], why: "channel binding alone: with SCRAM removed from the offer, alice sends PLAIN inside mallory's TLS" },
    { set: ["alice.mechanisms=PLAIN"], why: "PLAIN only: the password goes to whoever terminates alice's TLS" },
  ],
  lesson: "A defence the attacker can switch off is no defence: channel binding holds only if alice refuses to do without it. Stripping -PLUS alone is caught by RFC 5802's 'y' flag; stripping SCRAM altogether is caught only by a client that never accepts PLAIN from this server again (mechanism pinning, XEP-0474 §6).",
  teaching: `The wrong answer everyone tries first is "nothing": channel binding is on, so surely it holds. Run strip-mechanisms with them and show the PLAIN <auth> inside mallory's TLS. A good follow-up question: why does stripping only -PLUS fail for mallory (the 'y' gs2 flag is inside the proof, RFC 5802 §6)?`,
} satisfies DefendExercise;
