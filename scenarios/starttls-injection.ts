import type { ScenarioFile } from "./types.js";

export default {
  id: "starttls-injection",
  act: 4,
  title: "STARTTLS command injection",
  lesson: "A server that keeps the bytes that arrived behind <starttls/> processes them as if they came over TLS: mallory's words enter alice's encrypted session - in XMPP, where every step waits for an answer, as a login alice never made.",
  reference: "Postfix CVE-2011-0411; NO STARTTLS (Poddebniak et al., USENIX Security 2021); RFC 6120 §5.4.3.1, §5.4.3.3.",
  capability: "on-path only",
  server: { tls: "starttls", starttlsBufferingBug: true },
  alice: { tls: "required", verify: "ca" },
  mallory: { tactics: ["inject-after-starttls"] },
  expected: "attack-succeeds",
  narration: [
    {
      when: [{ fact: "edit", op: "appended" }],
      say: "Behind alice's <starttls/>, in the same write, mallory adds a stream header and a PLAIN login for alice with a password she made up.",
    },
    {
      when: [{ fact: "decision", node: "server", decision: "processes-cleartext-as-tls" }],
      say: "The server has the buffering bug: once TLS is up it reads mallory's cleartext bytes first, as if alice had sent them inside her encrypted session.",
    },
    {
      when: [{ fact: "decision", node: "server", decision: "processes-cleartext-as-tls" }, { fact: "auth", ok: false, reason: "wrong-password" }, { fact: "tls", reachedServer: true }],
      say: "The server answers mallory's login - inside alice's TLS, where mallory cannot read the answer.",
    },
    {
      when: [{ fact: "decision", node: "server", decision: "processes-cleartext-as-tls" }, { fact: "error", code: "AUTH_FAILED" }, { fact: "nothing-exposed" }],
      say: "alice takes that answer for the answer to her own login: her correct password seems refused. That is as far as it gets: mallory spoke inside alice's session, but read nothing of it.",
    },
  ],
} satisfies ScenarioFile;
