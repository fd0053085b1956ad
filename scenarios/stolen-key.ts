import type { ScenarioFile } from "./types.js";

export default {
  id: "stolen-key",
  act: 3,
  title: "The server's own key, stolen",
  lesson: "Pinning trusts a key; whoever holds the server's private key passes the pin - rotate keys after a leak.",
  reference: "Heartbleed (CVE-2014-0160) leaked private keys; the essay: those 'that never changed their private keys after Heartbleed'.",
  capability: "holds the server's private key",
  server: { tls: "direct" },
  alice: { tls: "direct", verify: "pin" },
  mallory: { tactics: ["intercept-tls", "loot", "tamper"], identity: "stolen" },
  expected: "attack-succeeds",
  narration: [
    { when: [{ fact: "tls", pinMatched: true, serverKey: true, reachedServer: false }], say: "mallory presents the server's real certificate and holds its key: the pin matches." },
    {
      when: [{ fact: "loot", type: "scram" }, { fact: "scram-exposed", cracked: false }],
      say: "SCRAM keeps the password itself hidden, but mallory records the exchange for an offline dictionary attack.",
    },
    { when: [{ fact: "scram-exposed", cracked: true }], say: "The recorded SCRAM exchange falls to the bundled wordlist: alice's password is a weak one." },
  ],
} satisfies ScenarioFile;
