import crypto from "node:crypto";

/**
 * SCRAM, RFC 5802 (SHA-1) and RFC 7677 (SHA-256), with the -PLUS channel-binding variants
 * (RFC 5802 §6). Pure functions and two small state machines, no I/O.
 */

export type ScramMechanism = "SCRAM-SHA-1" | "SCRAM-SHA-1-PLUS" | "SCRAM-SHA-256" | "SCRAM-SHA-256-PLUS";

export function scramHash(mech: string): "sha1" | "sha256" {
  return mech.startsWith("SCRAM-SHA-256") ? "sha256" : "sha1";
}

export function isPlus(mech: string): boolean {
  return mech.endsWith("-PLUS");
}

const hmac = (h: string, key: Buffer, data: string | Buffer) => crypto.createHmac(h, key).update(data).digest();
const H = (h: string, data: Buffer) => crypto.createHash(h).update(data).digest();
const xor = (a: Buffer, b: Buffer) => Buffer.from(a.map((v, i) => v ^ b[i]));

/** The server's stored form of a password (RFC 5802 §3): never the password itself. */
export interface ScramCredentials {
  salt: Buffer;
  iterations: number;
  storedKey: Buffer;
  serverKey: Buffer;
}

/** Hi() is PBKDF2 with the mechanism's HMAC (RFC 5802 §2.2). SASLprep is approximated by NFKC. */
export function saltedPassword(password: string, salt: Buffer, iterations: number, h: "sha1" | "sha256"): Buffer {
  const len = h === "sha1" ? 20 : 32;
  return crypto.pbkdf2Sync(password.normalize("NFKC"), salt, iterations, len, h);
}

/** Hi() on libuv's thread pool: a large iteration count must not stall the event loop. */
export function saltedPasswordAsync(password: string, salt: Buffer, iterations: number, h: "sha1" | "sha256"): Promise<Buffer> {
  const len = h === "sha1" ? 20 : 32;
  return new Promise((resolve, reject) =>
    crypto.pbkdf2(password.normalize("NFKC"), salt, iterations, len, h, (err, key) => (err ? reject(err) : resolve(key))),
  );
}

/**
 * The iteration counts a client accepts. RFC 7677 §4 and RFC 5802 §9: at least 4096; fewer
 * would let an on-path attacker make the proof cheap to guess offline. The ceiling bounds the
 * work a server (or mallory) can ask for: 10^8 is tens of seconds of CPU.
 */
export const DEFAULT_ITERATION_BOUNDS = { min: 4096, max: 1_000_000 };

/** server-first asked for an iteration count outside the client's bounds. */
export class ScramIterationsError extends Error {
  constructor(readonly iterations: number, readonly bounds: { min: number; max: number }) {
    super(`server-first asks for ${iterations} iterations, outside ${bounds.min}-${bounds.max}`);
  }
}

export function deriveCredentials(password: string, salt: Buffer, iterations: number, h: "sha1" | "sha256"): ScramCredentials {
  const sp = saltedPassword(password, salt, iterations, h);
  return {
    salt,
    iterations,
    storedKey: H(h, hmac(h, sp, "Client Key")),
    serverKey: hmac(h, sp, "Server Key"),
  };
}

/** saslname escaping, RFC 5802 §5.1: "," as =2C and "=" as =3D. */
export const escapeName = (n: string) => n.replace(/=/g, "=3D").replace(/,/g, "=2C");
export const unescapeName = (n: string) => n.replace(/=2C/g, ",").replace(/=3D/g, "=");

export function parseAttributes(msg: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of msg.split(",")) {
    const i = part.indexOf("=");
    if (i === 1) out.set(part[0], part.slice(2));
  }
  return out;
}

export function newNonce(): string {
  return crypto.randomBytes(18).toString("base64");
}

export interface ScramClientOptions {
  /** Channel binding to use (-PLUS), with its data from this TLS session. */
  binding?: { type: string; data: Buffer };
  /** The client supports channel binding but the server did not offer -PLUS: send "y" (§6). */
  bindingSupported?: boolean;
  nonce?: string;
  /** Iteration counts accepted in server-first (DEFAULT_ITERATION_BOUNDS). */
  iterations?: { min: number; max: number };
}

/** The client side of one SCRAM exchange. */
export class ScramClient {
  readonly gs2Header: string;
  readonly clientFirstBare: string;
  private readonly h: "sha1" | "sha256";
  private serverSignature: Buffer | null = null;
  readonly nonce: string;

