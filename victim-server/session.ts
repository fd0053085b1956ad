import crypto from "node:crypto";
import type net from "node:net";
import tls from "node:tls";
import { Element } from "ltx";
import { XmppConnection } from "../lab/core/connection.js";
import type { Emit } from "../lab/core/events.js";
import { NS } from "../lab/core/ns.js";
import { parsePlain } from "../lab/core/sasl/plain.js";
import { ScramServer, isPlus, scramHash, unescapeName } from "../lab/core/sasl/scram.js";
import { ssdpHash } from "../lab/core/sasl/ssdp.js";
import type { AuthFailure } from "../lab/core/events.js";
import { b64, bare, saslEl, saslFailure, strictBase64 } from "../lab/core/stanzas.js";
import { certFacts, channelBindingData, type ChannelBindingType, clientRandomOf, type KeyLog, watchClientRandom } from "../lab/core/tls.js";
import type { Accounts } from "./accounts.js";
import type { ServerLimits } from "./limits.js";
import type { Router } from "./router.js";

export type ServerTlsMode = "none" | "starttls" | "starttls-required" | "direct";

export interface SessionPolicy {
  domain: string;
  tls: ServerTlsMode;
  secureContext: tls.SecureContext | null;
  /** Our certificate's DER, for tls-server-end-point (RFC 5929 §4.1). */
  certDer: Buffer | null;
  /** Offered after TLS, in this order. */
  mechanisms: string[];
  channelBindingTypes: ChannelBindingType[];
  /** XEP-0440: announce them next to the mechanisms. */
  announceChannelBindings: boolean;
  /** Offer PLAIN (and SCRAM) before TLS: the vulnerable twin (Prosody allow_unencrypted_plain_auth). */
  allowPlainCleartext: boolean;
  limits: ServerLimits;
  keylog?: KeyLog;
  /** XEP-0474: put h= (the hash of what was advertised) in SCRAM's server-first. */
  downgradeProtection: boolean;
  /**
   * The STARTTLS buffering bug (CVE-2011-0411 class), for the starttls-injection scenario:
   * bytes that followed <starttls/> in cleartext are kept and processed once TLS is up, as if
   * they had come over it. A correct server discards them and hangs up (§5.4.3.3).
   */
  starttlsBufferingBug: boolean;
}

type Handler = (this: ServerSession, el: Element) => void;

/**
 * One client's stream on the server. A state machine by swapping the handler (as mitmproxy's
 * layers do): negotiating (STARTTLS, SASL) → bindOrStanza → stanza.
 */
export class ServerSession {
  private readonly conn: XmppConnection;
  private handle: Handler = this.negotiating;
  private username: string | null = null;
  jid = "";
  private scram: ScramServer | null = null;
  private offered: string[] = [];
  /** The channel-binding types the last features announced (XEP-0440), or null if none were. */
  private announcedBindings: string[] | null = null;
  /**
   * TLS facts are reported when the first stream over TLS starts, not when the handshake
   * completes: completion races the other nodes' events (mallory runs two handshakes at once),
   * the first header does not - so every run of a scenario tells the same story.
   */
  private tlsToReport: { socket: tls.TLSSocket; how: "starttls" | "direct" } | null = null;
  /** SASL attempts on this stream whose credentials were wrong (§6.4.5 bounds the retries). */
  private saslFailures = 0;
  private readonly negotiationTimer: NodeJS.Timeout;

  constructor(
    socket: net.Socket,
    private readonly id: string,
    private readonly policy: SessionPolicy,
    private readonly accounts: Accounts,
    private readonly router: Router,
    private readonly emit: Emit,
    private readonly onDone: (s: ServerSession) => void,
  ) {
    const limits = policy.limits;
    this.conn = new XmppConnection(socket, "server", emit, {
      onStreamStart: (attrs) => this.onStreamStart(attrs),
      onElement: (el) => this.handle.call(this, el),
      onStreamEnd: () => this.conn.endStream(),
      onClose: (err) => this.onClose(err),
    }, {
      maxStanza: limits.maxStanza, conn: id, idleMs: limits.idleTimeoutMs, stanzaMs: limits.stanzaTimeoutMs,
      responseHeader: () => this.responseHeader({}),
    });
    if (this.conn.secure) this.tlsToReport = { socket: socket as tls.TLSSocket, how: "direct" };
    // A peer that never finishes negotiating holds a connection for nothing (§13.12).
    this.negotiationTimer = setTimeout(() => {
      const s = Math.round(limits.negotiationTimeoutMs / 1000);
      // §4.9.3.4: the server spoke and the client did not complete its part in time.
      this.conn.fail("connection-timeout", `negotiation not finished within ${s} s`, `The client did not finish TLS, authentication and resource binding within ${s} s, so the server closed the stream.`);
    }, limits.negotiationTimeoutMs);
    this.negotiationTimer.unref();
  }

