import "reflect-metadata"; // @peculiar/x509 (tsyringe) needs it loaded first
import { webcrypto } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import * as x509 from "@peculiar/x509";
import { LAB_DOMAIN } from "./core/ns.js";
import type { Identity } from "./core/tls.js";

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
}

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

async function makeLeaf(domain: string, issuer: Made): Promise<Made> {
  const k = await keys();
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: nextSerial(),
    subject: `CN=${domain}, ${ORG}`,
    issuer: issuer.cert.subject,
    ...validity(),
    signingAlgorithm: ALG,
    publicKey: k.publicKey,
    signingKey: issuer.keys.privateKey,
    extensions: [...leafExtensions(domain), await x509.AuthorityKeyIdentifierExtension.create(issuer.cert)],
  });
  return { cert, keys: k };
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

export async function generatePki(domain = LAB_DOMAIN): Promise<LabPki> {
  const [ca, rogueCa, selfSigned] = await Promise.all([makeCa("xmpp-mitm-lab CA"), makeCa("Rogue CA (trusted by mistake)"), makeSelfSigned(domain)]);
  const [server, rogue] = await Promise.all([makeLeaf(domain, ca), makeLeaf(domain, rogueCa)]);
  return {
    ca: await identity(ca),
    server: await identity(server),
    rogueCa: await identity(rogueCa),
    rogue: await identity(rogue),
    selfSigned: await identity(selfSigned),
  };
}

/** File names of DESIGN.md §4; the CA keys are written too so a DIR can be reused as is. */
const FILES: Array<[keyof LabPki, string]> = [
  ["ca", "ca"],
  ["server", "server"],
  ["rogueCa", "rogue-ca"],
  ["rogue", "rogue"],
  ["selfSigned", "self-signed"],
];

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
  return written;
}

export function readPki(dir: string): LabPki {
  const read = (base: string): Identity => ({
    cert: fs.readFileSync(path.join(dir, `${base}.pem`), "utf8"),
    key: fs.readFileSync(path.join(dir, `${base}-key.pem`), "utf8"),
  });
  return Object.fromEntries(FILES.map(([k, base]) => [k, read(base)])) as unknown as LabPki;
}

/** `--pki DIR`: read it, or create it when it is empty or missing. */
export async function loadOrCreatePki(dir: string): Promise<LabPki> {
  const exists = fs.existsSync(dir) && fs.readdirSync(dir).length > 0;
  if (exists) return readPki(dir);
  const pki = await generatePki();
  writePki(pki, dir);
  return pki;
}
