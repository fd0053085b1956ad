import type { AuthFailure, Decision, Edit, Move, ReadContext, TacticWhy } from "./core/events.js";
import { LAB_NAMES, type Names } from "./names.js";
import { CHANNEL_BINDINGS, isChannelBindingType } from "./core/tls.js";

const specOf = (t: string) => (isChannelBindingType(t) ? ` (${CHANNEL_BINDINGS[t].spec})` : "");

/**
 * Typed facts as sentences: the one place where an edit, a move, a decision or a tactic's
 * report becomes words. Pure functions, shared by the plain narrator, the console and the
 * live log. Each sentence says what the fact says and nothing more.
 */

export { LAB_NAMES, type Names, NEUTRAL_NAMES } from "./names.js";

export function editText(e: Edit, n: Names = LAB_NAMES): string {
  switch (e.op) {
    case "removed-starttls":
      return e.required ? "removed <starttls><required/></starttls>" : "removed <starttls/>";
    case "removed-mechanisms":
      return `removed ${e.mechanisms.join(", ")}`;
    case "removed-channel-binding":
      return `removed the channel-binding types (XEP-0440${e.types.length ? ": " + e.types.join(", ") : ""})`;
    case "added-mechanisms":
      return `added a ${e.mechanisms.join(", ")}-only <mechanisms/> the server never offered`;
    case "rewrote-body":
      return `rewrote the body: "${e.before}" → "${e.after}"`;
    case "withheld":
      return `withheld these features: ${n.client} never sees them`;
    case "dropped":
      return "dropped the element";
    case "replaced":
      return e.was === e.now ? `changed ${e.was}` : `replaced ${e.was} with ${e.now}`;
    case "appended":
      return `pipelined ${e.bytes} bytes of her own behind it (${e.what}), in the same write`;
  }
}

export function editsText(edits: readonly Edit[], n: Names = LAB_NAMES): string {
  return edits.map((e) => editText(e, n)).join("; ");
}

const HOW = { direct: "from the first byte", starttls: "after STARTTLS" } as const;

/** What mallory did or saw, as a sentence whose subject is mallory (or the client she saw). */
export function moveText(m: Move, n: Names = LAB_NAMES): string {
  switch (m.type) {
    case "blocked":
      return `drops ${n.client}'s connection`;
    case "tls-answered":
      // "herself", not "with her own certificate": with a stolen key it is the server's real one.
      return `answers ${n.client}'s TLS (${HOW[m.how]}) herself, presenting a certificate for ${m.cert.subject}, issued by ${m.cert.issuer}${m.cert.selfSigned ? " (self-signed)" : ""}`;
    case "client-sent-through-tls":
      return `${n.client} sends the stream through mallory's TLS: mallory reads it decrypted and re-encrypts it to ${n.server}`;
    case "client-hung-up":
      return `${n.client} hung up without sending anything through mallory's TLS; she read nothing inside it`;
    case "client-tls-alert":
      return `${n.client}'s TLS ended mallory's handshake with an alert (${m.alert}): no session, nothing to read`;
    case "server-tls-failed":
      return `mallory's own TLS to ${n.server} failed (${m.error}); she closes ${n.client}'s connection`;
    case "starttls-refused":
      return `${n.client} asked for STARTTLS anyway; mallory answers <failure/> in the server's name`;
    case "upstream-starttls":
      return m.because === "server-requires-tls"
        ? `${n.server} requires TLS (<required/>), so mallory does STARTTLS with it herself and keeps ${n.client} in cleartext`
        : `${n.server} offers no login before TLS, so mallory does STARTTLS with it herself and keeps ${n.client} in cleartext`;
    case "upstream-starttls-done":
      return `TLS is up between mallory and ${n.server}; its post-TLS features go to ${n.client}, in cleartext, as if they were the first ones`;
    case "upstream-starttls-failed":
      return `STARTTLS toward ${n.server} failed (${m.error})`;
    case "bit-flipped":
      return `flipped one bit in ${n.client}'s ${m.record} record #${m.index} (${m.length} bytes) on its way to ${n.server}`;
    case "sealed":
      // Not "only their sizes": the ClientHello still shows the server name (SNI) and ALPN in clear.
      return "the stream is TLS mallory cannot read: she relays its records, seeing their sizes and what the handshake shows in clear (the server name, ALPN), not their content";
    case "byte-relay":
      return "nothing left to read or change: mallory is now a plain byte relay";
    case "offline-guess":
      return m.password !== null
        ? `guesses offline against the recorded ${m.mechanism} exchange (${m.iterations} iterations): "${m.password}" is ${m.username}'s password, found after ${m.guesses} guesses in ${m.ms} ms`
        : `guesses offline against the recorded ${m.mechanism} exchange (${m.iterations} iterations): all ${m.guesses} words of her list failed (${m.ms} ms)`;
    case "offline-guess-skipped":
      return `does not guess at ${m.username}'s ${m.mechanism} exchange: ${m.why}`;
    case "upstream-unreachable":
      return `mallory could not reach ${n.server}: ${m.error}`;
    case "unreadable":
      return `what ${m.dir === "c2s" ? n.client : n.server} sent is not a stream mallory can read (${m.condition}: ${m.text}); she relays that side's bytes as they are`;
    case "element-unread":
      return `a tactic tripped over <${m.element}/> (${m.error}); mallory forwarded it as it came and goes on`;
    case "stanza-too-large":
      return `a stanza from ${m.dir === "c2s" ? n.client : n.server} larger than her ${m.limit}-byte limit went by unread, byte for byte; she reads on after it`;
    case "too-many-connections":
      return `refused a connection from ${m.address}: ${m.limit} are open from there already`;
    case "idle-closed":
      return `closed a connection that was idle for ${m.seconds} s`;
  }
}