  private responseHeader(attrs: Record<string, string>): Record<string, string> {
    const header: Record<string, string> = {
      from: this.policy.domain,
      id: crypto.randomBytes(8).toString("hex"), // §4.7.3: a fresh id for every stream, restarts too
      version: "1.0",
      "xml:lang": "en",
      xmlns: NS.client,
      "xmlns:stream": NS.stream,
    };
    if (attrs.from) header.to = attrs.from;
    return header;
  }

  /** Delivery from the router (RFC 6120 §8.1.2.1: the server stamps `from`). */
  deliver(el: Element): void {
    this.conn.send(el);
  }

  close(): void {
    this.conn.destroy();
  }

  private onStreamStart(attrs: Record<string, string>): void {
    if (this.tlsToReport) {
      this.reportTls(this.tlsToReport.socket, this.tlsToReport.how);
      this.tlsToReport = null;
    }
    // §4.7.5: the response carries the lower of the client's version and ours (1.0).
    this.conn.sendHeader(this.responseHeader(attrs));
    const v = /^0*(\d+)\.0*(\d+)$/.exec(attrs.version ?? "");
    if (!v || Number(v[1]) < 1) {
      // §4.9.3.25: no version means 0.9 (§4.7.5), which the lab server does not speak.
      return this.conn.streamError("unsupported-version", `this server speaks XMPP 1.0, not ${attrs.version ?? "0.9"}`);
    }
    if (attrs.to !== this.policy.domain) {
      return this.conn.streamError("host-unknown", `this server is ${this.policy.domain}`); // §4.9.3.6
    }
    if (attrs.xmlns !== NS.client) return this.conn.streamError("invalid-namespace"); // §4.9.3.10
    this.conn.send(this.features());
  }

  private features(): Element {
    const f = new Element("stream:features");
    const secure = this.conn.secure;
    if (!this.username) {
      const startTlsMode = this.policy.tls === "starttls" || this.policy.tls === "starttls-required";
      // §5.3.1, §5.4.3.3: offer STARTTLS only before TLS; <required/> when TLS is mandatory.
      if (!secure && startTlsMode) {
        const st = f.c("starttls", { xmlns: NS.tls });
        if (this.policy.tls === "starttls-required") st.c("required");
      }
      // Computed once per features: each type's data is exported from the TLS session.
      const bindings = secure ? this.usableBindings() : [];
      this.offered = this.mechanismsNow(bindings);
      if (this.offered.length) {
        const m = f.c("mechanisms", { xmlns: NS.sasl });
        for (const name of this.offered) m.c("mechanism").t(name);
      }
      // XEP-0440 §3: announce channel-binding types next to the mechanisms.
      this.announcedBindings = null;
      if (secure && this.offered.some(isPlus) && this.policy.announceChannelBindings) {
        const cb = f.c("sasl-channel-binding", { xmlns: NS.saslChannelBinding });
        for (const type of bindings) cb.c("channel-binding", { type });
        this.announcedBindings = bindings;
      }
    } else {
      f.c("bind", { xmlns: NS.bind }); // §7.3.1: resource binding is mandatory-to-negotiate
    }
    return f;
  }

  private mechanismsNow(bindings: ChannelBindingType[]): string[] {
    if (this.conn.secure) {
      return this.policy.mechanisms.filter((m) => !isPlus(m) || bindings.length > 0);
    }
    // §5.3.1 / §6.3.4: with TLS mandatory, offer only STARTTLS before TLS.
    if (this.policy.tls === "starttls-required") return [];
    // §13.8.3: a server MUST NOT offer PLAIN without TLS - unless it is the vulnerable twin.
    // -PLUS needs a TLS channel, so it is never offered in the clear.
    return this.policy.mechanisms.filter((m) => !isPlus(m) && (m !== "PLAIN" || this.policy.allowPlainCleartext));
  }

  private usableBindings(): ChannelBindingType[] {
    const socket = this.conn.socket as tls.TLSSocket;
    return this.policy.channelBindingTypes.filter((t) => channelBindingData(socket, t, this.policy.certDer, "server") !== null);
  }

