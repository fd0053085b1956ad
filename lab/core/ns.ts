/** XML namespaces the lab speaks (RFC 6120 §4.8, XEP-0440). */
export const NS = {
  client: "jabber:client",
  stream: "http://etherx.jabber.org/streams",
  streams: "urn:ietf:params:xml:ns:xmpp-streams",
  tls: "urn:ietf:params:xml:ns:xmpp-tls",
  sasl: "urn:ietf:params:xml:ns:xmpp-sasl",
  bind: "urn:ietf:params:xml:ns:xmpp-bind",
  session: "urn:ietf:params:xml:ns:xmpp-session",
  stanzas: "urn:ietf:params:xml:ns:xmpp-stanzas",
  saslChannelBinding: "urn:xmpp:sasl-cb:0",
} as const;

/** The lab's XMPP domain. Every identity in the PKI is issued for it. */
export const LAB_DOMAIN = "lab.example";
