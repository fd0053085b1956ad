import type { TacticName } from "../attacker/index.js";
import type { ClientTlsMode } from "../victim-client/index.js";
import type { ServerTlsMode } from "../victim-server/index.js";

export type Outcome = "attack-succeeds" | "attack-fails";

/** What mallory can do in a scenario, as the console labels it. */
export type Capability =
  | "on-path only"
  | "on-path, with her own certificate"
  | "holds a certificate from a CA alice trusts"
  | "holds the server's private key";

export interface Scenario {
  /** Stable id: docs, tests and talks refer to it (DESIGN §2). */
  id: string;
  n: number;
  act: 1 | 2 | 3;
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
  };
  alice: {
    tls: ClientTlsMode;
    verify: "none" | "ca" | "pin";
    /** alice's trust store also holds the rogue CA (mis-issuance, a corporate root). */
    trustsRogueCa?: boolean;
    /** Direct TLS first, then STARTTLS-if-offered on the server's STARTTLS port. */
    fallbackToStartTls?: boolean;
    channelBinding?: boolean;
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
  /** Lines for the narrator, each shown after the first event that matches `on` (see lab/narration.ts). */
  narration: Array<{ on: string; say: string }>;
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

/** The story's message (DESIGN §1). */
export const MESSAGE = "Please wire 100 EUR to DE89 3704 0044 0532 0130 00";