  constructor(
    readonly mechanism: string,
    readonly username: string,
    private readonly password: string,
    private readonly opts: ScramClientOptions = {},
  ) {
    this.h = scramHash(mechanism);
    this.nonce = opts.nonce ?? newNonce();
    // gs2-header, RFC 5802 §7: "p=<type>" when binding, "y" when supported but not offered, else "n".
    const flag = isPlus(mechanism) ? `p=${opts.binding!.type}` : opts.bindingSupported ? "y" : "n";
    this.gs2Header = `${flag},,`;
    this.clientFirstBare = `n=${escapeName(username)},r=${this.nonce}`;
  }

  clientFirst(): string {
    return this.gs2Header + this.clientFirstBare;
  }

  /**
   * Answer server-first with client-final; throws on a server nonce that does not extend ours,
   * a malformed salt or count, or a count outside the bounds (ScramIterationsError). PBKDF2 runs
   * off the event loop.
   */
  async clientFinal(serverFirst: string): Promise<string> {
    const a = parseAttributes(serverFirst);
    if (a.has("m")) throw new Error("server-first has a mandatory extension we do not support");
    const r = a.get("r") ?? "";
    const s = a.get("s");
    const iText = a.get("i") ?? "";
    if (!r.startsWith(this.nonce) || r === this.nonce) throw new Error("server nonce does not extend the client nonce");
    // RFC 5802 §7: iteration-count = posit-number, decimal digits without a leading zero
    // (Number() would also take "0x1000", "+4096" and "4e3").
    if (!s || !/^[A-Za-z0-9+/]+={0,2}$/.test(s) || !/^[1-9][0-9]{0,15}$/.test(iText)) throw new Error("server-first lacks a valid salt or iteration count");
    const i = Number(iText);
    const bounds = this.opts.iterations ?? DEFAULT_ITERATION_BOUNDS;
    if (i < bounds.min || i > bounds.max) throw new ScramIterationsError(i, bounds);
    const cbind = Buffer.concat([Buffer.from(this.gs2Header), isPlus(this.mechanism) ? this.opts.binding!.data : Buffer.alloc(0)]);
    const withoutProof = `c=${cbind.toString("base64")},r=${r}`;
    const authMessage = `${this.clientFirstBare},${serverFirst},${withoutProof}`;
    const sp = await saltedPasswordAsync(this.password, Buffer.from(s, "base64"), i, this.h);
    const clientKey = hmac(this.h, sp, "Client Key");
    const storedKey = H(this.h, clientKey);
    const proof = xor(clientKey, hmac(this.h, storedKey, authMessage));
    this.serverSignature = hmac(this.h, hmac(this.h, sp, "Server Key"), authMessage);
    return `${withoutProof},p=${proof.toString("base64")}`;
  }

  /** RFC 5802 §5: the client MUST verify v= before it trusts the server. */
  verifyServerFinal(serverFinal: string): boolean {
    const v = parseAttributes(serverFinal).get("v");
    if (!v || !this.serverSignature) return false;
    const got = Buffer.from(v, "base64");
    return got.length === this.serverSignature.length && crypto.timingSafeEqual(got, this.serverSignature);
  }
}

export interface ScramServerOptions {
  lookup(username: string): ScramCredentials | undefined;
  /** Channel-binding data of this TLS session per type, when the stream is TLS. */
  bindings?: Record<string, Buffer | null>;
  /** Did we advertise any -PLUS mechanism? A client's "y" then means a downgrade (§6). */
  plusAdvertised: boolean;
  nonce?: string;
  /** Optional attributes appended to server-first (RFC 5802 §5.1 extensions), e.g. XEP-0474's h=. */
  extensions?: Record<string, string>;
}

export type ScramServerResult =
  | { ok: true; username: string; serverFinal: string }
  | {
      ok: false;
      username: string | null;
      reason: string;
      code: ScramFailure;
      condition: "not-authorized" | "malformed-request";
      /** RFC 5802 §7 server-error-value the client may be told (never one that reveals an account). */
      error?: "unsupported-channel-binding-type";
    };

/** Why the server side of SCRAM failed, as a stable code (the lab's AuthFailure values). */
export type ScramFailure =
  | "malformed-request"
  | "channel-binding-flag-mismatch"
  | "plus-stripped"
  | "nonce-mismatch"
  | "channel-binding-unavailable"
  | "channel-binding-mismatch"
  | "unknown-user"
  | "wrong-password";

/** The server side of one SCRAM exchange. */
export class ScramServer {
  private readonly h: "sha1" | "sha256";
  private clientFirstBare = "";
  private gs2Header = "";
  private serverFirst = "";
  private nonce = "";
  private creds: ScramCredentials | undefined;
  username: string | null = null;

  constructor(readonly mechanism: string, private readonly opts: ScramServerOptions) {
    this.h = scramHash(mechanism);
  }

