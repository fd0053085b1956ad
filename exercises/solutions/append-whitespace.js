// A wrong answer for attack-starttls-injection: a newline behind <starttls/>. Whitespace carries
// no command, and the lab's server, like Prosody, discards it before TLS: nothing is injected.
export default function tactic(el, where, lab) {
  if (where.dir === "c2s" && el.name === "starttls" && el.attrs.xmlns === lab.NS.tls) return { el, append: "\n" };
}