  /** Before authentication: STARTTLS and SASL only (§4.3.5 for anything else). */
  private negotiating(el: Element): void {
    const ns = el.getNS();
    if (el.name === "starttls" && ns === NS.tls) return this.onStartTls();
    if (ns === NS.sasl) return this.onSasl(el);
    this.conn.streamError("not-authorized", "authenticate first"); // §4.3.5
  }

  private onStartTls(): void {
    const mode = this.policy.tls;
    if (this.conn.secure || (mode !== "starttls" && mode !== "starttls-required") || !this.policy.secureContext) {
      // §5.4.2.2: failure, then close the stream.
      this.conn.send(new Element("failure", { xmlns: NS.tls }));
      return this.conn.endStream();
    }
    this.conn.upgradeAfterThisElement((leftover, held) => {
      if (leftover && this.policy.starttlsBufferingBug) return this.proceed(held);
      if (leftover) {
        // §5.4.3.3, CVE-2011-0411: bytes pipelined behind <starttls/> arrived in cleartext. The
        // client broke §5.4.3.1 ("MUST NOT send any further XML data until the TLS negotiation
        // is complete"): never process them; close with <policy-violation/> (§4.9.3.14), in the
        // clear, since no TLS was ever started.
        this.emit("server", {
          kind: "error",
          code: "STARTTLS_INJECTION",
          detail: null,
          message: "bytes followed <starttls/> in the same cleartext read",
          explain: "Someone pipelined data behind <starttls/>; it would be processed as if it came over TLS, so the server refused with <policy-violation/> (RFC 6120 §4.9.3.14) and closed the stream (the Postfix CVE-2011-0411 class of bug).",
        }, this.id);
        return this.conn.streamError("policy-violation", "data followed <starttls/> before TLS began (RFC 6120 §5.4.3.1)");
      }
      this.proceed(null);
    });
  }

  /** <proceed/> and the TLS handshake; `carried`: cleartext the buffering bug keeps (see policy). */
  private proceed(carried: string | null): void {
    // §5.3.3: <proceed/> directly, then TLS starts right after its '>' (§5.4.2.3).
    this.conn.send(new Element("proceed", { xmlns: NS.tls }));
    this.conn.startTlsAsServer((raw) => {
      const secure = new tls.TLSSocket(raw, { isServer: true, secureContext: this.policy.secureContext!, ALPNProtocols: ["xmpp-client"] });
      watchClientRandom(secure); // which session this is, for the witness (tls.ts)
      if (this.policy.keylog) secure.on("keylog", this.policy.keylog);
      secure.once("secure", () => {
        this.tlsToReport = { socket: secure, how: "starttls" };
        // Whitespace carries no command (§5.3.3): only data pipelined behind <starttls/> is carried over.
        if (carried?.trim()) this.processCarried(carried);
      });
      secure.on("error", () => {}); // reported through 'close' below
      return secure;
    });
  }

  /**
   * The bug itself: what arrived in cleartext behind <starttls/> goes through the TLS stream's
   * parser first, before anything the client sends over TLS - the server acts on it as if the
   * client had said it inside the encrypted session. RFC 6120 §5.4.3.3 forbids exactly this.
   */
  private processCarried(carried: string): void {
    const read = this.conn.processAsReceived(carried);
    // Told after the fact, with what was read: the server's own record of acting on those bytes.
    this.emit("server", { kind: "decision", decision: { type: "processes-cleartext-as-tls", bytes: Buffer.byteLength(carried), read } }, this.id);
  }

  private reportTls(socket: tls.TLSSocket, how: "starttls" | "direct"): void {
    const local = socket.getX509Certificate();
    this.emit("server", {
      kind: "tls", role: "server", how,
      protocol: socket.getProtocol(), cipher: socket.getCipher()?.name ?? null,
      peerCert: null, localCert: local ? certFacts(local) : null, authorized: null, authorizationError: null,
      clientRandom: clientRandomOf(socket), verify: null, pinMatched: null,
    }, this.id);
  }

