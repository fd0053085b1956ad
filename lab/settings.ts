import { TACTICS } from "../attacker/tactics/index.js";
import type { Scenario, SettingChange, SettingValue } from "../scenarios/types.js";
import { DEFAULT_PREFERENCE } from "../victim-client/mechanisms.js";
import { UsageError } from "./core/errors.js";
import { MALLORY_IDENTITIES } from "./identities.js";

/**
 * The settings a student can change with `--set PATH=VALUE`: every field of a scenario's
 * alice, server and mallory. The schema below is typed against the Scenario type, so a field
 * added there without an entry here does not compile - the command line cannot fall behind.
 */

export type Section = "alice" | "server" | "mallory";
export type Settings = Pick<Scenario, Section>;

/** One field: its kind, the values it takes, the value it has when the scenario leaves it out. */
type Spec<V> = [NonNullable<V>] extends [boolean]
  ? { kind: "bool"; doc: string }
  : [NonNullable<V>] extends [readonly (infer E)[]]
    ? { kind: "list"; values: readonly E[]; fallback: readonly E[]; doc: string }
    : { kind: "enum"; values: readonly NonNullable<V>[]; doc: string } & (undefined extends V ? { optional: true; unset?: string } : { optional?: never });

type SectionSpec<T> = { [K in keyof T]-?: Spec<T[K]> };

/** All members of a string union, checked at compile time: `all<"a" | "b">()("a", "b")`. */
const all =
  <T extends string>() =>
  <const A extends readonly T[]>(...values: A & ([Exclude<T, A[number]>] extends [never] ? unknown : { missing: Exclude<T, A[number]> })): A =>
    values;

type A = Scenario["alice"];
type S = Scenario["server"];
type M = Scenario["mallory"];

/** What the lab server offers when a scenario says nothing (victim-server DEFAULT_MECHANISMS). */
const SERVER_DEFAULT = ["SCRAM-SHA-256-PLUS", "SCRAM-SHA-1-PLUS", "SCRAM-SHA-256", "SCRAM-SHA-1", "PLAIN"];
const MECHANISMS = ["SCRAM-SHA-256-PLUS", "SCRAM-SHA-1-PLUS", "SCRAM-SHA-256", "SCRAM-SHA-1", "PLAIN"];

