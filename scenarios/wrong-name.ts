import type { ScenarioFile } from "./types.js";

export default {
  id: "wrong-name",
  act: 4,
  title: "A trusted certificate for the wrong name",
  lesson: "A certificate is only as good as the name check: mallory's is really issued by a CA alice trusts - for mallory.example. Checking the name (--set alice.verify=ca) refuses it with CERT_NAME_MISMATCH.",
  reference: "CVE-2014-5075 (Smack's SSLSocket did no hostname check); RFC 6120 §13.7.2.1 (the reference identifier is the domain); RFC 9525.",
  capability: "holds a valid certificate for her own name",
  server: { tls: "starttls-required" },
  alice: { tls: "required", verify: "chain" },
  mallory: { tactics: ["intercept-tls", "loot", "tamper"], identity: "other-domain" },
  expected: "attack-succeeds",
  narration: [
    {
      when: [{ fact: "move", move: "tls-answered" }, { fact: "tls", how: "starttls", subject: "mallory.example", issuer: "xmpp-mitm-lab CA", reachedServer: false }],
      say: "mallory answers alice's STARTTLS with a certificate the lab CA really issued - to mallory.example, her own domain.",
    },
    { when: [{ fact: "decision", decision: "name-not-checked" }], say: "alice checks that a trusted CA signed it, not whose name it bears." },
    { when: [{ fact: "edit", op: "rewrote-body", context: "inside-tls" }, { fact: "message-read", how: "terminated-tls" }], say: "Inside her own TLS, mallory reads and rewrites everything alice sends." },
    {
      // With alice.verify=ca: Node's name check (ERR_TLS_CERT_ALTNAME_INVALID) against lab.example.
      when: [{ fact: "error", code: "CERT_NAME_MISMATCH" }, { fact: "nothing-exposed" }],
      say: "alice checks the name too: the certificate is not for lab.example, the domain she asked for and the reference identifier of RFC 6120 §13.7.2.1. She refuses it (CERT_NAME_MISMATCH) before sending anything through it.",
    },
  ],
} satisfies ScenarioFile;