export function whyText(why: TacticWhy, n: Names = LAB_NAMES): string {
  switch (why) {
    case "sealed":
      return "the stream is TLS mallory cannot read";
    case "no-starttls-inside-tls":
      return "there is no STARTTLS inside TLS (RFC 6120 §5.4.3.3)";
    case "no-tls-records":
      return "no TLS record crossed mallory unread";
    case "no-tls-from-client":
      return `${n.client} never started TLS`;
    case "nothing-to-edit":
      // Not "nothing it edits crossed": the features did cross (offer-plain with PLAIN already
      // offered, strip-starttls with no <starttls/>), there was just nothing in them to change.
      return "nothing crossed that it would change";
    case "no-message":
      return "no message crossed where mallory could read it";
    case "no-match":
      return "no message matched its rule";
    case "nothing-readable":
      return "nothing readable crossed";
    case "byte-relay":
      return "mallory was a plain byte relay by then";
    case "blocked":
      return "mallory dropped the connection (block) before anything crossed";
    case "starttls-refused":
      return `mallory answered ${n.client}'s <starttls/> herself (strip-starttls): nothing went on to ${n.server}`;
    case "no-scram-exchange":
      return "no SCRAM exchange crossed where she could read it";
    case "no-starttls-from-client":
      return `${n.client} sent no <starttls/> in the clear`;
  }
}

export function tacticText(tactic: string, status: "inapplicable" | "unused", _context: ReadContext, why: TacticWhy, n: Names = LAB_NAMES): string {
  return status === "inapplicable" ? `${tactic} cannot act here: ${whyText(why, n)}` : `${tactic} did nothing on this connection: ${whyText(why, n)}`;
}