export const SCHEMA: { alice: SectionSpec<A>; server: SectionSpec<S>; mallory: SectionSpec<M> } = {
  alice: {
    tls: { kind: "enum", values: all<A["tls"]>()("off", "opportunistic", "required", "direct"), doc: "how alice uses TLS" },
    verify: { kind: "enum", values: all<A["verify"]>()("none", "chain", "ca", "pin"), doc: "how alice checks the certificate (chain: not the name, CVE-2014-5075)" },
    trustsRogueCa: { kind: "bool", doc: "alice's trust store also holds the rogue CA" },
    trustsPublicCa: { kind: "bool", doc: "alice's trust store also holds the public CA (as every client trusts Let's Encrypt)" },
    fallbackToStartTls: { kind: "bool", doc: "direct TLS first, then STARTTLS on the STARTTLS port" },
    fallbackTls: { kind: "enum", values: all<NonNullable<A["fallbackTls"]>>()("opportunistic", "required"), optional: true, unset: "opportunistic", doc: "that fallback's STARTTLS: if offered, or required (as Gajim)" },
    channelBinding: { kind: "bool", doc: "alice uses SCRAM -PLUS when she can" },
    channelBindingType: { kind: "enum", values: all<NonNullable<A["channelBindingType"]>>()("tls-exporter", "tls-unique", "tls-server-end-point"), optional: true, unset: "any", doc: "the one channel-binding type alice uses (any: the server's list or the TLS version's)" },
    rememberedMechanisms: { kind: "list", values: MECHANISMS, fallback: [], doc: "mechanism pinning: what lab.example offered before (empty: no pinning)" },
    downgradeProtection: { kind: "bool", doc: "alice checks the server's XEP-0474 hash" },
    password: { kind: "enum", values: all<NonNullable<A["password"]>>()("strong", "weak"), optional: true, unset: "strong", doc: "alice's password: strong (on no wordlist) or weak (on every one)" },
    allowPlainWithoutTls: { kind: "bool", doc: "alice would send PLAIN without TLS" },
    mechanisms: { kind: "list", values: MECHANISMS, fallback: DEFAULT_PREFERENCE, doc: "alice's mechanisms, in her order of preference" },
  },
  server: {
    tls: { kind: "enum", values: all<S["tls"]>()("none", "starttls", "starttls-required", "direct"), doc: "the server's TLS" },
    directTls: { kind: "bool", doc: "a direct-TLS port next to the STARTTLS one" },
    mechanisms: { kind: "list", values: MECHANISMS, fallback: SERVER_DEFAULT, doc: "what the server offers, in its order" },
    allowPlainCleartext: { kind: "bool", doc: "the server offers PLAIN before TLS" },
    tlsMaxVersion: { kind: "enum", values: all<NonNullable<S["tlsMaxVersion"]>>()("TLSv1.2", "TLSv1.3"), optional: true, unset: "TLSv1.3", doc: "the highest TLS version the server speaks" },
    downgradeProtection: { kind: "bool", doc: "the server puts XEP-0474's hash in SCRAM's server-first" },
    starttlsBufferingBug: { kind: "bool", doc: "the server processes bytes pipelined behind <starttls/> as TLS (CVE-2011-0411 class)" },
  },
  mallory: {
    tactics: { kind: "list", values: TACTICS, fallback: [], doc: "mallory's tactics (applied in the registry's order)" },
    identity: { kind: "enum", values: all<NonNullable<M["identity"]>>()(...MALLORY_IDENTITIES), optional: true, doc: "the certificate mallory answers TLS with" },
    blockDirectTls: { kind: "bool", doc: "make the direct-TLS port unreachable" },
  },
};

type AnySpec = { kind: "bool" | "list" | "enum"; values?: readonly string[]; fallback?: readonly string[]; optional?: boolean; unset?: string; doc: string };

/** The word for an optional enum left out: "none", or what leaving it out means ("any", "strong"). */
const unsetWord = (spec: AnySpec) => spec.unset ?? "none";

/** Every path, in schema order: alice.tls, alice.verify, ... */
export const SETTING_PATHS: string[] = (Object.keys(SCHEMA) as Section[]).flatMap((sec) => Object.keys(SCHEMA[sec]).map((k) => `${sec}.${k}`));

function specOf(path: string): { section: Section; key: string; spec: AnySpec } | null {
  const [section, key, ...rest] = path.split(".");
  if (rest.length || !(section in SCHEMA)) return null;
  const spec = (SCHEMA[section as Section] as Record<string, AnySpec>)[key];
  return spec ? { section: section as Section, key, spec } : null;
}

export type { SettingChange, SettingValue };

/** A setting's value as the run uses it: a left-out field is its default. */
export function valueOf(s: Settings, path: string): SettingValue {
  const { section, key, spec } = specOf(path)!;
  const v = (s[section] as Record<string, unknown>)[key];
  if (spec.kind === "bool") return v === true;
  if (spec.kind === "list") return [...((v as string[] | undefined) ?? spec.fallback ?? [])];
  return (v as string | undefined) ?? unsetWord(spec);
}

/** Every setting's value as used: what `--json` records under `settings`. */
export function effectiveSettings(s: Settings): Record<string, SettingValue> {
  return Object.fromEntries(SETTING_PATHS.map((p) => [p, valueOf(s, p)]));
}

import { formatValue } from "./settings-format.js";

export { formatValue };

