import net from "node:net";
import tls from "node:tls";
import { afterEach, describe, expect, it } from "vitest";
import { channelBindingData, chooseChannelBinding, serverTlsOptions, type ChannelBindingType } from "../../lab/core/tls.js";
import { labFixtures } from "../helpers.js";

/** A real TLS server and client on loopback; returns both ends once the handshake is done. */
const servers: tls.Server[] = [];
afterEach(() => servers.splice(0).forEach((s) => s.close()));

async function pair(maxVersion: tls.SecureVersion, again?: { srv: tls.Server; session: Buffer }) {
  const { pki } = await labFixtures();
  const srv = again?.srv ?? tls.createServer(serverTlsOptions(pki.server, maxVersion));
  const serverEnd = new Promise<tls.TLSSocket>((resolve) => srv.once("secureConnection", resolve));
  if (!again) {
    servers.push(srv);
    await new Promise<void>((r) => srv.listen(0, "127.0.0.1", r));
  }
  const port = (srv.address() as net.AddressInfo).port;
  const client = tls.connect({ port, host: "127.0.0.1", servername: "lab.example", ca: [pki.ca.cert], session: again?.session });
  const gotSession = new Promise<Buffer>((resolve) => client.once("session", resolve));
  await new Promise((r) => client.once("secureConnect", r));
  const server = await serverEnd;
  return { srv, client, server, gotSession, close: () => (client.destroy(), server.destroy()) };
}

const both = (p: { client: tls.TLSSocket; server: tls.TLSSocket }, t: ChannelBindingType) => [
  channelBindingData(p.client, t, null, "client"),
  channelBindingData(p.server, t, null, "server"),
];

describe("channel-binding data (tls.ts CHANNEL_BINDINGS)", () => {
  it("tls-unique on TLS 1.2, full handshake: the client's Finished, the same at both ends (RFC 5929 §3.1)", async () => {
    const p = await pair("TLSv1.2");
    const [c, s] = both(p, "tls-unique");
    expect(p.client.isSessionReused()).toBe(false);
    expect(c).toHaveLength(12); // verify_data of a TLS 1.2 Finished
    expect(c).toEqual(s);
    expect(c).toEqual(p.client.getFinished());
    expect(both(p, "tls-exporter")).toEqual([null, null]); // the lab uses tls-exporter on TLS 1.3 only
    p.close();
  });

  it("tls-unique on a resumed TLS 1.2 session: the server's Finished, which is sent first there", async () => {
    const first = await pair("TLSv1.2");
    const session = await first.gotSession;
    first.close();
    const p = await pair("TLSv1.2", { srv: first.srv, session });
    expect(p.client.isSessionReused()).toBe(true);
    expect(p.server.isSessionReused()).toBe(true);
    const [c, s] = both(p, "tls-unique");
    expect(c).toEqual(s);
    expect(c).toEqual(p.server.getFinished());
    expect(c).not.toEqual(p.client.getFinished());
    p.close();
  });

  it("never tls-unique on TLS 1.3, where it is not defined; tls-exporter agrees at both ends", async () => {
    const p = await pair("TLSv1.3");
    expect(p.client.getFinished()?.length).toBeGreaterThan(0); // Node has bytes to offer: unused
    expect(both(p, "tls-unique")).toEqual([null, null]);
    const [c, s] = both(p, "tls-exporter");
    expect(c).toHaveLength(32);
    expect(c).toEqual(s);
    p.close();
  });

  it("chooses from the XEP-0440 list when announced, else the TLS version's default, and says why", async () => {
    const v12 = await pair("TLSv1.2");
    expect(chooseChannelBinding(v12.client, [], null)).toMatchObject({ type: "tls-unique", why: expect.stringMatching(/no XEP-0440.*TLSv1\.2/) });
    expect(chooseChannelBinding(v12.client, ["tls-exporter", "tls-unique"], null)).toMatchObject({ type: "tls-unique", why: expect.stringMatching(/XEP-0440/) });
    expect(chooseChannelBinding(v12.client, ["tls-exporter"], null)).toMatchObject({ type: null });
    v12.close();
    const v13 = await pair("TLSv1.3");
    expect(chooseChannelBinding(v13.client, [], null)).toMatchObject({ type: "tls-exporter" });
    expect(chooseChannelBinding(v13.client, ["tls-unique", "tls-server-end-point"], Buffer.from("cert"))).toMatchObject({ type: "tls-server-end-point" });
    v13.close();
  });
});
