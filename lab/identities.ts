import type { Identity } from "./core/tls.js";
import type { LabPki } from "./pki.js";

/**
 * Which certificate mallory answers TLS with (attacker --identity, a scenario's
 * mallory.identity). Apart from pki.ts so the command line can list them without loading the
 * certificate library.
 */
export const MALLORY_IDENTITIES = ["self-signed", "rogue", "stolen", "public-ca", "other-domain"] as const;
export type MalloryIdentity = (typeof MALLORY_IDENTITIES)[number];

export function malloryIdentity(pki: LabPki, which: MalloryIdentity): Identity {
  const ids: Record<MalloryIdentity, Identity> = {
    "self-signed": pki.selfSigned,
    rogue: pki.rogue,
    stolen: pki.server, // the server's own certificate and key (Heartbleed)
    "public-ca": pki.publicIssued, // lab.example from the public CA (jabber.ru 2023)
    "other-domain": pki.otherDomain, // mallory.example from the lab CA (CVE-2014-5075)
  };
  return ids[which];
}
