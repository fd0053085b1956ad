import channelBinding from "./channel-binding.js";
import directtlsFallback from "./directtls-fallback.js";
import directtlsNoVerify from "./directtls-no-verify.js";
import directtlsPinned from "./directtls-pinned.js";
import directtlsRogueCa from "./directtls-rogue-ca.js";
import directtlsTamper from "./directtls-tamper.js";
import directtlsVerified from "./directtls-verified.js";
import plaintext from "./plaintext.js";
import saslDowngrade from "./sasl-downgrade.js";
import stolenKey from "./stolen-key.js";
import starttlsNoVerify from "./starttls-no-verify.js";
import starttlsPassive from "./starttls-passive.js";
import starttlsRequiredClient from "./starttls-required-client.js";
import starttlsStrip from "./starttls-strip.js";
import starttlsStripServerRequires from "./starttls-strip-server-requires.js";
import starttlsVerified from "./starttls-verified.js";
import type { Scenario } from "./types.js";

export type { Outcome, Scenario } from "./types.js";
export { MESSAGE } from "./types.js";

/** The catalogue in its order (DESIGN §2). Adding a scenario: one file, one line here. */
export const SCENARIOS: Scenario[] = [
  plaintext, starttlsPassive, starttlsStrip, starttlsStripServerRequires, saslDowngrade, starttlsRequiredClient,
  starttlsNoVerify, starttlsVerified, directtlsNoVerify, directtlsVerified,
  directtlsRogueCa, directtlsPinned, directtlsTamper, directtlsFallback, stolenKey, channelBinding,
].sort((a, b) => a.n - b.n);

export const ACTS: Record<number, string> = {
  1: "Act I - cleartext and opportunistic STARTTLS",
  2: "Act II - TLS without authentication",
  3: "Act III - who can still break pinned TLS, and what stops them",
};

export function findScenario(id: string): Scenario | undefined {
  return SCENARIOS.find((s) => s.id === id);
}
