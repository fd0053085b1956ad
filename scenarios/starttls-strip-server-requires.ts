import type { ScenarioFile } from "./types.js";

export default {
  id: "starttls-strip-server-requires",
  act: 1,
  title: "The server requires TLS - mallory does it for alice",
  lesson: "A server that requires TLS cannot protect alice: mallory does STARTTLS with the server herself and keeps alice in cleartext.",
  reference: "sslstrip (Marlinspike, 2009): strip toward the victim, upgrade toward the server; RFC 6120 §5.3.1 <required/> travels in cleartext.",
  capability: "on-path only",
  server: { tls: "starttls-required" },
  alice: { tls: "opportunistic", verify: "ca", allowPlainWithoutTls: true },
  mallory: { tactics: ["strip-starttls", "strip-mechanisms", "loot", "tamper"] },
  expected: "attack-succeeds",
  narration: [
    {
      when: [{ fact: "stanza", node: "server", dir: "out", label: "features [starttls (required)]" }, { fact: "move", move: "upstream-starttls-done" }],
      say: "The server insists on TLS, so mallory negotiates TLS with it herself: the server sees a perfectly encrypted client.",
    },
    { when: [{ fact: "decision", decision: "mechanism", chosen: "PLAIN" }, { fact: "password-exposed", mechanism: "PLAIN", how: "cleartext" }], say: "alice, shown PLAIN in cleartext, sends her password straight to mallory." },
  ],
} satisfies ScenarioFile;
