import type { ScenarioFile } from "./types.js";

export default {
  id: "starttls-verified",
  act: 2,
  title: "TLS required and the certificate verified",
  lesson: "A client that requires TLS and verifies the certificate against its CAs and the server's name cannot be stripped or intercepted by an on-path attacker.",
  reference: "RFC 7590 §3.4: clients MUST authenticate servers; RFC 6120 §13.7.2.1.",
  capability: "on-path, with her own certificate",
  server: { tls: "starttls" },
  alice: { tls: "required", verify: "ca" },
  mallory: { tactics: ["intercept-tls", "loot", "tamper"], identity: "self-signed" },
  expected: "attack-fails",
  narration: [{ when: [{ fact: "move", move: "tls-answered" }, { fact: "error", code: "CERT_UNTRUSTED" }], say: "alice checks the chain: nothing she trusts vouches for mallory's certificate." }],
} satisfies ScenarioFile;
