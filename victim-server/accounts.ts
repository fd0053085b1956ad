import crypto from "node:crypto";
import { deriveCredentials, saltedPassword, type ScramCredentials } from "../lab/core/sasl/scram.js";

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
  /** What a made-up name is checked against: the same work as a real account, never a match. */
  private readonly decoy: ScramCredentials;

  constructor(private readonly iterations = 4096) {
    this.decoy = deriveCredentials(crypto.randomBytes(24).toString("base64"), crypto.randomBytes(16), iterations, "sha256");
  }

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

  /**
   * PLAIN: derive StoredKey from the password and compare. A made-up name costs the same
   * PBKDF2 as a real one (against a decoy), so the time of a failure does not tell which
   * accounts exist (RFC 6120 §13.11, directory harvesting). Synchronous on purpose: the count
   * is the server's own (not a peer's), a few milliseconds, and answering in order keeps every
   * run of a scenario the same story.
   */
  verifyPlain(username: string, password: string): boolean {
    const a = this.byName.get(username);
    const c = a?.sha256 ?? this.decoy;
    const sp = this.derive(password, c.salt, c.iterations);
    const storedKey = crypto.createHash("sha256").update(crypto.createHmac("sha256", sp).update("Client Key").digest()).digest();
    return crypto.timingSafeEqual(storedKey, c.storedKey) && a !== undefined;
  }

  /** Hi() for PLAIN (RFC 5802 §2.2). */
  protected derive(password: string, salt: Buffer, iterations: number): Buffer {
    return saltedPassword(password, salt, iterations, "sha256");
  }
}

export function accountsFrom(users: Record<string, string>): Accounts {
  const a = new Accounts();
  for (const [u, p] of Object.entries(users)) a.add(u, p);
  return a;
}
