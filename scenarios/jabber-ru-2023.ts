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
      say: "Nothing alice checks could tell. A CAA record naming the operator's account (accounturi, RFC 8657) would have stopped the issuance; a pinned key or SCRAM-PLUS would have stopped the login (jabber-ru-channel-binding).",
    },
    {
      // RFC 9162 §8.2: a monitor watches the logs for certificates naming its domain. The panel
      // under this line is drawn from the run's CT-log event and both ends' certificates.
      when: [{ fact: "tls", verify: "ca", authorized: true, reachedServer: false, accepted: true }, { fact: "move", move: "client-sent-through-tls" }, { fact: "ct-logged", serverKey: false }],
      say: "A Certificate Transparency monitor would have told: the CA logs all it issues, and a monitor for lab.example sees a certificate with a key the server does not use - the one alice accepted. jabber.ru's sat in CT logs for months.",
      show: "ct-monitor",
    },
  ],
} satisfies ScenarioFile;
