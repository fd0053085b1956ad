import type { TacticName } from "../attacker/index.js";
import type { ChannelBindingType } from "../lab/core/tls.js";
import type { Fact } from "./facts.js";
import type { ClientTlsMode } from "../victim-client/index.js";
import type { ServerTlsMode } from "../victim-server/index.js";

export type Outcome = "attack-succeeds" | "attack-fails";

/** What mallory can do in a scenario, as the console labels it. */
export type Capability =
  | "on-path only"
  | "on-path, with her own certificate"
  | "holds a certificate from a CA alice trusts"
  | "holds a valid certificate for her own name"
  | "holds the server's private key";

export interface Scenario {
  /** Stable id: docs, tests and talks refer to it (DESIGN §2). */
  id: string;
  /** Its number: its place in the catalogue (scenarios/index.ts), never written by hand. */
  n: number;
  /** Which act it belongs to (scenarios/acts.ts). */
  act: number;
  title: string;
  /** The lesson, one sentence. */
  lesson: string;
  /** The real-world reference: RFC clause, CVE or incident. */
  reference: string;
  capability: Capability;
  server: {
    tls: ServerTlsMode;
    /** Also listen for TLS from the first byte (XEP-0368), next to STARTTLS. */
    directTls?: boolean;
    mechanisms?: string[];
    allowPlainCleartext?: boolean;
    /** The highest TLS version it speaks (TLS 1.2: no tls-exporter; tls-unique instead). */
    tlsMaxVersion?: "TLSv1.2" | "TLSv1.3";
    /** XEP-0474: h= in SCRAM's server-first, the hash of what it offered. */
    downgradeProtection?: boolean;
    /** The STARTTLS buffering bug (CVE-2011-0411 class): cleartext behind <starttls/> processed as TLS. */
    starttlsBufferingBug?: boolean;
  };
  alice: {
    tls: ClientTlsMode;
    /** none; chain (the chain, not the name: CVE-2014-5075); ca (chain and name); pin (SPKI). */
    verify: "none" | "chain" | "ca" | "pin";
    /** alice's trust store also holds the rogue CA (mis-issuance, a corporate root). */
    trustsRogueCa?: boolean;
    /** alice's trust store also holds the public CA (issues to whoever controls a name, as Let's Encrypt). */
    trustsPublicCa?: boolean;
    /** Direct TLS first, then STARTTLS on the server's STARTTLS port. */
    fallbackToStartTls?: boolean;
    /** How that fallback does STARTTLS: if offered (default), or required as Gajim does. */
    fallbackTls?: "opportunistic" | "required";
    channelBinding?: boolean;
    /** The one channel-binding type alice uses (default: the server's XEP-0440 list or the TLS version's). */
    channelBindingType?: ChannelBindingType;
    /** Mechanism pinning: alice remembers what lab.example offered before and refuses less. */
    rememberedMechanisms?: string[];
    /** XEP-0474: alice checks the server's h= against the features she saw. */
    downgradeProtection?: boolean;
    /** alice's password: strong (the default; on no wordlist) or weak (on every one). */
    password?: "strong" | "weak";
    allowPlainWithoutTls?: boolean;
    mechanisms?: string[];
  };
  mallory: {
    tactics: TacticName[];
    /** Which certificate mallory answers TLS with. */
    identity?: "self-signed" | "rogue" | "stolen" | "public-ca" | "other-domain";
    /** Make the direct-TLS port unreachable (a second attacker listener that blocks). */
    blockDirectTls?: boolean;
  };
  /** What the scenario expects; the outcome itself is judged from the trace (lab/verdict.ts). */
  expected: Outcome;
  /**
   * Lines for the narrator and the console. Each is shown only when every fact in `when` holds
   * in the run, right after the event that establishes the last of them (lab/facts.ts).
   */
  /** `show`: a view drawn under the line, worded from the run's own events (lab/story/ct.ts). */
  narration: Array<{ when: Fact[]; say: string; show?: "ct-monitor" }>;
  /** Set on a scenario run with `--set`: the scenario as shipped and what differs (lab/settings.ts). */
  variant?: { base: Scenario; changed: SettingChange[] };
}

export type SettingValue = string | boolean | string[];

/** One setting a run used that differs from the scenario's own. */
export interface SettingChange {
  /** "alice.tls", "mallory.tactics", ... */
  path: string;
  /** The scenario's own value. */
  scenario: SettingValue;
  /** The value this run used. */
  used: SettingValue;
}

/** What a scenario file holds: everything but its number, which its place in the catalogue gives. */
export type ScenarioFile = Omit<Scenario, "n">;

/** The story's message (DESIGN §1). */
export const MESSAGE = "Please wire 100 EUR to DE89 3704 0044 0532 0130 00";
