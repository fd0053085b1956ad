import type { ScenarioFile } from "./types.js";

export default {
  id: "starttls-no-verify",
  act: 2,
  title: "TLS required, certificate not checked",
  lesson: "TLS without checking the certificate is encryption to whoever answers: mallory answers with her own certificate.",
  reference: "Profanity's 'tls trust' mode; SleekXMPP #68; users told to set NODE_TLS_REJECT_UNAUTHORIZED=0 (xmpp.js #593).",
  capability: "on-path, with her own certificate",
  server: { tls: "starttls" },
  alice: { tls: "required", verify: "none" },
  mallory: { tactics: ["intercept-tls", "loot", "tamper"], identity: "self-signed" },
  expected: "attack-succeeds",
  narration: [
    {
      when: [{ fact: "stanza", dir: "in", label: "<proceed/>" }, { fact: "move", move: "tls-answered" }, { fact: "tls", selfSigned: true, reachedServer: false }],
      say: "mallory lets STARTTLS happen, then answers alice's handshake with a self-signed certificate.",
    },
    { when: [{ fact: "decision", decision: "unverified-certificate-accepted" }], say: "The certificate does not verify, but alice checks nothing." },
    { when: [{ fact: "edit", op: "rewrote-body", context: "inside-tls" }, { fact: "message-read", how: "terminated-tls" }], say: "Inside 'TLS', mallory reads and rewrites everything." },
  ],
} satisfies ScenarioFile;
