import { describe, expect, it } from "vitest";
import { decodePlain, encodePlain } from "../../lab/core/sasl/plain.js";
import { deriveCredentials, ScramClient, ScramIterationsError, ScramServer } from "../../lab/core/sasl/scram.js";

describe("SASL PLAIN (RFC 4616)", () => {
  it("matches the RFC 6120 §6.4.2 example", () => {
    expect(encodePlain("juliet", "r0m30myr0m30")).toBe("AGp1bGlldAByMG0zMG15cjBtMzA=");
    expect(decodePlain("AGp1bGlldAByMG0zMG15cjBtMzA=")).toEqual({ authzid: "", username: "juliet", password: "r0m30myr0m30" });
  });
  it("rejects a message without two NULs", () => {
    expect(decodePlain(Buffer.from("nonsense").toString("base64"))).toBeNull();
  });
});

const vectors = [
  {
    rfc: "RFC 5802 §5",
    mech: "SCRAM-SHA-1",
    user: "user",
    password: "pencil",
    cnonce: "fyko+d2lbbFgONRv9qkxdawL",
    snonce: "3rfcNHYJY1ZVvWVs7j",
    salt: "QSXCR+Q6sek8bf92",
    proof: "v0X8v3Bz2T0CJGbJQyF0X+HI4Ts=",
    signature: "rmF9pqV8S7suAoZWja4dJRkFsKQ=",
  },
  {
    rfc: "RFC 7677 §3",
    mech: "SCRAM-SHA-256",
    user: "user",
    password: "pencil",
    cnonce: "rOprNGfwEbeRWgbNEkqO",
    snonce: "%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0",
    salt: "W22ZaJ0SNY7soEsUEjb6gQ==",
    proof: "dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=",
    signature: "6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=",
  },
];

describe.each(vectors)("SCRAM test vector $rfc", (v) => {
  const serverFirst = `r=${v.cnonce}${v.snonce},s=${v.salt},i=4096`;
  it("the client computes the RFC's proof and accepts the RFC's signature", async () => {
    const c = new ScramClient(v.mech, v.user, v.password, { nonce: v.cnonce });
    expect(c.clientFirst()).toBe(`n,,n=${v.user},r=${v.cnonce}`);
    expect(await c.clientFinal(serverFirst)).toBe(`c=biws,r=${v.cnonce}${v.snonce},p=${v.proof}`);
    expect(c.verifyServerFinal(`v=${v.signature}`)).toBe(true);
    expect(c.verifyServerFinal(`v=${Buffer.alloc(v.signature.length * 0.75).toString("base64")}`)).toBe(false);
  });
  it("the server, holding only derived keys, verifies the RFC's proof", () => {
    const h = v.mech === "SCRAM-SHA-1" ? "sha1" : "sha256";
    const creds = deriveCredentials(v.password, Buffer.from(v.salt, "base64"), 4096, h);
    const s = new ScramServer(v.mech, { lookup: () => creds, plusAdvertised: false, nonce: v.snonce });
    expect(s.first(`n,,n=${v.user},r=${v.cnonce}`)).toEqual({ ok: true, serverFirst });
    expect(s.final(`c=biws,r=${v.cnonce}${v.snonce},p=${v.proof}`)).toEqual({ ok: true, username: v.user, serverFinal: `v=${v.signature}` });
  });
});

describe("SCRAM channel binding (RFC 5802 §6)", () => {
  const creds = deriveCredentials("pw", Buffer.from("salt"), 4096, "sha256");
  const run = async (clientCb: Buffer, serverCb: Buffer) => {
    const c = new ScramClient("SCRAM-SHA-256-PLUS", "u", "pw", { binding: { type: "tls-exporter", data: clientCb } });
    const s = new ScramServer("SCRAM-SHA-256-PLUS", { lookup: () => creds, plusAdvertised: true, bindings: { "tls-exporter": serverCb } });
    const first = s.first(c.clientFirst());
    if (!first.ok) throw new Error(first.reason);
    return s.final(await c.clientFinal(first.serverFirst));
  };
  it("succeeds when both ends see the same TLS session", async () => {
    expect((await run(Buffer.alloc(32, 1), Buffer.alloc(32, 1))).ok).toBe(true);
  });
  it("fails when the client's TLS session is not the server's (a relay in the middle)", async () => {
    expect(await run(Buffer.alloc(32, 1), Buffer.alloc(32, 2))).toMatchObject({ ok: false, reason: expect.stringMatching(/channel-binding/) });
  });
  it("fails a client that says 'y' when -PLUS was advertised (stripped -PLUS)", () => {
    const c = new ScramClient("SCRAM-SHA-256", "u", "pw", { bindingSupported: true });
    const s = new ScramServer("SCRAM-SHA-256", { lookup: () => creds, plusAdvertised: true });
    expect(s.first(c.clientFirst())).toMatchObject({ ok: false, reason: expect.stringMatching(/downgrade/) });
  });
  it("fails a wrong password", async () => {
    const c = new ScramClient("SCRAM-SHA-256", "u", "not-pw");
    const s = new ScramServer("SCRAM-SHA-256", { lookup: () => creds, plusAdvertised: false });
    const first = s.first(c.clientFirst());
    if (!first.ok) throw new Error(first.reason);
    expect(s.final(await c.clientFinal(first.serverFirst))).toMatchObject({ ok: false, reason: "wrong password" });
  });
});

describe("the client's PBKDF2 and iteration bounds (issue 13, item 3)", () => {
  const first = (c: ScramClient, i: string) => `r=${c.nonce}srv,s=QSXCR+Q6sek8bf92,i=${i}`;
  it("runs off the event loop: a timer set before the proof fires before it is done", async () => {
    const c = new ScramClient("SCRAM-SHA-256", "u", "pw");
    let ticked = false;
    const proof = c.clientFinal(first(c, "400000"));
    setImmediate(() => (ticked = true));
    await proof;
    expect(ticked).toBe(true);
  });
  it.each(["4095", "1000001", "100000000"])("refuses i=%s with the bounds it applies", async (i) => {
    const c = new ScramClient("SCRAM-SHA-256", "u", "pw");
    await expect(c.clientFinal(first(c, i))).rejects.toBeInstanceOf(ScramIterationsError);
  });
  it.each(["0x1000", "+4096", "04096", "4096.0", "4e3", ""])("refuses i=%j as malformed", async (i) => {
    const c = new ScramClient("SCRAM-SHA-256", "u", "pw");
    await expect(c.clientFinal(first(c, i))).rejects.toThrow(/iteration count/);
  });
});
