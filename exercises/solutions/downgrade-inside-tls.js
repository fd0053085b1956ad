// Reference solution for attack-harvest-no-verify, in JavaScript: alice's TLS ends at mallory
// (she accepts any certificate), but she logs in with SCRAM, which never sends the password.
// Inside that TLS, mallory leaves her nothing but PLAIN.
export default function tactic(el, where, lab) {
  if (where.context !== "inside-tls" || where.dir !== "s2c" || el.name !== "stream:features") return;
  const mechanisms = el.getChild("mechanisms", lab.NS.sasl);
  if (!mechanisms) return;
  mechanisms.children = [lab.element("mechanism", {}, "PLAIN")];
  const cb = el.getChild("sasl-channel-binding", lab.NS.saslChannelBinding);
  if (cb) el.remove(cb);
}
