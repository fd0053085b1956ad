// Reference solution for attack-strip-channel-binding: inside her TLS, mallory removes every
// SCRAM mechanism - not only the -PLUS ones, whose removal RFC 5802's 'y' flag reveals - and
// the XEP-0440 channel-binding feature. alice, who accepts PLAIN inside TLS, sends it.
type Where = { dir: "c2s" | "s2c"; context: "cleartext" | "inside-tls"; stage: "pre-auth" | "post-auth" };

export default function tactic(el: any, where: Where, lab: any) {
  if (where.dir !== "s2c" || el.name !== "stream:features") return;
  const mechanisms = el.getChild("mechanisms", lab.NS.sasl);
  if (mechanisms) {
    for (const m of mechanisms.getChildren("mechanism")) {
      if (m.getText().startsWith("SCRAM-")) mechanisms.remove(m);
    }
  }
  const cb = el.getChild("sasl-channel-binding", lab.NS.saslChannelBinding);
  if (cb) el.remove(cb);
}
