import type { AttackExercise } from "./types.js";

export default {
  id: "attack-starttls-injection",
  kind: "attack",
  title: "Pipeline bytes behind <starttls/>",
  task: `alice requires STARTTLS and verifies the certificate: you cannot strip it and you cannot read inside it. But lab.example has a bug some real servers had (Postfix, CVE-2011-0411; "NO STARTTLS", USENIX Security 2021): whatever arrived in the same read as <starttls/> stays in its buffer, and once TLS is up it is processed as if it had come inside TLS.

Write a tactic that makes the server act on words of yours as if alice had said them inside her encrypted session.`,
  look: [
    "mitm-lab run starttls-injection             mallory's built-in version of the move",
    "mitm-lab run starttls-injection-refused     the same against a correct server",
    "mitm-lab exercise attack-starttls-injection --starter my-tactic.ts",
    "mitm-lab run starttls-injection --set mallory.tactics= --tactic my-tactic.ts",
  ],
  hints: [
    "You act on alice's <starttls/> on its way to the server (where.dir === \"c2s\"). Your tactic can write bytes of its own right behind an element: return { el, append: \"...\" }.",
    "The server restarts the stream after TLS (RFC 6120 §5.4.3.3), so what you append must start a stream of its own: a <stream:stream to='lab.example' ...> header.",
    "Append a stream header and a SASL <auth mechanism='PLAIN'> for alice with a password you make up (base64 of \\0alice\\0guess); whitespace alone does not count - servers discard it.",
  ],
  scenarios: ["starttls-injection", "starttls-injection-refused"],
  victim: "starttls-injection",
  builtins: [],
  goal: "injection",
  solution: ["inject-after-starttls.ts"],
  wrong: [
    { file: "append-whitespace.js", why: "whitespace carries no command: the server discards it (RFC 6120 §5.3.3's spirit, Prosody's behaviour)" },
    { file: "append-presence.js", why: "a stanza with no stream header before it: after STARTTLS the server expects a new stream, ends this one with <invalid-namespace/>, and acts on nothing" },
  ],
  lesson: "Bytes that arrive before the TLS handshake must never count as if they came after it: a correct server discards what follows <starttls/> and ends the stream (RFC 6120 §5.4.3.3). In XMPP, where every step waits for an answer, the harm is limited - mallory speaks inside alice's session but reads nothing of it - but SMTP, IMAP and POP3 servers lost mail and credentials to this bug.",
  teaching: `The check asks the server's own record (it processed cleartext as if it came over TLS), not mallory's. Pair with starttls-injection-refused to show the correct server's stream error. Students are often surprised that TLS was "up" and still carried attacker bytes: the buffer, not the cipher, is the bug.`,
} satisfies AttackExercise;
