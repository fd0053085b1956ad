/**
 * A real XMPP client library from npm (xmpp.js, @xmpp/client) driven by the interop tests.
 *
 * usage: node xmppjs_client.mjs JID PASSWORD HOST PORT starttls|direct [--send JID:TEXT]
 *
 * The lab CA comes from NODE_EXTRA_CA_CERTS, the way a Node application trusts a private CA.
 * Prints LOGGED-IN, SENT or FAILED <why>; exits 0 when everything asked for happened. Bounded.
 */
import { client, xml } from "@xmpp/client";

const [jid, password, host, port, mode, ...rest] = process.argv.slice(2);
let send = null;
for (let i = 0; i < rest.length; i++) if (rest[i] === "--send") {
  const [to, ...body] = rest[++i].split(":");
  send = { to, body: body.join(":") };
}
const [username, domain] = jid.split("@");
// xmpp:// is TCP with STARTTLS when offered (xmpp.js is opportunistic); xmpps:// is direct TLS.
const xmpp = client({ service: `${mode === "direct" ? "xmpps" : "xmpp"}://${host}:${port}`, domain, username, password, resource: "xmppjs" });
if (mode === "direct") {
  // xmpp.js checks a direct-TLS certificate against the host it connects to. On loopback that is
  // 127.0.0.1, not the domain a DNS SRV record would have named: give it the domain (SNI too).
  const base = xmpp.socketParameters.bind(xmpp);
  xmpp.socketParameters = (service) => ({ ...base(service), servername: domain });
}
const timer = setTimeout(() => fail("timeout"), 10_000);
let done = false;
function fail(why) {
  if (done) return;
  done = true;
  console.log("FAILED", why);
  clearTimeout(timer);
  xmpp.stop().catch(() => {}).finally(() => process.exit(1));
}
xmpp.on("error", (err) => fail(err.message));
xmpp.on("online", async () => {
  console.log("LOGGED-IN", xmpp.isSecure() ? "secure" : "insecure");
  await xmpp.send(xml("presence"));
  if (send) {
    await xmpp.send(xml("message", { to: send.to, type: "chat" }, xml("body", {}, send.body)));
    console.log("SENT");
  }
  done = true;
  clearTimeout(timer);
  await xmpp.stop().catch(() => {});
  process.exit(0);
});
xmpp.start().catch((err) => fail(err.message));
