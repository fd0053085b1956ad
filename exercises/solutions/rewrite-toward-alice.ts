// A wrong answer for attack-rewrite-iban: the right edit in the wrong direction. Messages from
// alice to bob travel client-to-server ("c2s"); this rewrites only what comes back to alice.
type Where = { dir: "c2s" | "s2c"; context: "cleartext" | "inside-tls"; stage: "pre-auth" | "post-auth" };

export default function tactic(el: any, where: Where) {
  if (where.dir !== "s2c" || el.name !== "message") return;
  const body = el.getChild("body");
  if (body) body.children = [body.getText().replace(/DE\d\d[\d ]+/g, "GB33 BUKB 2020 1555 5555 55")];
}
