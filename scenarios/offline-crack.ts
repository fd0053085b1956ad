import type { ScenarioFile } from "./types.js";

export default {
  id: "offline-crack",
  act: 4,
  title: "SCRAM in the clear, cracked offline",
  lesson: "SCRAM never sends the password, but a recorded exchange is all an offline dictionary attack needs: a weak password falls in a fraction of a second, a strong one does not.",
  reference: "RFC 5802 §9 (an observed exchange permits an offline dictionary attack); RFC 7677 §4 (iteration count); slixmpp 1.8 allows SCRAM unencrypted by default.",
  capability: "on-path only",
  server: { tls: "starttls" },
  alice: { tls: "opportunistic", verify: "ca", password: "weak" },
  mallory: { tactics: ["strip-starttls", "loot", "crack"] },
  expected: "attack-succeeds",
  narration: [
    {
      when: [{ fact: "edit", op: "removed-starttls" }, { fact: "decision", decision: "mechanism", chosen: "SCRAM-", secure: false, notOffered: "PLAIN" }],
      say: "mallory deleted <starttls/>; the server offers no PLAIN without TLS (RFC 6120 §13.8.3), so alice logs in with SCRAM, in cleartext.",
    },
    { when: [{ fact: "loot", type: "scram" }, { fact: "scram-exposed", how: "cleartext" }], say: "SCRAM sent no password: mallory recorded the salt, the iteration count, both nonces and alice's proof." },
    { when: [{ fact: "move", move: "offline-guess" }], say: "Offline, each guess costs one PBKDF2 of the iteration count - no server to ask, nothing to rate-limit her." },
    { when: [{ fact: "loot", type: "credential" }, { fact: "scram-exposed", cracked: true }], say: "The recovered password is alice's real one: a password on a common list is as good as sent in the clear." },
  ],
} satisfies ScenarioFile;
