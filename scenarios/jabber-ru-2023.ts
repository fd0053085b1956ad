import type { ScenarioFile } from "./types.js";

export default {
  id: "jabber-ru-2023",
  act: 5,
  title: "jabber.ru, 2023: a validly issued certificate on the STARTTLS port",
  lesson: "Certificate validation cannot catch a certificate a trusted CA really issued to the interceptor. What would have: a Certificate Transparency monitor, a CAA record with accounturi, a pinned key, SCRAM-PLUS.",
  reference: "jabber.ru/xmpp.ru MITM (2023): Let's Encrypt certificates issued to the interceptor, port 5222 intercepted at Hetzner and Linode, found when one expired; RFC 9162 (CT); RFC 8657 (CAA accounturi).",
  capability: "holds a certificate from a CA alice trusts",
  server: { tls: "starttls" },
  alice: { tls: "required", verify: "ca", trustsPublicCa: true },
  mallory: { tactics: ["intercept-tls", "loot", "tamper"], identity: "public-ca" },
  expected: "attack-succeeds",
  narration: [
    {
      when: [{ fact: "move", move: "tls-answered" }, { fact: "tls", how: "starttls", authorized: true, subject: "lab.example", issuer: "Lab Public CA (issues to whoever controls a name)", reachedServer: false }],
      say: "mallory answers alice's STARTTLS with a certificate for lab.example that a public CA alice trusts really issued - to her, as Let's Encrypt did for the jabber.ru interceptor.",
    },
    {
      when: [{ fact: "move", move: "client-sent-through-tls" }, { fact: "tls", verify: "ca", authorized: true, reachedServer: false }, { fact: "login-relayed" }],
      say: "alice checked the chain and the name: both are valid. She logs in through mallory's TLS.",
    },
    {
      when: [{ fact: "tls", verify: "ca", authorized: true, issuer: "Lab Public CA (issues to whoever controls a name)", reachedServer: false }, { fact: "message-altered" }],
      say: "Nothing alice checks could tell. A CT monitor could: the public CA logs what it issues, and the lab's log (ct-log.json, from mitm-lab pki --out DIR) lists two certificates for lab.example with two keys. A CAA record naming the operator's account (accounturi) would have stopped the issuance; a pinned key or SCRAM-PLUS would have stopped the login (jabber-ru-channel-binding).",
    },
  ],
} satisfies ScenarioFile;
