import { UsageError } from "../core/errors.js";

export type FlagKind = "string" | "bool" | "list";

export interface Parsed {
  positional: string[];
  flags: Record<string, string | boolean | string[] | undefined>;
}

/**
 * A small strict flag parser: `--name value`, `--name=value`, repeatable list flags, boolean
 * switches. An unknown flag or a missing value is a UsageError (exit 2, one line).
 */
export function parseArgs(argv: string[], spec: Record<string, FlagKind>, command: string): Parsed {
  const out: Parsed = { positional: [], flags: {} };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (!arg.startsWith("--")) {
      out.positional.push(arg);
      continue;
    }
    const eq = arg.indexOf("=");
    const name = arg.slice(2, eq < 0 ? undefined : eq);
    const kind = spec[name];
    if (!kind) throw new UsageError(`unknown flag --${name} for "mitm-lab ${command}"; see mitm-lab help`);
    if (kind === "bool") {
      if (eq >= 0) throw new UsageError(`--${name} takes no value`);
      out.flags[name] = true;
      continue;
    }
    const value = eq >= 0 ? arg.slice(eq + 1) : argv[++i];
    if (value === undefined || (eq < 0 && value.startsWith("--"))) throw new UsageError(`--${name} needs a value; see mitm-lab help`);
    if (kind === "list") out.flags[name] = [...((out.flags[name] as string[]) ?? []), value];
    else out.flags[name] = value;
  }
  return out;
}

export function str(p: Parsed, name: string): string | undefined {
  return p.flags[name] as string | undefined;
}

export function required(p: Parsed, name: string, example: string): string {
  const v = str(p, name);
  if (!v) throw new UsageError(`--${name} is required, for example --${name} ${example}`);
  return v;
}

export function oneOf<T extends string>(p: Parsed, name: string, choices: readonly T[], fallback?: T): T {
  const v = str(p, name) ?? fallback;
  if (!v || !choices.includes(v as T)) throw new UsageError(`--${name} must be one of ${choices.join(", ")}${v ? `, not "${v}"` : ""}`);
  return v as T;
}

/**
 * A whole number in [min, max] (no sign, exponent or fraction: "1e12" and "-5" are refused,
 * not turned into 1 ms by setTimeout), or the fallback when the flag is absent.
 */
export function wholeNumber(p: Parsed, name: string, fallback: number, range: { min: number; max: number; what: string }): number {
  const v = str(p, name);
  if (v === undefined) return fallback;
  const n = /^[0-9]{1,16}$/.test(v) ? Number(v) : NaN;
  if (!(n >= range.min && n <= range.max)) throw new UsageError(`--${name} wants ${range.what}, a whole number from ${range.min} to ${range.max}, got "${v}"`);
  return n;
}

/** Milliseconds, up to a day (setTimeout's limit is 24.8 days; a longer value fires at once). */
export function milliseconds(p: Parsed, name: string, fallback: number): number {
  return wholeNumber(p, name, fallback, { min: 1, max: 86_400_000, what: "milliseconds" });
}
