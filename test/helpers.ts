import net from "node:net";
import { createRecorder, type Recorder } from "../lab/core/events.js";
import { generatePki, type LabPki } from "../lab/pki.js";
import { accountsFrom, type Accounts } from "../victim-server/index.js";

export const PASSWORDS = { alice: "correct horse", bob: "battery staple" };

let shared: Promise<{ pki: LabPki; accounts: Accounts }> | null = null;
/** One PKI and one account store per test file: generating them is the slow part. */
export function labFixtures(): Promise<{ pki: LabPki; accounts: Accounts }> {
  shared ??= generatePki().then((pki) => ({ pki, accounts: accountsFrom(PASSWORDS) }));
  return shared;
}

export function recorder(): Recorder {
  let t = 0;
  return createRecorder(() => t++);
}

/**
 * Write raw bytes to a real socket and collect everything the peer says until it closes
 * (bounded: the socket is destroyed after `ms`).
 */
export function rawExchange(port: number, chunks: Array<string | Buffer>, ms = 3000): Promise<string> {
  return new Promise((resolve) => {
    const s = net.connect(port, "127.0.0.1");
    let got = "";
    const timer = setTimeout(() => s.destroy(), ms);
    s.on("data", (d) => (got += d.toString("utf8")));
    s.on("error", () => {});
    s.on("close", () => {
      clearTimeout(timer);
      resolve(got);
    });
    s.on("connect", async () => {
      for (const c of chunks) {
        s.write(c);
        await new Promise((r) => setTimeout(r, 5)); // separate TCP reads, on purpose
      }
    });
  });
}

export const HEADER =
  "<?xml version='1.0'?><stream:stream to='lab.example' version='1.0' xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams'>";
