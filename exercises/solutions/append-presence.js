// A wrong answer for attack-starttls-injection: a <presence/> behind <starttls/>. The buggy
// server does carry it into TLS, but after STARTTLS it expects a new stream header: a bare
// stanza is a stream error (<invalid-namespace/>), so it acts on nothing of mallory's.
export default function tactic(el, where, lab) {
  if (where.dir === "c2s" && el.name === "starttls" && el.attrs.xmlns === lab.NS.tls) return { el, append: "<presence/>" };
}
