import type { DefendExercise } from "./types.js";

export default {
  id: "defend-downgrade",
  kind: "defend",
  title: "Stop the downgrade inside mallory's TLS",
  task: `alice uses channel binding, so mallory's relay with the stolen key fails. mallory changes tactics: inside her own TLS she edits the server's features - she removes every SCRAM mechanism, or only the -PLUS ones - hoping alice settles for less.

Configure alice so that none of these moves gets mallory the password, the message or a login - and alice still logs in when nobody attacks. alice has logged in to lab.example before, and knows what it offered then: SCRAM-SHA-256-PLUS, SCRAM-SHA-1-PLUS, SCRAM-SHA-256, SCRAM-SHA-1, PLAIN.`,
  look: [
    "mitm-lab run downgrade-inside-tls            the attack",
    "mitm-lab run downgrade-protection            what the lab shows about the defences",
    "mitm-lab help                                the alice.* settings (look for remembered and downgrade)",
  ],
  hints: [
    "Run downgrade-inside-tls and read what alice chose, and from which list. Did she know the list was not the server's?",
    "XEP-0474 (alice.downgradeProtection) checks a hash of the offer - inside SCRAM. With SCRAM stripped there is no SCRAM to carry it (its §3). What does alice know that mallory cannot edit?",
    "What lab.example offered on her earlier logins: alice.rememberedMechanisms=SCRAM-SHA-256-PLUS,SCRAM-SHA-1-PLUS,SCRAM-SHA-256,SCRAM-SHA-1,PLAIN makes her refuse anything weaker (mechanism pinning; XEP-0474 §6: once SCRAM, never PLAIN).",
  ],
  scenarios: ["downgrade-inside-tls", "downgrade-protection", "channel-binding"],
  base: "downgrade-inside-tls",
  may: ["alice."],
  attackers: [
    { name: "relays with the stolen key", set: ["mallory.tactics=intercept-tls,loot,tamper"] },
    { name: "strips every SCRAM mechanism inside her TLS", set: ["mallory.tactics=intercept-tls,strip-mechanisms,loot,tamper"] },
    { name: "strips only the -PLUS mechanisms inside her TLS", set: ["mallory.tactics=intercept-tls,strip-plus,loot,tamper"] },
  ],
  honest: [{ name: "an honest network", set: ["mallory.tactics=observe", "mallory.identity=none"] }],
  protect: "everything",
  solution: ["alice.rememberedMechanisms=SCRAM-SHA-256-PLUS,SCRAM-SHA-1-PLUS,SCRAM-SHA-256,SCRAM-SHA-1,PLAIN"],
  wrong: [
    { set: [], why: "channel binding alone: with SCRAM removed from the offer, alice sends PLAIN inside mallory's TLS" },
    { set: ["alice.downgradeProtection=true"], why: "XEP-0474 alone: its hash travels inside SCRAM, and with SCRAM stripped alice sends PLAIN (XEP-0474 §3)" },
    { set: ["alice.mechanisms=PLAIN"], why: "PLAIN only: the password goes to whoever terminates alice's TLS" },
  ],
  lesson: "A defence the attacker can switch off is no defence: channel binding holds only if alice refuses to do without it. Stripping -PLUS alone is caught by RFC 5802's 'y' flag (and XEP-0474's hash); stripping SCRAM altogether is caught only by a client that remembers what the server offered before and refuses less (mechanism pinning, XEP-0474 §6) - or one that never accepts PLAIN at all.",
  teaching: `The wrong answer everyone tries first is "nothing": channel binding is on, so surely it holds. The second is XEP-0474 alone, which is the point of its §3: the hash of the offer is carried inside SCRAM, so a downgrade to PLAIN leaves nothing to check. The reference answer is mechanism pinning with what lab.example offered before (as go-sendxmpp does); taking PLAIN out of alice.mechanisms is accepted too. Follow-up: why does stripping only -PLUS fail for mallory? The 'y' gs2 flag is inside the proof (RFC 5802 §6).`,
} satisfies DefendExercise;
