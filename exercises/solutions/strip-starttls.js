// A wrong answer for attack-harvest-no-verify: deleting <starttls/>. This alice requires TLS:
// she asks for it anyway and stops when it fails (RFC 7590 §3.1), before sending anything.
export default function tactic(el, where, lab) {
  if (where.dir !== "s2c" || el.name !== "stream:features") return;
  const st = el.getChild("starttls", lab.NS.tls);
  if (st) el.remove(st);
}