export function decisionText(d: Decision, who: string): string {
  switch (d.type) {
    case "cleartext-without-starttls":
      return `${who} saw no <starttls/> in the features; being opportunistic, ${who} carries on in cleartext`;
    case "starttls-anyway":
      return `no <starttls/> in the features; ${who} requires TLS, so asks for it anyway (RFC 7590 §3.1)`;
    case "fallback":
      return d.tls === "required"
        ? `direct TLS to ${d.from} failed (${d.code}); ${who} falls back to STARTTLS on ${d.to}, but requires it, with the same certificate checks (as Gajim does)`
        : `direct TLS to ${d.from} failed (${d.code}); ${who} falls back to STARTTLS-if-offered on ${d.to}, as XEP-0368 clients do`;
    case "name-not-checked":
      return `the certificate is for ${d.certName}, not ${d.domain}; ${who} checks the chain only, not the name, and carries on (the bug of CVE-2014-5075)`;
    case "downgrade-hash":
      return d.result === "absent"
        ? `the server's SCRAM challenge carries no XEP-0474 hash; ${who} cannot check the mechanism list this way`
        : `the server's XEP-0474 hash matches the mechanisms${d.channelBinding ? " and channel-binding types" : ""} ${who} saw: nobody changed the list`;
    case "processes-cleartext-as-tls":
      return `STARTTLS buffering bug: ${who} processed ${d.bytes} bytes that arrived in cleartext behind <starttls/> as if they came over TLS${d.read.length ? ` (it read: ${d.read.join(", ")})` : ""}`;
    case "unverified-certificate-accepted":
      return `the certificate did not verify${d.error ? ` (${d.error})` : ""}, but ${who} checks nothing and carries on`;
    case "channel-binding": {
      const where = d.protocol ?? "this TLS version";
      if (d.binding) {
        // tls-server-end-point binds the certificate the client saw, not the session (RFC 5929 §4.1):
        // a relay that shows both sides the same certificate passes it (channel-binding-endpoint).
        const to = d.binding === "tls-server-end-point" ? "the server's certificate (not this TLS session)" : "this TLS session";
        return d.basis === "announced"
          ? `${who} binds the login to ${to} with ${d.binding}: the server announced [${d.announced.join(", ")}] (XEP-0440) and ${d.binding} is defined on ${where}`
          : `${who} binds the login to ${to} with ${d.binding}: the server announced no types (no XEP-0440), and ${d.binding} is the default on ${where}${specOf(d.binding)}`;
      }
      return d.basis === "announced"
        // "uses", not "can compute": alice.channelBindingType=tls-unique leaves out tls-exporter, which she could compute.
        ? `${who} cannot bind the login to this TLS session: none of the announced types [${d.announced.join(", ")}] is one ${who} uses on ${where}`
        : `${who} cannot bind the login to this TLS session: the server announced no types and ${where} has no default ${who} uses`;
    }
    case "mechanism":
      return !d.secure && d.chosen === "PLAIN"
        ? `${who} sends the password with PLAIN on a cleartext stream: anyone on the path can read it`
        : `${who} chooses ${d.chosen} from [${d.offered.join(", ")}]${d.secure ? "" : " on a cleartext stream"}`;
  }
}

export function authFailureText(reason: AuthFailure | null, condition: string | null): string {
  switch (reason) {
    case "wrong-password":
      return "wrong password";
    case "unknown-user":
      return "no such account";
    case "channel-binding-mismatch":
      // Not "this TLS session's": with tls-server-end-point it is the certificate that differs (RFC 5929 §4.1).
      return "the channel binding in the proof is not the one the server computes for this connection";
    case "channel-binding-unavailable":
      return "the channel-binding type asked for is not available on this stream";
    case "plus-stripped":
      return "the client saw no -PLUS mechanism although the server offered one: a downgrade (RFC 5802 §6)";
    case "channel-binding-flag-mismatch":
      return "the channel-binding flag does not fit the mechanism";
    case "nonce-mismatch":
      return "the SCRAM nonce does not match";
    case "malformed-request":
      return "malformed request";
    case "incorrect-encoding":
      return "the SASL data was not valid base64 (RFC 6120 §6.5.5)";
    case "invalid-authzid":
      return "an authorization identity for another account (RFC 6120 §6.5.6)";
    case "invalid-mechanism":
      return "a mechanism the server did not offer";
    case "encryption-required":
      return "TLS is required before login (RFC 6120 §6.5.4)";
    case "aborted":
      return "aborted";
    case null:
      return condition ? `<${condition}/>` : "refused";
  }
}
