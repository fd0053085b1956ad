import crypto from "node:crypto";
import { deriveCredentials, type ScramCredentials } from "../lab/core/sasl/scram.js";

/**
 * Accounts store only what SCRAM needs (RFC 5802 §3): salt, iteration count, StoredKey and
 * ServerKey, per hash. No password is kept; PLAIN logins are checked by deriving StoredKey.
 */
export interface Account {
  username: string;
  sha1: ScramCredentials;
  sha256: ScramCredentials;
}

export class Accounts {
  private readonly byName = new Map<string, Account>();

  constructor(private readonly iterations = 4096) {}

  add(username: string, password: string, salt: Buffer = crypto.randomBytes(16)): void {
    this.byName.set(username, {
      username,
      sha1: deriveCredentials(password, salt, this.iterations, "sha1"),
      sha256: deriveCredentials(password, salt, this.iterations, "sha256"),
    });
  }

  has(username: string): boolean {
    return this.byName.has(username);
  }

  scram(username: string, hash: "sha1" | "sha256"): ScramCredentials | undefined {
    return this.byName.get(username)?.[hash];
  }

  verifyPlain(username: string, password: string): boolean {
    const a = this.byName.get(username);
    if (!a) return false;
    const c = deriveCredentials(password, a.sha256.salt, a.sha256.iterations, "sha256");
    return crypto.timingSafeEqual(c.storedKey, a.sha256.storedKey);
  }
}

export function accountsFrom(users: Record<string, string>): Accounts {
  const a = new Accounts();
  for (const [u, p] of Object.entries(users)) a.add(u, p);
  return a;
}
