import net from "node:net";
import tls from "node:tls";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { serverTlsOptions } from "../../lab/core/tls.js";
import { labFixtures } from "../helpers.js";

/** The settings every lab listener uses (tls.ts serverTlsOptions), probed as a scanner would. */
let srv: tls.Server;
let port: number;
let ca: string;
beforeAll(async () => {
  const { pki } = await labFixtures();
  ca = pki.ca.cert;
  srv = tls.createServer(serverTlsOptions(pki.server), (s) => s.on("error", () => {}));
  srv.on("tlsClientError", () => {});
  await new Promise<void>((r) => srv.listen(0, "127.0.0.1", r));
  port = (srv.address() as net.AddressInfo).port;
});
afterAll(() => srv.close());

function connect(opts: tls.ConnectionOptions): Promise<tls.TLSSocket> {
  return new Promise((resolve, reject) => {
    const s = tls.connect({ port, host: "127.0.0.1", servername: "lab.example", ca: [ca], ...opts });
    s.once("secureConnect", () => resolve(s));
    s.once("error", reject);
  });
}

describe("lab listeners' TLS: the model of a well-configured server", () => {
  it("refuses a TLS 1.2 client that offers only CBC suites (nothing for LUCKY13)", async () => {
    await expect(connect({ maxVersion: "TLSv1.2", ciphers: "ECDHE-ECDSA-AES128-SHA256:ECDHE-ECDSA-AES256-SHA" })).rejects.toThrow(/handshake failure|no shared cipher/i);
  });

  it("picks an AEAD suite on TLS 1.2, by the server's order rather than the client's", async () => {
    const s = await connect({ maxVersion: "TLSv1.2", ciphers: "ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-ECDSA-AES128-GCM-SHA256" });
    expect(s.getCipher().name).toBe("ECDHE-ECDSA-AES128-GCM-SHA256");
    s.destroy();
  });

  it("refuses client-initiated renegotiation", async () => {
    const s = await connect({ maxVersion: "TLSv1.2" });
    const err = await new Promise<Error | null>((resolve) => {
      // The server answers with a no_renegotiation alert: an error on the socket, or on the callback.
      s.once("error", resolve);
      const ok = s.renegotiate({}, (e) => resolve(e ?? null));
      if (!ok) resolve(new Error("renegotiate() refused locally"));
    });
    expect(err?.message).toMatch(/no renegotiation/i);
    s.destroy();
  });
});
