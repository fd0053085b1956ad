import { execSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { spkiPin } from "../lab/core/tls.js";
import { generatePki, loadOrCreatePki, writePki } from "../lab/pki.js";

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
});