  /** Returns server-first, or a failure. */
  first(clientFirst: string): { ok: true; serverFirst: string } | Extract<ScramServerResult, { ok: false }> {
    const m = /^((?:[ny]|p=[A-Za-z0-9.-]+),(?:a=[^,]*)?,)(.*)$/.exec(clientFirst);
    if (!m) return { ok: false, username: null, reason: "malformed client-first", code: "malformed-request", condition: "malformed-request" };
    this.gs2Header = m[1];
    this.clientFirstBare = m[2];
    const flag = this.gs2Header[0];
    const a = parseAttributes(this.clientFirstBare);
    const user = a.get("n");
    const cnonce = a.get("r");
    if (!user || !cnonce) return { ok: false, username: null, reason: "client-first lacks n= or r=", code: "malformed-request", condition: "malformed-request" };
    // Read before the flag checks, so a refusal names whose login it refused.
    this.username = unescapeName(user);
    if (isPlus(this.mechanism) !== (flag === "p")) {
      return { ok: false, username: this.username, reason: "channel-binding flag does not fit the mechanism", code: "channel-binding-flag-mismatch", condition: "not-authorized" };
    }
    // RFC 5802 §6: "y" while we did advertise -PLUS means someone removed it on the way.
    if (flag === "y" && this.opts.plusAdvertised) {
      return { ok: false, username: this.username, reason: "client saw no -PLUS mechanism although it was offered: downgrade", code: "plus-stripped", condition: "not-authorized" };
    }
    // RFC 5802 §7 "unsupported-channel-binding-type": refuse it now, before any proof is made,
    // so the client can tell a type we lack from a binding that does not match.
    if (flag === "p") {
      const type = this.gs2Header.slice(2, this.gs2Header.indexOf(","));
      if (!this.opts.bindings?.[type]) {
        return { ok: false, username: this.username, reason: `channel binding ${type} is not available on this stream`, code: "channel-binding-unavailable", condition: "not-authorized", error: "unsupported-channel-binding-type" };
      }
    }
    this.creds = this.opts.lookup(this.username);
    // Unknown users get a made-up salt so the exchange does not reveal which accounts exist.
    const salt = this.creds?.salt ?? crypto.createHash("sha256").update("lab-fake-salt:" + this.username).digest().subarray(0, 16);
    const iterations = this.creds?.iterations ?? 4096;
    this.nonce = cnonce + (this.opts.nonce ?? newNonce());
    this.serverFirst = `r=${this.nonce},s=${salt.toString("base64")},i=${iterations}`;
    for (const [k, v] of Object.entries(this.opts.extensions ?? {})) this.serverFirst += `,${k}=${v}`;
    return { ok: true, serverFirst: this.serverFirst };
  }

  final(clientFinal: string): ScramServerResult {
    const username = this.username;
    const a = parseAttributes(clientFinal);
    const c = a.get("c");
    const r = a.get("r");
    const p = a.get("p");
    if (!c || !r || !p) return { ok: false, username, reason: "client-final lacks c=, r= or p=", code: "malformed-request", condition: "malformed-request" };
    if (r !== this.nonce) return { ok: false, username, reason: "nonce mismatch", code: "nonce-mismatch", condition: "not-authorized" };
    let expectedCbind = Buffer.from(this.gs2Header);
    if (this.gs2Header.startsWith("p=")) {
      const type = this.gs2Header.slice(2, this.gs2Header.indexOf(","));
      const data = this.opts.bindings?.[type];
      if (!data) return { ok: false, username, reason: `channel binding ${type} is not available on this stream`, code: "channel-binding-unavailable", condition: "not-authorized" };
      expectedCbind = Buffer.concat([expectedCbind, data]);
    }
    if (!Buffer.from(c, "base64").equals(expectedCbind)) {
      // The client bound its proof to a different TLS session: someone is in the middle.
      return { ok: false, username, reason: "channel-binding data does not match this TLS session", code: "channel-binding-mismatch", condition: "not-authorized" };
    }
    if (!this.creds) return { ok: false, username, reason: "unknown user", code: "unknown-user", condition: "not-authorized" };
    const withoutProof = clientFinal.slice(0, clientFinal.lastIndexOf(",p="));
    const authMessage = `${this.clientFirstBare},${this.serverFirst},${withoutProof}`;
    const signature = hmac(this.h, this.creds.storedKey, authMessage);
    const clientKey = xor(Buffer.from(p, "base64"), signature);
    if (clientKey.length !== signature.length || !H(this.h, clientKey).equals(this.creds.storedKey)) {
      return { ok: false, username, reason: "wrong password", code: "wrong-password", condition: "not-authorized" };
    }
    const serverSignature = hmac(this.h, this.creds.serverKey, authMessage);
    return { ok: true, username: username!, serverFinal: `v=${serverSignature.toString("base64")}` };
  }
}
