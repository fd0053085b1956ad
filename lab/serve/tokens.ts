import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import fs from "node:fs";
import { UsageError } from "../core/errors.js";

/** One student's key to the lab: who they are (for their own state dir and the instructor) and the token. */
export interface Student {
  name: string;
  token: string;
}

/**
 * The tokens a server accepts. Each is compared in constant time: both sides are hashed first so
 * timingSafeEqual sees equal lengths, and every entry is compared, so neither the position of a
 * match nor the length of a token leaks through response time.
 */
export class TokenBook {
  private readonly entries: { name: string; digest: Buffer }[];
  constructor(students: Student[]) {
    this.entries = students.map((s) => ({ name: s.name, digest: digest(s.token) }));
  }
  get required(): boolean {
    return this.entries.length > 0;
  }
  /** The student a token belongs to, or null. With no tokens configured, everyone is "student". */
  check(token: string | undefined | null): string | null {
    if (!this.required) return "student";
    const d = digest(token ?? "");
    let found: string | null = null;
    for (const e of this.entries) if (timingSafeEqual(e.digest, d) && found === null) found = e.name;
    return found;
  }
}

const digest = (s: string) => createHash("sha256").update(s).digest();

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/;

/** `--token T` (repeatable, named student-1, student-2, ...) or `--token name:T`. */
export function parseTokenFlag(value: string, index: number): Student {
  const colon = value.indexOf(":");
  const name = colon > 0 ? value.slice(0, colon) : `student-${index + 1}`;
  const token = colon > 0 ? value.slice(colon + 1) : value;
  if (!NAME.test(name)) throw new UsageError(`student name "${name}" must be letters, digits, . _ - (at most 63)`);
  if (token.length < 8) throw new UsageError(`the token for ${name} is shorter than 8 characters; mitm-lab serve --tokens-out FILE makes good ones`);
  return { name, token };
}

/** A tokens file: one `name:token` per line; blank lines and # comments ignored. */
export function readTokensFile(file: string): Student[] {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (err) {
    throw new UsageError(`cannot read --tokens ${file}: ${(err as NodeJS.ErrnoException).code ?? err}`);
  }
  const lines = text.split(/\r?\n/).map((l) => l.trim()).filter((l) => l && !l.startsWith("#"));
  const students = lines.map((l, i) => {
    if (!l.includes(":")) throw new UsageError(`${file} line ${i + 1}: expected name:token`);
    return parseTokenFlag(l, i);
  });
  const names = new Set<string>();
  for (const s of students) {
    if (names.has(s.name)) throw new UsageError(`${file}: student "${s.name}" appears twice`);
    names.add(s.name);
  }
  return students;
}

/** MITM_LAB_TOKENS: `name:token` entries separated by commas or newlines. */
export function tokensFromEnv(value: string | undefined): Student[] {
  if (!value) return [];
  return value.split(/[,\n]/).map((e) => e.trim()).filter(Boolean).map((e, i) => {
    if (!e.includes(":")) throw new UsageError("MITM_LAB_TOKENS wants name:token entries, separated by commas");
    return parseTokenFlag(e, i);
  });
}

/** Fresh tokens for a class: 128 bits each, URL-safe, so they fit on a printed card or a link. */
export function makeStudents(count: number, prefix = "student"): Student[] {
  return Array.from({ length: count }, (_, i) => ({
    name: `${prefix}-${String(i + 1).padStart(2, "0")}`,
    token: randomBytes(16).toString("base64url"),
  }));
}