function parseValue(path: string, spec: AnySpec, text: string): SettingValue {
  if (spec.kind === "bool") {
    if (text !== "true" && text !== "false") throw new UsageError(`${path} is true or false, not "${text}"`);
    return text === "true";
  }
  if (spec.kind === "list") {
    const items = text.split(",").map((x) => x.trim()).filter(Boolean);
    for (const x of items) {
      if (!spec.values!.includes(x)) throw new UsageError(`${path}: unknown "${x}"; choose from ${spec.values!.join(", ")} (comma-separated)`);
    }
    return items;
  }
  const choices = spec.optional ? [...new Set([...spec.values!, unsetWord(spec)])] : spec.values!;
  if (!choices.includes(text)) throw new UsageError(`${path} must be one of ${choices.join(", ")}, not "${text}"`);
  return text;
}

/**
 * The scenario with `--set PATH=VALUE` applied, and what changed. Unknown paths and values,
 * and settings that cannot run together, are usage errors (exit 2) naming the valid ones.
 */
export function applySettings(base: Scenario, sets: readonly string[]): Scenario {
  if (!sets.length) return base;
  const s: Scenario = structuredClone({ ...base, variant: undefined });
  for (const set of sets) {
    const eq = set.indexOf("=");
    if (eq < 1) throw new UsageError(`--set wants PATH=VALUE, for example --set alice.tls=required; got "${set}"`);
    const path = set.slice(0, eq).trim();
    const found = specOf(path);
    if (!found) throw new UsageError(`unknown setting "${path}"; settings: ${SETTING_PATHS.join(", ")}`);
    const v = parseValue(path, found.spec, set.slice(eq + 1).trim());
    const sec = s[found.section] as Record<string, unknown>;
    if (v === unsetWord(found.spec) && found.spec.optional) delete sec[found.key];
    else sec[found.key] = v;
  }
  check(s);
  const changed = SETTING_PATHS.flatMap((path): SettingChange[] => {
    const [was, now] = [valueOf(base, path), valueOf(s, path)];
    return formatValue(was) === formatValue(now) ? [] : [{ path, scenario: was, used: now }];
  });
  // The header's "mallory: ..." must hold for the settings used, not the scenario's own.
  const capabilityPaths = ["mallory.identity", "alice.trustsRogueCa", "alice.trustsPublicCa"];
  const capability = changed.some((c) => capabilityPaths.includes(c.path)) ? capabilityOf(s) : s.capability;
  return { ...s, capability, variant: { base, changed } };
}

/** What mallory's certificate makes her, for these settings (the header's "mallory: ..."). */
export function capabilityOf(s: Scenario): Scenario["capability"] {
  switch (s.mallory.identity) {
    case undefined:
      return "on-path only";
    case "stolen":
      return "holds the server's private key";
    case "other-domain":
      return "holds a valid certificate for her own name";
    case "rogue":
      return s.alice.trustsRogueCa ? "holds a certificate from a CA alice trusts" : "on-path, with her own certificate";
    case "public-ca":
      return s.alice.trustsPublicCa ? "holds a certificate from a CA alice trusts" : "on-path, with her own certificate";
    case "self-signed":
      return "on-path, with her own certificate";
  }
}

/** Combinations the nodes cannot start with: said before anything runs. */
function check(s: Scenario): void {
  if (s.mallory.tactics.includes("intercept-tls") && !s.mallory.identity) {
    throw new UsageError(`mallory.tactics has intercept-tls, which needs mallory.identity (one of ${MALLORY_IDENTITIES.join(", ")})`);
  }
}

/** The settings that differ from the scenario as shipped (none for the scenario itself). */
export function settingsChanged(s: Scenario): SettingChange[] {
  return s.variant?.changed ?? [];
}

/** For help and docs: each path with its values. */
export function settingsHelp(): string[] {
  return SETTING_PATHS.map((path) => {
    const { spec } = specOf(path)!;
    const values = spec.kind === "bool" ? "true|false" : spec.kind === "list" ? `${spec.values!.join(",")} (a list)` : [...new Set([...spec.values!, ...(spec.optional ? [unsetWord(spec)] : [])])].join("|");
    return `${path}=${values}  ${spec.doc}`;
  });
}
