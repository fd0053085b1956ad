import channelBinding from "./channel-binding.js";
import channelBindingEndpoint from "./channel-binding-endpoint.js";
import directtlsFallback from "./directtls-fallback.js";
import directtlsFallbackRequired from "./directtls-fallback-required.js";
import directtlsNoVerify from "./directtls-no-verify.js";
import directtlsPinned from "./directtls-pinned.js";
import directtlsRogueCa from "./directtls-rogue-ca.js";
import directtlsTamper from "./directtls-tamper.js";
import directtlsVerified from "./directtls-verified.js";
import downgradeInsideTls from "./downgrade-inside-tls.js";
import downgradeProtection from "./downgrade-protection.js";
import jabberRu2023 from "./jabber-ru-2023.js";
import jabberRuChannelBinding from "./jabber-ru-channel-binding.js";
import offlineCrack from "./offline-crack.js";
import plaintext from "./plaintext.js";
import saslDowngrade from "./sasl-downgrade.js";
import starttlsInjection from "./starttls-injection.js";
import starttlsInjectionRefused from "./starttls-injection-refused.js";
import starttlsNoVerify from "./starttls-no-verify.js";
import starttlsPassive from "./starttls-passive.js";
import starttlsRequiredClient from "./starttls-required-client.js";
import starttlsStrip from "./starttls-strip.js";
import starttlsStripServerRequires from "./starttls-strip-server-requires.js";
import starttlsVerified from "./starttls-verified.js";
import stolenKey from "./stolen-key.js";
import wrongName from "./wrong-name.js";
import type { Scenario, ScenarioFile } from "./types.js";

export type { Outcome, Scenario, ScenarioFile } from "./types.js";
export { MESSAGE } from "./types.js";
export { ACT_LIST, ACT_NUMBERS, ACTS, type Act } from "./acts.js";

/**
 * The catalogue, in the order it is told (DESIGN §2): a scenario's number is its place here,
 * and each act's scenarios stand together. Adding a scenario: one file, one line here (the
 * bundle cannot glob; a test fails if a file is not listed).
 */
const CATALOGUE: readonly ScenarioFile[] = [
  // Act I
  plaintext, starttlsPassive, starttlsStrip, starttlsStripServerRequires, saslDowngrade, starttlsRequiredClient,
  // Act II
  starttlsNoVerify, starttlsVerified, directtlsNoVerify, directtlsVerified,
  // Act III
  directtlsRogueCa, directtlsPinned, directtlsTamper, directtlsFallback, stolenKey, channelBinding,
  // Act IV
  offlineCrack, starttlsInjection, starttlsInjectionRefused, wrongName, directtlsFallbackRequired,
  // Act V
  jabberRu2023, jabberRuChannelBinding, channelBindingEndpoint, downgradeInsideTls, downgradeProtection,
];

export const SCENARIOS: Scenario[] = CATALOGUE.map((s, i) => ({ ...s, n: i + 1 }));

export function findScenario(id: string): Scenario | undefined {
  return SCENARIOS.find((s) => s.id === id);
}
