import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { labNode, proc, tmpdir } from "./helpers.js";

/**
 * testssl.sh (Debian's 3.0.8) against the lab server's STARTTLS and direct-TLS ports, as a
 * student pointing a scanner at the "secure" server would: it must find the model of a
 * well-configured one. Checks run: protocols, cipher categories, forward secrecy, server
 * preferences, server defaults (certificate, CRL), vulnerabilities. Skipped for time: the
 * per-cipher list (-e) and client simulations (-c), which only list what the others judge.
 */
let server: Awaited<ReturnType<typeof labNode>>;
let directPort: number;
const pki = tmpdir("lab-testssl-pki-");

beforeAll(async () => {
  server = await labNode(["server", "--listen", "127.0.0.1:0", "--direct-tls", "127.0.0.1:0", "--tls", "starttls", "--user", "alice:a-pw", "--user", "bob:b-pw", "--pki", pki, "--quiet"], 600_000);
  directPort = Number(/direct TLS on port (\d+)/.exec(server.out())![1]);
});
afterAll(() => server.stop());

function testssl(...target: string[]) {
  return proc("testssl", ["--quiet", "--color", "0", "--nodns", "none", "--add-ca", path.join(pki, "ca.pem"), "-p", "-s", "-f", "-P", "-S", "-U", ...target], { ms: 400_000 });
}

describe("testssl.sh finds nothing to flag on the lab server", () => {
  it("STARTTLS port and direct-TLS port: no NOT ok, no VULNERABLE", async () => {
    // Both at once: each takes a minute or more on a busy machine.
    const runs = [testssl("-t", "xmpp", "--xmpphost", "lab.example", `127.0.0.1:${server.port}`), testssl(`127.0.0.1:${directPort}`)];
    await Promise.all(runs.map((r) => r.exit));
    for (const r of runs) {
      const out = r.out();
      // It really tested (a scan that failed to connect would flag nothing either).
      expect(out, r.err()).toMatch(/Secure Client-Initiated Renegotiation\s+not vulnerable \(OK\)/);
      expect(out).toMatch(/LUCKY13 \(CVE-2013-0169\), experimental\s+not vulnerable \(OK\)/);
      expect(out).toMatch(/Has server cipher order\?\s+yes \(OK\)/);
      expect(out).toMatch(/Certificate Revocation List\s+http:\/\/lab\.example\/ca\.crl/);
      expect(out).not.toMatch(/NOT ok/);
      expect(out).not.toMatch(/VULNERABLE/);
    }
  }, 420_000);
});
