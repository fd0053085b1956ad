import type { AttackExercise } from "./types.js";

export default {
  id: "attack-strip-channel-binding",
  kind: "attack",
  title: "Strip the channel binding",
  task: `You are mallory, and you hold lab.example's stolen private key: alice's pinned TLS ends at you, and you relay to the server over your own TLS. But alice uses SCRAM-SHA-256-PLUS: her login is bound to her TLS session, the server sees another session, and it refuses. You get nothing.

Write a tactic that gets you alice's password. Your tactic sees every element inside your TLS; mallory already answers alice's TLS with the stolen key (intercept-tls).`,
  look: [
    "mitm-lab run channel-binding                the victim, and why mallory fails",
    "mitm-lab exercise attack-strip-channel-binding --starter my-tactic.ts",
    "mitm-lab run channel-binding --set mallory.tactics=intercept-tls --tactic my-tactic.ts",
  ],
  hints: [
    "The server's <stream:features> reach alice through you. What in them tells her she can bind her login to the TLS session?",
    "Removing the -PLUS mechanisms and <sasl-channel-binding/> is the obvious move - try it and read why the server refuses: alice's gs2 flag 'y' says she saw no -PLUS, and the server knows it offered one (RFC 5802 §6).",
    "Leave alice no SCRAM at all: remove every <mechanism> that starts with SCRAM- (and the channel-binding feature). She accepts PLAIN inside TLS - your TLS.",
  ],
  scenarios: ["channel-binding", "stolen-key"],
  victim: "channel-binding",
  builtins: ["intercept-tls"],
  goal: "password",
  solution: ["strip-all-scram.ts"],
  wrong: [
    { file: "strip-plus-only.ts", why: "alice signals with 'y' that she saw no -PLUS, and the server refuses" },
    { file: "hardcoded-password.js", why: "a PLAIN login with the lab's default password: the checker's alice has another one" },
  ],
  lesson: "Channel binding holds only while alice insists on it. An attacker inside the TLS session edits the offer; the 'y' flag catches a stripped -PLUS, but nothing catches stripping SCRAM altogether except a client that refuses PLAIN from a server that offered better before (mechanism pinning, XEP-0474).",
  teaching: `The natural first try is stripping only -PLUS; let students hit the server's refusal and read RFC 5802 §6 on the 'y' flag: the downgrade is detected because the flag is inside the proof. The lesson pairs with defend-downgrade. The checker gives alice a fresh random password for each check, so a tactic that injects the lab's default password (hardcoded-password.js) fails.`,
} satisfies AttackExercise;
