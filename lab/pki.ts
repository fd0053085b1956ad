import "reflect-metadata"; // @peculiar/x509 (tsyringe) needs it loaded first
import { createPrivateKey, type KeyObject, webcrypto, X509Certificate } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import * as x509 from "@peculiar/x509";
import { LAB_DOMAIN } from "./core/ns.js";
import type { Identity } from "./core/tls.js";
import { certificateLog, type CtEntry } from "./ct-log.js";

x509.cryptoProvider.set(webcrypto as unknown as Crypto);

/**
 * The lab's identities, generated per run (ECDSA P-256, ~30 ms each). Every subject says it is
 * a lab identity; none is a real key.
 */
export interface LabPki {
  /** The CA alice and bob trust. */
  ca: Identity;
  /** lab.example, issued by the lab CA: the real server. */
  server: Identity;
  /** A second CA, for scenarios where alice trusts it too (mis-issuance, a corporate root). */
  rogueCa: Identity;
  /** lab.example, issued by the rogue CA: what mallory holds in those scenarios. */
  rogue: Identity;
  /** lab.example, self-signed: what a clumsy mallory holds. */
  selfSigned: Identity;
  /**
   * A publicly trusted CA that issues to whoever proves control of a name, as Let's Encrypt
   * does; it logs every certificate it issues (Certificate Transparency, RFC 9162).
   */
  publicCa: Identity;
  /**
   * lab.example, validly issued by the public CA to mallory - as Let's Encrypt issued
   * certificates for jabber.ru to the interceptor in 2023 (landscape §3).
   */
  publicIssued: Identity;
  /** mallory.example, issued by the lab CA: a valid certificate, for mallory's own name (CVE-2014-5075). */
  otherDomain: Identity;
  /** The lab CA's revocation list (PEM), empty; server.pem names it (LAB_CRL_URL). Written as ca.crl. */
  caCrl?: string;
}

/** mallory's own domain: she can get a certificate for it from any CA, legitimately. */
export const MALLORY_DOMAIN = "mallory.example";


const ALG = { name: "ECDSA", namedCurve: "P-256", hash: "SHA-256" } as const;
const ORG = "O=xmpp-mitm-lab (LAB ONLY - not a real identity)";

async function keys(): Promise<CryptoKeyPair> {
  return (await webcrypto.subtle.generateKey(ALG, true, ["sign", "verify"])) as CryptoKeyPair;
}

async function keyPem(k: CryptoKey): Promise<string> {
  const der = Buffer.from(await webcrypto.subtle.exportKey("pkcs8", k));
  return `-----BEGIN PRIVATE KEY-----\n${der.toString("base64").replace(/(.{64})/g, "$1\n").replace(/\n$/, "")}\n-----END PRIVATE KEY-----\n`;
}

function validity(): { notBefore: Date; notAfter: Date } {
  const now = Date.now();
  return { notBefore: new Date(now - 3600_000), notAfter: new Date(now + 365 * 86400_000) };
}

let serial = 1;
const nextSerial = () => (Date.now().toString(16) + (serial++).toString(16).padStart(4, "0")).replace(/^[89a-f]/, "1");

interface Made {
  cert: x509.X509Certificate;
  keys: CryptoKeyPair;
}

async function makeCa(cn: string): Promise<Made> {
  const k = await keys();
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: nextSerial(),
    name: `CN=${cn}, ${ORG}`,
    ...validity(),
    signingAlgorithm: ALG,
    keys: k,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(k.publicKey),
    ],
  });
  return { cert, keys: k };
}

function leafExtensions(domain: string) {
  return [
    new x509.BasicConstraintsExtension(false, undefined, true),
    new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
    new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
    // RFC 6120 §13.7.1.2.1: DNS-ID for the XMPP domain.
    new x509.SubjectAlternativeNameExtension([{ type: "dns", value: domain }]),
  ];
}

/**
 * Where the lab CA says its revocation list is (RFC 5280 §4.2.1.13), in the real server's
 * certificate: a well-configured server's certificate names one, and testssl.sh flags one
 * that names neither a CRL nor an OCSP responder. Nothing serves it on loopback; `mitm-lab pki`
 * writes that list, empty and signed by the lab CA, as ca.crl.
 */
export const LAB_CRL_URL = "http://lab.example/ca.crl";

