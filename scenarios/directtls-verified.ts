import type { ScenarioFile } from "./types.js";

export default {
  id: "directtls-verified",
  act: 2,
  title: "TLS from the first byte, certificate verified",
  lesson: "Direct TLS with a verified certificate: nothing to strip, nothing to forge. An on-path attacker can still block the connection (directtls-fallback) or strip the SRV records that announce it (XEP-0368 §6), but not read or change it.",
  reference: "XEP-0368; RFC 8314 (implicit TLS over STARTTLS for mail); the essay's remedy.",
  capability: "on-path, with her own certificate",
  server: { tls: "direct" },
  alice: { tls: "direct", verify: "ca" },
  mallory: { tactics: ["intercept-tls", "loot", "tamper"], identity: "self-signed" },
  expected: "attack-fails",
  narration: [
    { when: [{ fact: "error", code: "CERT_UNTRUSTED", detail: "DEPTH_ZERO_SELF_SIGNED_CERT" }], say: "alice refuses the self-signed certificate before sending anything through it." },
  ],
} satisfies ScenarioFile;
