import type { ScenarioFile } from "./types.js";

export default {
  id: "starttls-passive",
  act: 1,
  title: "STARTTLS, and a passive eavesdropper",
  lesson: "STARTTLS does protect against someone who only watches: after <proceed/> mallory sees ciphertext - the sizes of records, and the server name (SNI) and ALPN in alice's ClientHello. It protects this one hop, alice to the server, not the message to bob.",
  reference: "RFC 6120 §5: STARTTLS; the manifesto for mandatory encryption on XMPP (2014).",
  capability: "on-path only",
  server: { tls: "starttls", mechanisms: ["PLAIN"], allowPlainCleartext: true },
  alice: { tls: "opportunistic", verify: "ca", allowPlainWithoutTls: true },
  mallory: { tactics: ["observe", "loot"] },
  expected: "attack-fails",
  narration: [
    { when: [{ fact: "stanza", dir: "in", label: "<proceed/>" }], say: "The server agreed to TLS; from the next byte on, the stream is encrypted." },
    { when: [{ fact: "sealed" }, { fact: "tls", reachedServer: true }], say: "alice's TLS session is the server's own: mallory relays records she cannot read, seeing their sizes and the handshake's server name (SNI), not their content." },
  ],
} satisfies ScenarioFile;