  private onSasl(el: Element): void {
    if (this.username) return this.conn.streamError("not-authorized", "already authenticated");
    if (el.name === "abort") {
      this.scram = null;
      return this.saslFail("aborted"); // §6.4.4
    }
    if (el.name === "auth") {
      // §6.4.5, §13.9.4: a bounded number of retries; one more closes the stream.
      if (this.saslFailures > this.policy.limits.saslRetries) {
        return this.conn.fail("policy-violation", `more than ${this.policy.limits.saslRetries} retries of SASL authentication`, "The client kept guessing credentials after its retries were used up, so the server closed the stream (RFC 6120 §6.4.5, §13.9.4).");
      }
      this.scram = null;
      const mech = el.attrs.mechanism as string | undefined;
      if (!this.conn.secure && this.policy.tls === "starttls-required") return this.refuseAuth(mech ?? "(none)", "encryption-required"); // §6.5.4
      if (!mech || !this.offered.includes(mech)) return this.refuseAuth(mech ?? "(none)", "invalid-mechanism"); // §6.5.7
      const initial = strictBase64(el.getText());
      if (initial === null) return this.refuseAuth(mech, "incorrect-encoding"); // §6.5.5, §13.9.1
      if (mech === "PLAIN") return this.plain(initial);
      return this.scramFirst(mech, initial);
    }
    if (el.name === "response") {
      // §6.5.8: a response with no exchange under way is a malformed request, not a stream error.
      if (!this.scram) return this.refuseAuth("(none)", "malformed-request");
      const response = strictBase64(el.getText());
      if (response === null) {
        const mech = this.scram.mechanism;
        this.scram = null;
        return this.refuseAuth(mech, "incorrect-encoding");
      }
      return this.scramFinal(response);
    }
    this.conn.streamError("bad-format", `unexpected SASL <${el.name}/>`);
  }

  private plain(initial: string): void {
    const creds = parsePlain(initial);
    if (!creds) return this.refuseAuth("PLAIN", "malformed-request");
    // §6.3.8, §6.5.6: alice may not authorize as anyone else.
    if (creds.authzid !== "" && bare(creds.authzid) !== `${creds.username}@${this.policy.domain}`) return this.refuseAuth("PLAIN", "invalid-authzid");
    const ok = this.accounts.verifyPlain(creds.username, creds.password);
    const why: AuthFailure = this.accounts.has(creds.username) ? "wrong-password" : "unknown-user";
    this.authResult("PLAIN", creds.username, ok, ok ? null : why);
  }

  private scramFirst(mech: string, initial: string): void {
    // §6.3.8: an authzid in the GS2 header must be the account that authenticates.
    const authzid = /^[^,]*,a=([^,]*),n=([^,]*),/.exec(initial);
    if (authzid && bare(unescapeName(authzid[1])) !== `${unescapeName(authzid[2])}@${this.policy.domain}`) return this.refuseAuth(mech, "invalid-authzid");
    const socket = this.conn.socket as tls.TLSSocket;
    const bindings: Record<string, Buffer | null> = {};
    if (this.conn.secure) for (const t of this.policy.channelBindingTypes) bindings[t] = channelBindingData(socket, t, this.policy.certDer, "server");
    const h = scramHash(mech);
    this.scram = new ScramServer(mech, {
      lookup: (u) => this.accounts.scram(u, h),
      bindings,
      plusAdvertised: this.offered.some(isPlus),
      // XEP-0474 §4.1: the hash of the mechanisms (and XEP-0440 types) this stream advertised.
      extensions: this.policy.downgradeProtection ? { h: ssdpHash(this.offered, this.announcedBindings, h) } : undefined,
    });
    const r = this.scram.first(initial);
    if (!r.ok) return this.authResult(mech, r.username ?? "?", false, r.code, r.condition, undefined, r.error);
    this.conn.send(saslEl("challenge", {}, b64(r.serverFirst))); // §6.4.3
  }

  private scramFinal(response: string): void {
    const scram = this.scram!;
    this.scram = null;
    const r = scram.final(response);
    if (!r.ok) return this.authResult(scram.mechanism, r.username ?? "?", false, r.code, r.condition);
    this.authResult(scram.mechanism, r.username, true, null, undefined, b64(r.serverFinal));
  }

  /** A refusal before any credentials were read: the trace still says which login and why. */
  private refuseAuth(mech: string, why: "encryption-required" | "invalid-mechanism" | "malformed-request" | "incorrect-encoding" | "invalid-authzid"): void {
    this.emit("server", { kind: "auth", mechanism: mech, username: "?", ok: false, reason: why, condition: why }, this.id);
    this.saslFail(why);
  }