async function makeLeaf(domain: string, issuer: Made, crlUrl?: string): Promise<Made> {
  const k = await keys();
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: nextSerial(),
    subject: `CN=${domain}, ${ORG}`,
    issuer: issuer.cert.subject,
    ...validity(),
    signingAlgorithm: ALG,
    publicKey: k.publicKey,
    signingKey: issuer.keys.privateKey,
    extensions: [
      ...leafExtensions(domain),
      await x509.AuthorityKeyIdentifierExtension.create(issuer.cert),
      ...(crlUrl ? [new x509.CRLDistributionPointsExtension([crlUrl])] : []),
    ],
  });
  return { cert, keys: k };
}

/** The lab CA's certificate revocation list (RFC 5280 §5): empty, valid as long as its certificates. */
async function makeCrl(ca: Made): Promise<string> {
  const { notBefore, notAfter } = validity();
  const crl = await x509.X509CrlGenerator.create({ issuer: ca.cert.subject, thisUpdate: notBefore, nextUpdate: notAfter, signingAlgorithm: ALG, signingKey: ca.keys.privateKey });
  // RFC 7468 §5: the label is "X509 CRL" (OpenSSL reads no other).
  return crl.toString("pem").replace(/-----(BEGIN|END) CRL-----/g, "-----$1 X509 CRL-----") + "\n";
}

async function makeSelfSigned(domain: string): Promise<Made> {
  const k = await keys();
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: nextSerial(),
    name: `CN=${domain}, ${ORG}`,
    ...validity(),
    signingAlgorithm: ALG,
    keys: k,
    extensions: leafExtensions(domain),
  });
  return { cert, keys: k };
}

async function identity(m: Made): Promise<Identity> {
  return { cert: m.cert.toString("pem") + "\n", key: await keyPem(m.keys.privateKey) };
}

// A name is printed wherever the certificate is shown, whether alice trusts it or not
// (alice.trustsRogueCa): it must not say she does ("Rogue CA (trusted by mistake)" did).
const CA_NAMES = { lab: "xmpp-mitm-lab CA", rogue: "Rogue CA", public: "Lab Public CA (issues to whoever controls a name)" };

export async function generatePki(domain = LAB_DOMAIN): Promise<LabPki> {
  const [ca, rogueCa, publicCa, selfSigned] = await Promise.all([makeCa(CA_NAMES.lab), makeCa(CA_NAMES.rogue), makeCa(CA_NAMES.public), makeSelfSigned(domain)]);
  // The server's certificate first: in the issuance log it comes before mallory's.
  const server = await makeLeaf(domain, ca, LAB_CRL_URL);
  const [rogue, otherDomain, publicIssued] = await Promise.all([makeLeaf(domain, rogueCa), makeLeaf(MALLORY_DOMAIN, ca), makeLeaf(domain, publicCa)]);
  return {
    ca: await identity(ca),
    server: await identity(server),
    rogueCa: await identity(rogueCa),
    rogue: await identity(rogue),
    selfSigned: await identity(selfSigned),
    publicCa: await identity(publicCa),
    publicIssued: await identity(publicIssued),
    otherDomain: await identity(otherDomain),
    caCrl: await makeCrl(ca),
  };
}

/** File names of DESIGN.md §4; the CA keys are written too so a DIR can be reused as is. */
const FILES: Array<[Exclude<keyof LabPki, "caCrl">, string]> = [
  ["ca", "ca"],
  ["server", "server"],
  ["rogueCa", "rogue-ca"],
  ["rogue", "rogue"],
  ["selfSigned", "self-signed"],
  ["publicCa", "public-ca"],
  ["publicIssued", "public-issued"],
  ["otherDomain", "other-domain"],
];

/**
 * Why DIR cannot serve as `--pki`, or null when it can: a missing or empty directory is filled
 * with a fresh PKI; an existing one must hold every first-wave identity (the second wave is
 * added when missing), each certificate and key parsing, each key its certificate's.
 */
