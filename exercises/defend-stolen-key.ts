import type { DefendExercise } from "./types.js";

export default {
  id: "defend-stolen-key",
  kind: "defend",
  title: "Survive a stolen server key",
  task: `alice already does everything the first acts teach: TLS from the first byte, and the server's public key pinned. But mallory holds lab.example's real private key (think Heartbleed, or a key never rotated after a breach). Her certificate is the server's own, so the pin matches and alice's TLS ends at mallory.

Configure alice so that mallory, relaying with the stolen key, gets neither the password nor the message - and alice still logs in when nobody attacks.`,
  look: [
    "mitm-lab run stolen-key          the attack: every certificate check passes",
    "mitm-lab run channel-binding     what the lab shows about the defence",
    "mitm-lab help                    the alice.* settings",
  ],
  hints: [
    "No certificate check can help: the certificate mallory presents is the real one. What else differs between alice's TLS session and the server's?",
    "There are two TLS sessions now: alice–mallory and mallory–server. If alice's login proved which session it was made in, the server would notice it came from another one.",
    "SCRAM -PLUS binds the login to the TLS session (RFC 5802 §6, RFC 9266): alice.channelBinding=true.",
  ],
  scenarios: ["stolen-key", "channel-binding"],
  base: "stolen-key",
  may: ["alice."],
  attackers: [
    { name: "relays with the server's stolen key", set: ["mallory.tactics=intercept-tls,loot,tamper", "mallory.identity=stolen"] },
    { name: "relays with a certificate from a CA alice trusts by mistake", set: ["mallory.tactics=intercept-tls,loot,tamper", "mallory.identity=rogue"] },
  ],
  honest: [{ name: "an honest network", set: ["mallory.tactics=observe", "mallory.identity=none"] }],
  protect: "everything",
  solution: ["alice.channelBinding=true"],
  wrong: [
    { set: ["alice.verify=ca"], why: "the stolen certificate is lab.example's own: it verifies against the lab CA too" },
    { set: ["alice.tls=off"], why: "the server speaks TLS from the first byte: alice never logs in" },
  ],
  lesson: "With the server's key, mallory passes every certificate check; channel binding still tells two TLS sessions apart, so her relayed login fails. What it does not protect: a SCRAM exchange she recorded is still worth an offline guess, which only a strong password defeats.",
  teaching: `Students first reach for certificate settings; the point is that none can help once the key is stolen. Channel binding is the answer here, but it is only as good as what alice does when -PLUS disappears: defend-downgrade is the follow-up. tls-exporter on TLS 1.3 is what the lab uses by default (RFC 9266); with tls-server-end-point a stolen key defeats it (the channel-binding-endpoint scenario).`,
} satisfies DefendExercise;
