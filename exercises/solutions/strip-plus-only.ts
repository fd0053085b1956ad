// A wrong answer for attack-strip-channel-binding: removing only the -PLUS mechanisms and the
// channel-binding feature. alice falls back to plain SCRAM with the gs2 flag 'y' ("I could bind,
// but you did not offer it"), and the server, which did offer -PLUS, refuses (RFC 5802 §6).
type Where = { dir: "c2s" | "s2c"; context: "cleartext" | "inside-tls"; stage: "pre-auth" | "post-auth" };

export default function tactic(el: any, where: Where, lab: any) {
  if (where.dir !== "s2c" || el.name !== "stream:features") return;
  const mechanisms = el.getChild("mechanisms", lab.NS.sasl);
  for (const m of mechanisms?.getChildren("mechanism") ?? []) {
    if (m.getText().endsWith("-PLUS")) mechanisms.remove(m);
  }
  const cb = el.getChild("sasl-channel-binding", lab.NS.saslChannelBinding);
  if (cb) el.remove(cb);
}