export function pkiProblem(dir: string): string | null {
  if (!fs.existsSync(dir)) return null;
  if (!fs.statSync(dir).isDirectory()) return `${dir} is a file, not a directory`;
  if (fs.readdirSync(dir).length === 0) return null;
  for (const [i, [, base]] of FILES.entries()) {
    const certFile = path.join(dir, `${base}.pem`);
    const keyFile = path.join(dir, `${base}-key.pem`);
    const optional = i >= 5; // made from ca-key.pem when missing (addSecondWave)
    if (!fs.existsSync(certFile) && !fs.existsSync(keyFile) && optional) continue;
    for (const f of [certFile, keyFile]) if (!fs.existsSync(f)) return `${dir} is missing ${path.basename(f)} (an empty or new directory gets a fresh lab PKI)`;
    let cert: X509Certificate;
    try {
      cert = new X509Certificate(fs.readFileSync(certFile));
    } catch {
      return `${dir}: ${base}.pem is not a PEM certificate`;
    }
    let key: KeyObject;
    try {
      key = createPrivateKey(fs.readFileSync(keyFile));
    } catch {
      return `${dir}: ${base}-key.pem is not a PEM private key`;
    }
    if (!cert.checkPrivateKey(key)) return `${dir}: ${base}-key.pem is not the key of ${base}.pem`;
  }
  return null;
}

export function writePki(pki: LabPki, dir: string): string[] {
  fs.mkdirSync(dir, { recursive: true });
  const written: string[] = [];
  for (const [k, base] of FILES) {
    const cert = path.join(dir, `${base}.pem`);
    const key = path.join(dir, `${base}-key.pem`);
    fs.writeFileSync(cert, pki[k].cert);
    fs.writeFileSync(key, pki[k].key, { mode: 0o600 }); // DESIGN §5: private keys 0600
    fs.chmodSync(key, 0o600);
    written.push(cert, key);
  }
  if (pki.caCrl) {
    fs.writeFileSync(path.join(dir, "ca.crl"), pki.caCrl);
    written.push(path.join(dir, "ca.crl"));
  }
  const log = path.join(dir, "ct-log.json");
  fs.writeFileSync(log, JSON.stringify(certificateLog(pki), null, 2) + "\n");
  written.push(log);
  return written;
}

export function readPki(dir: string, files = FILES): LabPki {
  const read = (base: string): Identity => ({
    cert: fs.readFileSync(path.join(dir, `${base}.pem`), "utf8"),
    key: fs.readFileSync(path.join(dir, `${base}-key.pem`), "utf8"),
  });
  return Object.fromEntries(files.map(([k, base]) => [k, read(base)])) as unknown as LabPki;
}

/** `--pki DIR`: read it, or create it when it is empty or missing. */
export async function loadOrCreatePki(dir: string): Promise<LabPki> {
  const exists = fs.existsSync(dir) && fs.readdirSync(dir).length > 0;
  if (!exists) {
    const pki = await generatePki();
    writePki(pki, dir);
    return pki;
  }
  if (!fs.existsSync(path.join(dir, "other-domain.pem")) || !fs.existsSync(path.join(dir, "public-issued.pem"))) await addSecondWave(dir);
  return readPki(dir);
}

/**
 * A DIR written by an older lab lacks the public CA and mallory's own-domain certificate: add
 * them, issuing other-domain.pem with the DIR's own lab CA so everything in it stays consistent.
 */
async function addSecondWave(dir: string): Promise<void> {
  const ca = await loadCa(fs.readFileSync(path.join(dir, "ca.pem"), "utf8"), fs.readFileSync(path.join(dir, "ca-key.pem"), "utf8"));
  const domain = new x509.X509Certificate(fs.readFileSync(path.join(dir, "server.pem"), "utf8")).subjectName.getField("CN")[0] ?? LAB_DOMAIN;
  const publicCa = await makeCa(CA_NAMES.public);
  const [otherDomain, publicIssued] = await Promise.all([makeLeaf(MALLORY_DOMAIN, ca), makeLeaf(domain, publicCa)]);
  const old = readPki(dir, FILES.slice(0, 5));
  writePki({ ...old, publicCa: await identity(publicCa), publicIssued: await identity(publicIssued), otherDomain: await identity(otherDomain) }, dir);
}

async function loadCa(certPem: string, keyPem: string): Promise<Made> {
  const der = Buffer.from(keyPem.replace(/-----[^-]+-----|\s/g, ""), "base64");
  const privateKey = await webcrypto.subtle.importKey("pkcs8", der, ALG, true, ["sign"]);
  const cert = new x509.X509Certificate(certPem);
  const publicKey = await cert.publicKey.export(ALG, ["verify"], webcrypto as unknown as Crypto);
  return { cert, keys: { privateKey, publicKey } as CryptoKeyPair };
}

// The CT log is in its own module: the runner reads it without loading the certificate generator.
export { type CtEntry, certificateLog };

