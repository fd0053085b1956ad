import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { BIN, proc, tmpdir } from "./helpers.js";

/**
 * `--pcap` captures read by Wireshark's own dissectors (tshark, Debian's package): the XMPP
 * dissector on the legs shown as port 5222, TLS decrypted with the secrets inside the file.
 */
const dir = tmpdir("lab-pcap-");
const tshark = (...args: string[]) => execFileSync("tshark", args, { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] });

async function capture(id: string): Promise<string> {
  const file = path.join(dir, `${id}.pcapng`);
  const r = proc(process.execPath, [BIN, "run", id, "--quiet", "--pcap", file]);
  expect(await r.exit, r.err()).toBe(0);
  expect(r.err()).toMatch(new RegExp(`wrote ${file}: \\d+ TCP legs, TLS secrets inside`));
  expect(fs.statSync(file).mode & 0o777).toBe(0o600); // the secrets are inside
  return file;
}

/** tshark's XMPP tree of one leg, found by the comment on its SYN. */
function xmppOfLeg(file: string, leg: string): string {
  const streams = tshark("-r", file, "-Y", "frame.comment", "-T", "fields", "-e", "tcp.stream", "-e", "frame.comment").trim().split("\n");
  const stream = streams.find((l) => l.includes(leg))?.split("\t")[0];
  expect(stream, `a leg named ${leg} in ${streams.join("; ")}`).toBeDefined();
  return tshark("-r", file, "-O", "xmpp", "-Y", `xmpp && tcp.stream == ${stream}`);
}

describe("run --pcap, read by tshark without Decode As", () => {
  it("starttls-strip: alice's leg shows the stripped features and <auth mechanism=\"PLAIN\"> as XMPP", async () => {
    const file = await capture("starttls-strip");
    const alice = xmppOfLeg(file, "starttls-strip: alice-mallory (alice)");
    expect(alice).toMatch(/FEATURES[\s\S]*MECHANISMS[\s\S]*CDATA: PLAIN/);
    expect(alice).not.toMatch(/STARTTLS/);
    expect(alice).toContain('AUTH [xmlns="urn:ietf:params:xml:ns:xmpp-sasl" mechanism="PLAIN"]');
    // mallory's own leg to the server did STARTTLS, and the server offered it.
    expect(xmppOfLeg(file, "starttls-strip: mallory-server (main)")).toMatch(/STARTTLS/);
    // Handshakes, sequence and acknowledgement numbers as TCP expects them: no analysis warnings.
    expect(tshark("-r", file, "-Y", "tcp.analysis.flags").trim()).toBe("");
  });

  it("starttls-passive: the message inside TLS is read with the secrets embedded in the file, and not without them", async () => {
    const file = await capture("starttls-passive");
    const body = 'BODY [value="Please wire 100 EUR to DE89 3704 0044 0532 0130 00"]';
    expect(xmppOfLeg(file, "starttls-passive: alice-mallory (alice)")).toContain(body);
    const bare = path.join(dir, "passive-no-secrets.pcapng");
    execFileSync("editcap", ["--discard-all-secrets", file, bare]);
    expect(tshark("-r", bare, "-O", "xmpp", "-Y", "xmpp")).not.toContain(body);
  });
});

describe("the standalone nodes' --pcap", () => {
  it("attacker --pcap records both of mallory's legs, and the PLAIN <auth> a stripped client sent", async () => {
    const file = path.join(dir, "attacker.pcapng");
    const pki = path.join(dir, "pki");
    const server = proc(process.execPath, [BIN, "server", "--listen", "127.0.0.1:0", "--tls", "starttls", "--user", "alice:pw-a", "--user", "bob:pw-b", "--pki", pki, "--allow-plain-cleartext", "--quiet"], { ms: 30_000 });
    const port = await listening(server);
    const mallory = proc(process.execPath, [BIN, "attacker", "--listen", "127.0.0.1:0", "--upstream", `127.0.0.1:${port}`, "--tactic", "strip-starttls,strip-mechanisms,loot", "--quiet", "--pcap", file], { ms: 30_000 });
    const mport = await listening(mallory);
    try {
      const alice = proc(process.execPath, [BIN, "client", "--connect", `127.0.0.1:${mport}`, "--jid", "alice@lab.example", "--password", "pw-a", "--tls", "opportunistic", "--ca", path.join(pki, "ca.pem"), "--allow-plain-cleartext"]);
      expect(await alice.exit, alice.err()).toBe(0);
    } finally {
      await mallory.stop();
      await server.stop();
    }
    expect(mallory.err()).toMatch(/wrote .*attacker\.pcapng: 2 TCP legs/);
    expect(xmppOfLeg(file, "client → mallory")).toContain('mechanism="PLAIN"');
    expect(xmppOfLeg(file, "mallory → server")).toContain('mechanism="PLAIN"');
  });
});

function listening(p: ReturnType<typeof proc>): Promise<number> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error("no listening line: " + p.err())), 10_000);
    p.child.stdout!.on("data", () => {
      const m = /listening on port (\d+)/.exec(p.out());
      if (m) clearTimeout(t), resolve(Number(m[1]));
    });
  });
}
