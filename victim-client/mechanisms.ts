import { isPlus } from "../lab/core/sasl/scram.js";
import type { LabError } from "../lab/core/errors.js";
import { refuse } from "./refusals.js";

export const DEFAULT_PREFERENCE = ["SCRAM-SHA-256-PLUS", "SCRAM-SHA-1-PLUS", "SCRAM-SHA-256", "SCRAM-SHA-1", "PLAIN"];

export interface MechanismPolicy {
  preference?: string[];
  allowPlainWithoutTls?: boolean;
}

/**
 * Which SASL mechanism alice uses, or why none. RFC 6120 §6.3.3: in her own order of
 * preference, only from what was offered; §13.8.3: never PLAIN without TLS unless told;
 * -PLUS only when this stream has a channel binding she can compute.
 */
export function chooseMechanism(offered: string[], secure: boolean, canBind: boolean, policy: MechanismPolicy): string | LabError {
  const usable = (policy.preference ?? DEFAULT_PREFERENCE).filter((m) => {
    if (!offered.includes(m)) return false;
    if (m === "PLAIN" && !secure && !policy.allowPlainWithoutTls) return false;
    if (isPlus(m)) return canBind;
    return true;
  });
  if (usable.length) return usable[0];
  return offered.includes("PLAIN") && !secure ? refuse.plainInClear(offered) : refuse.noMechanism(offered);
}

/**
 * Mechanism pinning: the mechanisms alice would use from what the server offered before (her
 * preference; -PLUS only if she binds channels) that are missing now. Any missing one means
 * the list shrank: someone on the path removed it, or the operator changed the server, and a
 * pinning client cannot tell which (XEP-0474 §2 on pinning's limits) - so it refuses.
 */
export function missingPinned(remembered: string[], offered: string[], policy: { preference?: string[]; channelBinding: boolean }): string[] {
  const mine = policy.preference ?? DEFAULT_PREFERENCE;
  return remembered.filter((m) => mine.includes(m) && (!isPlus(m) || policy.channelBinding) && !offered.includes(m));
}
