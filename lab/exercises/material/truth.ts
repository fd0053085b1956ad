import crypto from "node:crypto";

/**
 * The ground truth of generated material is kept as salted hashes: the progress file sits in
 * the student's home, and reading it should not be a shorter path to the answer than the
 * exercise. (A determined student can still hash every scenario id; the attempts are counted.)
 */
export function newSalt(): string {
  return crypto.randomBytes(16).toString("hex");
}

export function digest(salt: string, value: string): string {
  return crypto.createHash("sha256").update(`${salt}\0${value}`).digest("hex");
}

export function matches(salt: string, value: string, hash: string | undefined): boolean {
  if (!hash) return false;
  const a = Buffer.from(digest(salt, value), "hex");
  const b = Buffer.from(hash, "hex");
  return a.length === b.length && crypto.timingSafeEqual(a, b);
}

/** A pick that differs per student and per generation. */
export function pick<T>(xs: readonly T[]): T {
  return xs[crypto.randomInt(xs.length)];
}
