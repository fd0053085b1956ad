import type { ScenarioFile } from "./types.js";

export default {
  id: "starttls-injection-refused",
  act: 4,
  title: "STARTTLS injection, refused",
  lesson: "A correct server discards whatever arrived behind <starttls/> and closes the stream: nothing mallory pipelined reaches alice's session.",
  reference: "RFC 6120 §5.4.3.1 (no further XML until TLS is complete), §5.4.3.3 (discard what was learned insecurely), §4.9.3.14 <policy-violation/>.",
  capability: "on-path only",
  server: { tls: "starttls" },
  alice: { tls: "required", verify: "ca" },
  mallory: { tactics: ["inject-after-starttls"] },
  expected: "attack-fails",
  narration: [
    {
      when: [{ fact: "edit", op: "appended" }],
      say: "Behind alice's <starttls/>, in the same write, mallory adds a stream header and a PLAIN login for alice with a password she made up.",
    },
    {
      when: [{ fact: "error", node: "server", code: "STARTTLS_INJECTION" }, { fact: "stanza", node: "server", dir: "out", label: "stream error <policy-violation/>" }],
      // RFC 6120 §5.4.3.1: nothing may follow <starttls/> until TLS is complete; §5.4.3.3: what
      // arrived insecurely is discarded; §4.9.3.14: <policy-violation/> is the stream error.
      say: "The server finds data behind <starttls/> before TLS began, which RFC 6120 §5.4.3.1 forbids: it processes none of it and closes the stream with the stream error <policy-violation/> (RFC 6120 §4.9.3.14).",
    },
    {
      when: [{ fact: "error", node: "server", code: "STARTTLS_INJECTION" }, { fact: "error", code: "STREAM_ERROR" }, { fact: "no-login-relayed" }],
      say: "alice's login never starts and nothing injected reached her: mallory can stop her from connecting - any on-path attacker can - but not speak for her.",
    },
  ],
} satisfies ScenarioFile;
