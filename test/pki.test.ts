import { execSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { spkiPin } from "../lab/core/tls.js";
import { certificateLog, generatePki, loadOrCreatePki, MALLORY_DOMAIN, writePki } from "../lab/pki.js";

describe("lab PKI", () => {
  it("writes DESIGN §4's files, keys mode 0600, and a chain openssl verifies", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pki-"));
    writePki(await generatePki(), dir);
    for (const f of ["ca.pem", "server.pem", "server-key.pem", "rogue-ca.pem", "rogue.pem", "rogue-key.pem", "self-signed.pem", "self-signed-key.pem"]) {
      expect(fs.existsSync(path.join(dir, f)), f).toBe(true);
    }
    expect(fs.statSync(path.join(dir, "server-key.pem")).mode & 0o777).toBe(0o600);
    expect(execSync(`openssl verify -CAfile ${dir}/ca.pem ${dir}/server.pem`).toString()).toContain("OK");
    expect(execSync(`openssl verify -CAfile ${dir}/rogue-ca.pem ${dir}/rogue.pem`).toString()).toContain("OK");
    expect(() => execSync(`openssl verify -CAfile ${dir}/ca.pem ${dir}/rogue.pem 2>&1`)).toThrow();
    // The pin equals openssl's pipeline for every certificate (EC keys: not sha256(cert.pubkey)).
    for (const f of ["server.pem", "rogue.pem", "self-signed.pem", "ca.pem"]) {
      const openssl = execSync(
        `openssl x509 -pubkey -noout -in ${dir}/${f} | openssl pkey -pubin -outform der | openssl dgst -sha256 -binary | base64`,
      ).toString().trim();
      expect(spkiPin(fs.readFileSync(path.join(dir, f)))).toBe("sha256/" + openssl);
    }
    const again = await loadOrCreatePki(dir);
    expect(again.server.cert).toBe(fs.readFileSync(path.join(dir, "server.pem"), "utf8"));
  });

  it("second wave: the public CA's lab.example for mallory, and a lab-CA certificate for mallory's own domain", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pki-"));
    const pki = await generatePki();
    writePki(pki, dir);
    const verify = (ca: string, leaf: string) => execSync(`openssl verify -CAfile ${dir}/${ca} ${dir}/${leaf} 2>&1`).toString();
    // Validly issued, so it verifies - chain and name - against the public CA alice trusts (jabber.ru 2023).
    expect(execSync(`openssl verify -CAfile ${dir}/public-ca.pem -verify_hostname lab.example ${dir}/public-issued.pem 2>&1`).toString()).toContain("OK");
    // Chain fine, name wrong: the lab CA vouches for mallory.example, not lab.example (CVE-2014-5075).
    expect(verify("ca.pem", "other-domain.pem")).toContain("OK");
    expect(() => execSync(`openssl verify -CAfile ${dir}/ca.pem -verify_hostname lab.example ${dir}/other-domain.pem 2>&1`)).toThrow();
    expect(execSync(`openssl x509 -noout -ext subjectAltName -in ${dir}/other-domain.pem`).toString()).toContain(`DNS:${MALLORY_DOMAIN}`);
    expect(() => verify("ca.pem", "public-issued.pem")).toThrow();
    expect(fs.statSync(path.join(dir, "public-issued-key.pem")).mode & 0o777).toBe(0o600);

    // The transparency log a monitor reads: two certificates for lab.example, different keys.
    const log = JSON.parse(fs.readFileSync(path.join(dir, "ct-log.json"), "utf8"));
    expect(log).toEqual(certificateLog(pki));
    const forLab = log.filter((e: { dnsNames: string[] }) => e.dnsNames.includes("lab.example"));
    expect(forLab.map((e: { issuer: string }) => e.issuer)).toEqual(["xmpp-mitm-lab CA", "Lab Public CA (issues to whoever controls a name)"]);
    expect(forLab.map((e: { pin: string }) => e.pin)).toEqual([spkiPin(pki.server.cert), spkiPin(pki.publicIssued.cert)]);
    // The rogue CA (a corporate root) does not log: what it issued never shows up.
    expect(log.some((e: { issuer: string }) => e.issuer.startsWith("Rogue"))).toBe(false);
  });

  it("a --pki DIR from the first wave gains the new identities, issued by its own lab CA", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pki-"));
    writePki(await generatePki(), dir);
    for (const f of ["public-ca", "public-issued", "other-domain"]) for (const ext of [".pem", "-key.pem"]) fs.rmSync(path.join(dir, f + ext));
    fs.rmSync(path.join(dir, "ct-log.json"));
    const server = fs.readFileSync(path.join(dir, "server.pem"), "utf8");
    const pki = await loadOrCreatePki(dir);
    expect(pki.server.cert).toBe(server);
    expect(execSync(`openssl verify -CAfile ${dir}/ca.pem ${dir}/other-domain.pem 2>&1`).toString()).toContain("OK");
    expect(execSync(`openssl verify -CAfile ${dir}/public-ca.pem ${dir}/public-issued.pem 2>&1`).toString()).toContain("OK");
    expect(fs.existsSync(path.join(dir, "ct-log.json"))).toBe(true);
  });
});

describe("the lab CA's revocation list (testssl.sh flags a certificate that names none)", () => {
  it("server.pem names LAB_CRL_URL, and ca.crl (empty, signed by the lab CA) passes openssl's CRL check", async () => {
    const { execFileSync } = await import("node:child_process");
    const { LAB_CRL_URL } = await import("../lab/pki.js");
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "lab-crl-"));
    writePki(await generatePki(), dir);
    const ext = execFileSync("openssl", ["x509", "-in", path.join(dir, "server.pem"), "-noout", "-ext", "crlDistributionPoints"], { encoding: "utf8" });
    expect(ext).toContain(`URI:${LAB_CRL_URL}`);
    const ok = execFileSync("openssl", ["verify", "-crl_check", "-CRLfile", path.join(dir, "ca.crl"), "-CAfile", path.join(dir, "ca.pem"), path.join(dir, "server.pem")], { encoding: "utf8" });
    expect(ok.trim()).toBe(`${path.join(dir, "server.pem")}: OK`);
  });
});
