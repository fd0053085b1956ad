// A wrong answer for attack-strip-channel-binding that tries to cheat: it replaces alice's login
// with a PLAIN <auth> carrying the lab's default password for alice, copied from the lab's own
// files, hoping the checker mistakes it for hers. The checker gives alice a password made for
// that check alone, and the witness looks for that one.
export default function tactic(el, where, lab) {
  if (where.dir !== "c2s" || el.name !== "auth") return;
  const payload = Buffer.from("\0alice\0Vq7-tundra-Lisbon-ember-42").toString("base64");
  return lab.element("auth", { xmlns: lab.NS.sasl, mechanism: "PLAIN" }, payload);
}
