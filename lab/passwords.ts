/**
 * alice's password, by strength: a scenario setting (`alice.password`). The strong one is the
 * lab's default: random, long, on no wordlist. The weak one is on every wordlist - the bundled
 * one too (lab/crack/wordlist.ts, guess 108) - and belongs to offline-crack, where a recorded
 * SCRAM exchange is all mallory needs to recover it (RFC 5802 §9).
 */
export const ALICE_PASSWORDS = {
  strong: "Vq7-tundra-Lisbon-ember-42",
  weak: "sunshine",
} as const;

export type PasswordStrength = keyof typeof ALICE_PASSWORDS;

/** bob is not the subject: his password never crosses mallory. */
export const BOB_PASSWORD = "hunter2 but longer";
