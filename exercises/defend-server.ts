import type { DefendExercise } from "./types.js";

export default {
  id: "defend-server",
  kind: "defend",
  title: "A server that protects a careless client's password",
  task: `You run lab.example. Your users' clients are old: STARTTLS if offered, and happy to send PLAIN without TLS. mallory strips <starttls/> on the path.

Configure the server (not alice: you do not control your users' clients) so that mallory never gets alice's password, even when she strips - and alice can still log in when nobody attacks. Then read what mallory still gets.`,
  look: [
    "mitm-lab run starttls-strip                     the attack",
    "mitm-lab run starttls-strip-server-requires     what requiring TLS does against sslstrip's move",
    "mitm-lab help                                   the server.* settings",
  ],
  hints: [
    "Requiring TLS on the server sounds right: run starttls-strip-server-requires and see who does the STARTTLS.",
    "The password crosses in the PLAIN <auth>. What if the server never accepted PLAIN, and offered a mechanism that does not send the password at all?",
    "server.mechanisms=SCRAM-SHA-256,SCRAM-SHA-1: SCRAM sends a proof, not the password. alice's password is strong, so the recorded exchange is worth nothing offline.",
  ],
  scenarios: ["starttls-strip", "starttls-strip-server-requires", "sasl-downgrade", "offline-crack"],
  base: "starttls-strip",
  may: ["server."],
  attackers: [
    { name: "deletes <starttls/>", set: ["mallory.tactics=strip-starttls,loot,tamper"] },
    { name: "deletes <starttls/> and every SCRAM mechanism", set: ["mallory.tactics=strip-starttls,strip-mechanisms,loot,tamper"] },
  ],
  honest: [{ name: "an honest network", set: ["mallory.tactics=observe"] }],
  protect: "password",
  solution: ["server.mechanisms=SCRAM-SHA-256,SCRAM-SHA-1"],
  wrong: [
    { set: ["server.tls=starttls-required"], why: "mallory does STARTTLS toward the server herself and keeps alice in cleartext (sslstrip's move)" },
    { set: ["server.allowPlainCleartext=false"], why: "with no mechanism before TLS, mallory does STARTTLS herself and shows alice the PLAIN offered after it" },
    { set: ["server.mechanisms="], why: "a server that offers no mechanism: nobody ever logs in" },
  ],
  lesson: "The server can keep the password off the wire (SCRAM never sends it) but it cannot make a client use TLS: mallory still reads and rewrites the message, and with a weak password the recorded SCRAM exchange falls to an offline guess (offline-crack). Only the client can insist on TLS.",
  teaching: `This is the exercise that cannot fully succeed, on purpose. Let the students solve it, then run the solution with mitm-lab run starttls-strip --set server.mechanisms=SCRAM-SHA-256,SCRAM-SHA-1 and read the verdict: the message is still rewritten. Two further points: mallory could show alice a PLAIN-only list of her own (offer-plain), and this alice would send her password to mallory anyway - the server never sees it; and a weak password turns the SCRAM exchange into a password (offline-crack).`,
} satisfies DefendExercise;
