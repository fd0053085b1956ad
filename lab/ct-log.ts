import { X509Certificate } from "node:crypto";
import type { CtEntry } from "./core/event-facts.js";
import { type Identity, spkiPin } from "./core/tls.js";

export type { CtEntry };

/**
 * The lab's Certificate Transparency log: every certificate the publicly trusted lab CAs issued
 * (the lab CA and the public CA), in order of issuance. The rogue CA (a corporate root, trusted
 * by mistake) and self-signed certificates are not logged, as in the real world. A monitor
 * watching lab.example sees the server's own certificate and, in the jabber.ru case, a second one
 * with a key the server never had.
 */
export function certificateLog(pki: { server: Identity; otherDomain: Identity; publicIssued: Identity }): CtEntry[] {
  return [pki.server, pki.otherDomain, pki.publicIssued].map((id, index) => {
    const x = new X509Certificate(id.cert);
    return {
      index,
      issuer: cnOf(x.issuer),
      subject: cnOf(x.subject),
      dnsNames: (x.subjectAltName ?? "").split(", ").filter((n) => n.startsWith("DNS:")).map((n) => n.slice(4)),
      serial: x.serialNumber,
      notBefore: new Date(x.validFrom).toISOString(),
      notAfter: new Date(x.validTo).toISOString(),
      pin: spkiPin(x),
      sha256: x.fingerprint256,
    };
  });
}

/** What a CT monitor watching one domain reads: the logged certificates that name it (RFC 9162 §8.2). */
export function monitorEntries(log: readonly CtEntry[], domain: string): CtEntry[] {
  return log.filter((e) => e.dnsNames.includes(domain) || e.subject === domain);
}

const cnOf = (dn: string) => /(?:^|\n)CN=([^\n]+)/.exec(dn)?.[1] ?? dn;
