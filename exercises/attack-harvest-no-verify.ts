import type { AttackExercise } from "./types.js";

export default {
  id: "attack-harvest-no-verify",
  kind: "attack",
  title: "Harvest a password from TLS that verifies nothing",
  task: `alice requires STARTTLS - stripping it gets you nothing - but she accepts any certificate. mallory already answers her TLS with her own self-signed certificate (intercept-tls), so alice's whole stream passes through you decrypted. And yet her password does not: she logs in with SCRAM, which sends a proof, never the password.

Write a tactic that makes alice send you her password.`,
  look: [
    "mitm-lab run starttls-no-verify             the victim: mallory reads the message, but not the password",
    "mitm-lab exercise attack-harvest-no-verify --starter my-tactic.js",
    "mitm-lab run starttls-no-verify --set mallory.tactics=intercept-tls --tactic my-tactic.js",
  ],
  hints: [
    "Deleting <starttls/> does not work here: alice requires TLS. Where can you act instead?",
    "Inside your TLS (where.context === \"inside-tls\") you see the server's features as alice will: which mechanism does she pick, and from which list?",
    "Replace the mechanisms inside your TLS with PLAIN alone: alice sends PLAIN inside TLS - your TLS.",
  ],
  scenarios: ["starttls-no-verify", "starttls-required-client"],
  victim: "starttls-no-verify",
  builtins: ["intercept-tls"],
  goal: "password",
  solution: ["downgrade-inside-tls.js"],
  wrong: [{ file: "strip-starttls.js", why: "alice requires TLS: she asks for it anyway and stops" }],
  lesson: "TLS without verification is TLS with whoever answers. Once mallory terminates it, everything inside is hers to read and to edit - including which login mechanisms alice believes the server offers.",
  teaching: `A JavaScript exercise (the reference solution is .js) to show both languages work. Students who try strip-starttls first meet starttls-required-client's lesson again. Discuss: what would have stopped this? Verifying the certificate (starttls-verified), or refusing PLAIN from a server that offered SCRAM (mechanism pinning).`,
} satisfies AttackExercise;