  private authResult(mech: string, username: string, ok: boolean, reason: AuthFailure | null, condition = "not-authorized", additional?: string, text?: string): void {
    this.emit("server", { kind: "auth", mechanism: mech, username, ok, reason, condition: ok ? null : condition }, this.id);
    // Retries count guesses: logins whose credentials were checked and wrong. A client trying
    // its mechanisms in turn (slixmpp: -PLUS, then SCRAM, then PLAIN) guesses nothing meanwhile.
    if (reason === "wrong-password" || reason === "unknown-user") this.saslFailures++;
    if (!ok) return this.saslFail(condition, text);
    this.username = username;
    this.handle = this.bindOrStanza;
    // §6.3.10: SCRAM's server-final travels as additional data in <success/>.
    this.conn.send(saslEl("success", {}, additional));
    // §6.3.2: the client restarts the stream; the parser sees the new header in-band.
  }

  private saslFail(condition: string, text?: string): void {
    this.conn.send(saslFailure(condition, text)); // §6.4.5: an optional <text/> says why
  }

  /** After SASL: resource binding (§7), then stanzas. */
  private bindOrStanza(el: Element): void {
    if (el.name === "iq" && el.attrs.type === "set" && el.getChild("bind", NS.bind)) {
      const requested = el.getChild("bind", NS.bind)!.getChildText("resource");
      const resource = requested || crypto.randomBytes(4).toString("hex"); // §7.6.1: server-generated
      this.jid = `${this.username}@${this.policy.domain}/${resource}`;
      const res = new Element("iq", { type: "result", id: el.attrs.id });
      res.c("bind", { xmlns: NS.bind }).c("jid").t(this.jid);
      this.conn.send(res);
      this.emit("server", { kind: "bound", jid: this.jid }, this.id);
      clearTimeout(this.negotiationTimer);
      this.handle = this.stanza;
      this.router.add(this);
      return;
    }
    this.conn.streamError("not-authorized", "bind a resource first"); // §7.3.1
  }

  private stanza(el: Element): void {
    if (el.getNS() !== NS.client || !["message", "presence", "iq"].includes(el.name)) {
      return this.conn.streamError("unsupported-stanza-type", `<${el.name}/>`); // §4.9.3.24
    }
    el.attrs.from = this.jid; // §8.1.2.1
    const to = el.attrs.to as string | undefined;
    if (el.name === "iq") return this.iq(el, to);
    if (!to || bare(to) === this.policy.domain) return; // presence to the server: noted, nothing to route
    const body = el.getChildText("body");
    if (el.name === "message" && body !== null) {
      this.emit("server", { kind: "message", what: "routed", from: this.jid, to, body }, this.id);
    }
    this.routeOrRefuse(el);
  }

  /**
   * RFC 6121 §8.5.2.2.1: a message or iq to an account that does not exist gets
   * <service-unavailable/> (presence is dropped); a full offline queue <resource-constraint/>.
   */
  private routeOrRefuse(el: Element): void {
    const routed = this.router.route(el);
    if (routed === "delivered" || routed === "queued" || el.name === "presence" || el.attrs.type === "error") return;
    if (el.name === "iq" && el.attrs.type !== "get" && el.attrs.type !== "set") return;
    const err = new Element(el.name, { type: "error", id: el.attrs.id, from: el.attrs.to, to: this.jid });
    const kind = routed === "no-such-user" ? ["cancel", "service-unavailable"] : ["wait", "resource-constraint"];
    err.c("error", { type: kind[0] }).c(kind[1], { xmlns: NS.stanzas });
    this.conn.send(err);
  }

  private iq(el: Element, to: string | undefined): void {
    if (to && bare(to) !== this.policy.domain && bare(to) !== bare(this.jid)) {
      this.routeOrRefuse(el);
      return;
    }
    if (el.attrs.type !== "get" && el.attrs.type !== "set") return;
    const child = (el.children as Element[]).find((c) => typeof c !== "string");
    const ns = child?.getNS();
    // Session (RFC 3921 legacy), roster and ping get an empty result: enough for real clients.
    if (ns === NS.session || ns === "jabber:iq:roster" || ns === "urn:xmpp:ping") {
      const res = new Element("iq", { type: "result", id: el.attrs.id, to: this.jid });
      if (ns === "jabber:iq:roster" && el.attrs.type === "get") res.c("query", { xmlns: "jabber:iq:roster" });
      return this.conn.send(res);
    }
    // §8.3.3.19: everything else is service-unavailable.
    const err = new Element("iq", { type: "error", id: el.attrs.id, to: this.jid });
    err.c("error", { type: "cancel" }).c("service-unavailable", { xmlns: NS.stanzas });
    this.conn.send(err);
  }

  private onClose(err: Error | null): void {
    clearTimeout(this.negotiationTimer);
    this.router.remove(this);
    this.emit("server", { kind: "closed", reason: err ? err.message : null }, this.id);
    this.onDone(this);
  }
}
