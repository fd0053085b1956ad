import type net from "node:net";
import tls from "node:tls";
import { Element } from "ltx";
import { XmppConnection } from "../lab/core/connection.js";
import { asLabError, LabError } from "../lab/core/errors.js";
import { type Emit, noEmit } from "../lab/core/events.js";
import { assertLoopback, formatHostPort as fmt, type HostPort } from "../lab/core/net.js";
import { NS } from "../lab/core/ns.js";
import { encodePlain } from "../lab/core/sasl/plain.js";
import { isPlus, parseAttributes, ScramClient, scramHash, ScramIterationsError } from "../lab/core/sasl/scram.js";
import { ssdpHash } from "../lab/core/sasl/ssdp.js";
import {
  b64, bare, channelBindingTypesOf, clientHeaderAttrs, domainpart, localpart, mechanismsOf, messageEl, saslEl, unb64,
} from "../lab/core/stanzas.js";
import {
  certFacts, channelBindingData, checkPeer, chooseChannelBinding, clientRandomOf, clientTlsOptions, explainTlsError, nameMismatch, type ChannelBindingType, type KeyLog, type VerifyPolicy,
} from "../lab/core/tls.js";
import { chooseMechanism, DEFAULT_PREFERENCE, missingPinned } from "./mechanisms.js";
import { ElementQueue } from "./queue.js";
import { handshake, openTcp } from "./sockets.js";
import { withoutLeadingWhitespace } from "../lab/core/tls-boundary.js";
import { refuse, toldOf } from "./refusals.js";

export type ClientTlsMode = "off" | "opportunistic" | "required" | "direct";

/** alice's defences are these options; each maps to a real client's setting (docs/scenarios.md). */
export interface ClientOptions {
  name?: string;
  jid: string;
  password: string;
  resource?: string;
  connect: HostPort;
  tls: ClientTlsMode;
  /** With tls "direct": when the direct-TLS port cannot be reached, try STARTTLS here (XEP-0368 fallback). */
  fallback?: HostPort;
  /**
   * How the fallback does STARTTLS: "opportunistic" (if offered - strippable again) or
   * "required" (Gajim's fallback: STARTTLS or nothing, with the same certificate checks).
   */
  fallbackTls?: "opportunistic" | "required";
  verify: VerifyPolicy;
  /** Preference order (RFC 6120 §6.3.3: the client's own order). */
  mechanisms?: string[];
  /** Support SCRAM -PLUS channel binding (RFC 5802 §6, RFC 9266). */
  channelBinding?: boolean;
  /** The channel-binding types alice uses, in her order of preference (default: all she knows). */
  channelBindingTypes?: ChannelBindingType[];
  /**
   * Mechanism pinning: what lab.example offered on an earlier login. A login that would be
   * weaker than what alice would have picked from this list is refused (RFC 6120 §13.9.4's
   * downgrade; XEP-0474 §6: once SCRAM was used, never PLAIN again).
   */
  rememberedMechanisms?: string[];
  /** XEP-0474: check the server's h= in SCRAM's server-first against the features alice saw. */
  downgradeProtection?: boolean;
  /** Send PLAIN without TLS (RFC 6120 §13.8.3 says never; old clients did). */
  allowPlainWithoutTls?: boolean;
  timeoutMs?: number;
  emit?: Emit;
  /** Write this client's TLS secrets for Wireshark (tls.ts KeyLog). */
  keylog?: KeyLog;
  /** Safety (DESIGN §5): connect only to loopback unless this is set. */
  allowNonLoopback?: boolean;
}

export { DEFAULT_PREFERENCE } from "./mechanisms.js";

export interface ReceivedMessage {
  from: string;
  body: string;
}

export interface ClientSession {
  readonly jid: string;
  readonly received: ReceivedMessage[];
  send(to: string, body: string): void;
  /** Resolves when `n` messages have arrived in all (bounded by the client's timeout). */
  waitForMessages(n: number): Promise<ReceivedMessage[]>;
  close(): Promise<void>;
}

export interface VictimClient {
  start(): Promise<ClientSession>;
  stop(): void;
}

export function createClient(options: ClientOptions): VictimClient {
  const c = new XmppClient(options);
  return { start: () => c.run(), stop: () => c.destroy() };
}

class XmppClient implements ClientSession {
  jid = "";
  readonly received: ReceivedMessage[] = [];
  private readonly name: string;
  private readonly emit: Emit;
  private readonly domain: string;
  private readonly timeout: number;
  private conn: XmppConnection | null = null;
  private queue = new ElementQueue();
  private stage = "connecting";
  /** The TLS mode of the current attempt (the fallback changes it). */
  private mode: ClientTlsMode = "off";
  private proceedLeftover = false;
  private serverCertDer: Buffer | null = null;
  private inSession = false;
  private messageWaiters: Array<() => void> = [];
  private closedPromise: Promise<void> | null = null;
  private resolveClosed: () => void = () => {};
  private idCounter = 0;

  constructor(private readonly o: ClientOptions) {
    this.name = o.name ?? localpart(o.jid) ?? "client";
    this.emit = o.emit ?? noEmit;
    this.domain = domainpart(o.jid);
    this.timeout = o.timeoutMs ?? 5000;
  }

  async run(): Promise<ClientSession> {
    for (const hp of [this.o.connect, this.o.fallback]) if (hp) assertLoopback(hp.host, "client --connect", !!this.o.allowNonLoopback);
    try {
      await this.connectWithFallback();
      await this.negotiate();
      return this;
    } catch (err) {
      const e = toldOf(asLabError(err), this.name);
      this.emit(this.name, e.toEvent());
      this.destroy();
      throw e;
    }
  }

  destroy(): void {
    this.conn?.destroy();
  }

  // ---- connecting ------------------------------------------------------------------------

  private async connectWithFallback(): Promise<void> {
    if (this.o.tls !== "direct" || !this.o.fallback) return this.connect(this.o.connect, this.o.tls);
    const fallbackTls = this.o.fallbackTls ?? "opportunistic";
    try {
      await this.connect(this.o.connect, "direct");
    } catch (err) {
      const e = asLabError(err);
      // Fall back only when direct TLS could not be reached; a certificate refusal stays a refusal.
      if (!["CONNECT_FAILED", "TLS_ABORTED", "TLS_FAILED", "TIMEOUT"].includes(e.code)) throw e;
      this.emit(this.name, { kind: "decision", decision: { type: "fallback", from: fmt(this.o.connect), to: fmt(this.o.fallback), code: e.code, tls: fallbackTls } });
      await this.connect(this.o.fallback, fallbackTls);
    }
  }

  private async connect(hp: HostPort, mode: ClientTlsMode): Promise<void> {
    this.mode = mode;
    this.queue = new ElementQueue();
    const socket = mode === "direct" ? await this.connectTls(hp) : await this.connectTcp(hp);
    this.conn = new XmppConnection(socket, this.name, this.emit, {
      onStreamStart: (attrs) => this.queue.push(new Element("stream:stream", attrs)),
      onElement: (el) => this.onElement(el),
      onStreamEnd: () => {
        this.queue.fail(refuse.closed(this.stage));
        this.conn?.endStream();
      },
      onClose: (err) => {
        this.queue.fail(err ? explainTlsError(err) : refuse.closed(this.stage));
        this.emit(this.name, { kind: "closed", reason: err?.message ?? null });
        this.resolveClosed();
        for (const w of this.messageWaiters) w();
      },
    });
  }

  private async connectTcp(hp: HostPort): Promise<net.Socket> {
    const s = await openTcp(hp, this.timeout);
    this.emit(this.name, { kind: "connected", peer: fmt(hp), via: "tcp" });
    return s;
  }

  private async connectTls(hp: HostPort): Promise<tls.TLSSocket> {
    const s = await handshake({ host: hp.host, port: hp.port, ...clientTlsOptions(this.o.verify, this.domain) }, fmt(hp), this.timeout, this.o.keylog);
    this.emit(this.name, { kind: "connected", peer: fmt(hp), via: "tls" });
    const refused = this.reportTls(s, "direct");
    if (refused) throw (s.destroy(), refused);
    return s;
  }

  /** Emit what the handshake showed; return the refusal if the policy says no. */
  private reportTls(s: tls.TLSSocket, how: "starttls" | "direct"): LabError | null {
    const peer = s.getPeerX509Certificate(); // once only: see checkPeer
    this.serverCertDer = peer?.raw ?? null;
    const refused = checkPeer(peer, this.o.verify);
    const mode = this.o.verify.mode;
    this.emit(this.name, {
      kind: "tls", role: "client", how,
      protocol: s.getProtocol(), cipher: s.getCipher()?.name ?? null,
      peerCert: peer ? certFacts(peer) : null, localCert: null,
      authorized: mode === "none" ? null : s.authorized,
      authorizationError: s.authorizationError ? String(s.authorizationError) : null,
      clientRandom: clientRandomOf(s),
      verify: mode,
      pinMatched: mode === "pin" ? refused === null : null,
    });
    const wrongName = mode === "chain" && peer ? nameMismatch(peer, this.domain) : null;
    if (wrongName) {
      this.emit(this.name, { kind: "decision", decision: { type: "name-not-checked", certName: wrongName, domain: this.domain } });
    }
    if (mode === "none" && !s.authorized) {
      this.emit(this.name, { kind: "decision", decision: { type: "unverified-certificate-accepted", error: s.authorizationError ? String(s.authorizationError) : null } });
    }
    return refused;
  }

  private onElement(el: Element): void {
    if (el.name === "stream:error") {
      const cond = (el.children as Element[]).find((c) => typeof c !== "string" && c.name !== "text");
      this.queue.fail(refuse.streamError(cond?.name ?? "undefined-condition", el.getChildText("text", NS.streams)));
      return;
    }
    if (this.inSession) return this.onSessionStanza(el);
    if (el.name === "proceed" && el.getNS() === NS.tls) {
      this.conn!.upgradeAfterThisElement((leftover) => {
        this.proceedLeftover = leftover;
        this.queue.push(el);
      });
      return;
    }
    this.queue.push(el);
  }

  private next(waiting: string): Promise<Element> {
    this.stage = waiting;
    return this.queue.next(this.timeout, () => refuse.timeout(waiting, this.timeout));
  }

  /**
   * The next element, which must be one of `names` in namespace `ns`: a look-alike in another
   * namespace (`<proceed xmlns='urn:evil'/>`) is another element (RFC 6120 §4.8, §5.4.2.3).
   */
  private async expect(waiting: string, ns: string, ...names: string[]): Promise<Element> {
    const el = await this.next(waiting);
    const elNs = el.getNS();
    if (!names.includes(el.name) || elNs !== ns) throw refuse.unexpected({ name: el.name, ns: elNs }, names.map((n) => `<${n}/>`).join(" or ") + ` in ${ns}`);
    return el;
  }

  // ---- negotiation (RFC 6120 §4.3): TLS, then SASL, then bind - in that order ------------

  private async negotiate(): Promise<void> {
    let features = await this.openStream();
    if (!this.conn!.secure && (this.mode === "opportunistic" || this.mode === "required")) {
      features = await this.startTls(features);
    }
    await this.authenticate(features);
    features = await this.openStream();
    await this.bind(features);
    this.conn!.send(new Element("presence"));
    this.inSession = true;
    // A server may send stanzas right behind the bind result, in the same read.
    for (const el of this.queue.drain()) this.onSessionStanza(el);
  }

  private async openStream(): Promise<Element> {
    // §4.7.1: keep the JID private until the stream is encrypted.
    this.conn!.sendHeader(clientHeaderAttrs(this.domain, this.conn!.secure ? this.o.jid : undefined));
    const header = await this.expect("opening the stream", NS.stream, "stream:stream");
    this.checkHeader(header.attrs as Record<string, string>);
    return this.expect("waiting for stream features", NS.stream, "stream:features");
  }

  /** The response header: XMPP 1.0 (§4.7.5) with jabber:client content (§4.8.2). */
  private checkHeader(attrs: Record<string, string>): void {
    const m = /^0*(\d+)\.0*(\d+)$/.exec(attrs.version ?? "");
    // §4.7.5: no version means 0.9 - no features, no SASL, no TLS negotiation as alice knows it.
    if (!m || Number(m[1]) < 1) {
      const text = `the server speaks XMPP ${attrs.version ?? "0.9 (no version attribute)"}; alice needs 1.0`;
      this.conn!.streamError("unsupported-version", text);
      throw new LabError("STREAM_UNSUPPORTED_VERSION", text, "The server's stream header announced a version of XMPP older than 1.0, which has no stream features; alice closed the stream (RFC 6120 §4.7.5).");
    }
    if (attrs.xmlns !== NS.client) {
      const text = `content namespace ${attrs.xmlns ?? "(none)"}, not ${NS.client}`;
      this.conn!.streamError("invalid-namespace", text);
      throw new LabError("STREAM_INVALID_NAMESPACE", text, "The server's stream header declared the wrong content namespace; alice closed the stream (RFC 6120 §4.8.2).");
    }
  }

  private async startTls(features: Element): Promise<Element> {
    const offered = features.getChild("starttls", NS.tls);
    if (!offered && this.mode === "opportunistic") {
      this.emit(this.name, { kind: "decision", decision: { type: "cleartext-without-starttls" } });
      return features;
    }
    if (!offered) {
      // RFC 7590 §3.1: <starttls/> may have been stripped; a client MUST NOT be deterred - try anyway.
      this.emit(this.name, { kind: "decision", decision: { type: "starttls-anyway" } });
    }
    this.conn!.send(new Element("starttls", { xmlns: NS.tls }));
    const answer = await this.expect("waiting for <proceed/>", NS.tls, "proceed", "failure");
    if (answer.name === "failure") {
      // §5.4.2.2: <failure/> ends the stream; a client that requires TLS goes no further.
      if (this.mode === "required") throw refuse.startTlsFailed(!!offered);
      throw refuse.closed("negotiating STARTTLS");
    }
    // §5.4.3.3: nothing that arrived before TLS may be processed after it - neither data behind
    // <proceed/> in its read nor anything still queued.
    if (this.proceedLeftover || this.queue.drain().length) throw refuse.proceedInjection();
    // §5.3.3: whitespace the server sent after <proceed/> in a later read is dropped too.
    const raw = withoutLeadingWhitespace(this.conn!.detach());
    const secure = await handshake({ socket: raw, ...clientTlsOptions(this.o.verify, this.domain) }, "the server", this.timeout, this.o.keylog);
    const refused = this.reportTls(secure, "starttls");
    if (refused) throw (secure.destroy(), refused);
    this.conn!.attachSecure(secure);
    // §5.4.3.3: everything learned before TLS is discarded; negotiate again from the header.
    return this.openStream();
  }

  /** XEP-0440 or the TLS version's default (tls.ts chooseChannelBinding), reported with its reason. */
  private bindingType(announced: string[], plusOffered: boolean): ChannelBindingType | null {
    const choice = chooseChannelBinding(this.conn!.socket as tls.TLSSocket, announced, this.serverCertDer, this.o.channelBindingTypes);
    if (plusOffered) {
      const protocol = (this.conn!.socket as tls.TLSSocket).getProtocol();
      this.emit(this.name, { kind: "decision", decision: { type: "channel-binding", binding: choice.type, basis: choice.basis, announced, protocol } });
    }
    return choice.type;
  }

  private async authenticate(features: Element): Promise<void> {
    const offered = mechanismsOf(features);
    const secure = this.conn!.secure;
    const cbTypes = channelBindingTypesOf(features);
    const cbType = secure && this.o.channelBinding ? this.bindingType(cbTypes, offered.some(isPlus)) : null;
    if (this.o.rememberedMechanisms) {
      const missing = missingPinned(this.o.rememberedMechanisms, offered, { preference: this.o.mechanisms, channelBinding: !!this.o.channelBinding });
      if (missing.length) throw refuse.mechanismDowngrade(missing, offered);
    }
    const preference = this.o.mechanisms ?? DEFAULT_PREFERENCE;
    const choice = chooseMechanism(offered, secure, cbType !== null, { preference, allowPlainWithoutTls: this.o.allowPlainWithoutTls });
    if (typeof choice !== "string") throw choice;
    const mech = choice;
    this.emit(this.name, { kind: "decision", decision: { type: "mechanism", chosen: mech, offered, preference, secure } });
    const username = localpart(this.o.jid);
    if (mech === "PLAIN") {
      this.conn!.send(saslEl("auth", { mechanism: "PLAIN" }, encodePlain(username, this.o.password)));
      return this.saslOutcome(mech, username, null);
    }
    const binding = isPlus(mech) ? { type: cbType!, data: channelBindingData(this.conn!.socket as tls.TLSSocket, cbType!, this.serverCertDer)! } : undefined;
    const scram = new ScramClient(mech, username, this.o.password, {
      binding,
      bindingSupported: !!this.o.channelBinding && secure && !offered.some(isPlus),
    });
    this.conn!.send(saslEl("auth", { mechanism: mech }, b64(scram.clientFirst())));
    const challenge = await this.expect("waiting for the SCRAM challenge", NS.sasl, "challenge", "failure");
    if (challenge.name === "failure") {
      // Refused at the first message: no binding data and no proof has been sent yet, so this
      // is the server declining the binding *type* (RFC 5802 §7 unsupported-channel-binding-type),
      // not a binding that failed to match - nothing here points at anyone in the middle.
      if (binding) return this.bindingRefused(mech, username, binding.type, challenge);
      return this.saslFailure(mech, username, challenge);
    }
    const serverFirst = unb64(challenge.getText());
    if (this.o.downgradeProtection) this.checkDowngradeHash(mech, serverFirst, offered, features);
    let clientFinal: string;
    try {
      clientFinal = await scram.clientFinal(serverFirst);
    } catch (err) {
      this.conn!.send(saslEl("abort")); // RFC 6120 §6.4.4
      if (err instanceof ScramIterationsError) throw refuse.scramIterations(err.iterations, err.bounds);
      throw new LabError("SCRAM_BAD_CHALLENGE", (err as Error).message, "The server's SCRAM challenge was malformed; alice stopped.");
    }
    this.conn!.send(saslEl("response", {}, b64(clientFinal)));
    return this.saslOutcome(mech, username, scram);
  }

  /**
   * XEP-0474 §4.2: recompute the hash of what the server advertised from the features alice saw
   * and compare it with h=; on a mismatch fail before sending any proof. A server that sends no
   * h= does not implement it (an h= removed on the way breaks the proof instead, RFC 5802 §3).
   */
  private checkDowngradeHash(mech: string, serverFirst: string, offered: string[], features: Element): void {
    const h = parseAttributes(serverFirst).get("h");
    if (h === undefined) {
      this.emit(this.name, { kind: "decision", decision: { type: "downgrade-hash", result: "absent", channelBinding: false } });
      return;
    }
    const cb = features.getChild("sasl-channel-binding", NS.saslChannelBinding) ? channelBindingTypesOf(features) : null;
    const mine = ssdpHash(offered, cb, scramHash(mech));
    if (mine !== h) {
      this.conn!.send(saslEl("abort")); // RFC 6120 §6.4.4
      throw refuse.downgradeHash(offered, cb);
    }
    this.emit(this.name, { kind: "decision", decision: { type: "downgrade-hash", result: "match", channelBinding: !!cb } });
  }

  private async saslOutcome(mech: string, username: string, scram: ScramClient | null): Promise<void> {
    const el = await this.expect("waiting for the SASL outcome", NS.sasl, "success", "failure");
    if (el.name === "failure") return this.saslFailure(mech, username, el);
    if (scram && !scram.verifyServerFinal(unb64(el.getText()))) throw refuse.serverSignature();
    this.emit(this.name, { kind: "auth", mechanism: mech, username, ok: true, reason: null, condition: null });
  }

  private saslFailure(mech: string, username: string, el: Element): never {
    const cond = (el.children as Element[]).find((c) => typeof c !== "string" && c.name !== "text")?.name ?? "not-authorized";
    this.emit(this.name, { kind: "auth", mechanism: mech, username, ok: false, reason: null, condition: cond });
    throw refuse.authFailed(cond);
  }

  private bindingRefused(mech: string, username: string, type: string, el: Element): never {
    const cond = (el.children as Element[]).find((c) => typeof c !== "string" && c.name !== "text")?.name ?? "not-authorized";
    this.emit(this.name, { kind: "auth", mechanism: mech, username, ok: false, reason: null, condition: cond });
    throw refuse.bindingRefused(type, (this.conn!.socket as tls.TLSSocket).getProtocol(), el.getChildText("text"));
  }

  private async bind(features: Element): Promise<void> {
    if (!features.getChild("bind", NS.bind)) throw new LabError("NO_BIND", "no <bind/> offered", "The server did not offer resource binding.");
    const iq = new Element("iq", { type: "set", id: "bind-1" });
    iq.c("bind", { xmlns: NS.bind }).c("resource").t(this.o.resource ?? "lab");
    this.conn!.send(iq);
    const res = await this.expect("binding a resource", NS.client, "iq");
    const jid = res.getChild("bind", NS.bind)?.getChildText("jid");
    if (res.attrs.type !== "result" || !jid) throw new LabError("BIND_FAILED", "resource binding failed", "The server refused to bind a resource.");
    // §7.6.1: the full JID is alice's bare JID with a resource; anything else is not her session.
    if (bare(jid).toLowerCase() !== this.o.jid.toLowerCase() || !jid.slice(this.o.jid.length + 1)) throw refuse.wrongJid(jid, this.o.jid);
    this.jid = jid;
    this.emit(this.name, { kind: "bound", jid });
  }

  // ---- the session -------------------------------------------------------------------------

  private onSessionStanza(el: Element): void {
    if (el.name !== "message") return;
    const body = el.getChildText("body");
    if (body === null) return;
    const from = (el.attrs.from as string) ?? "";
    this.received.push({ from, body });
    this.emit(this.name, { kind: "message", what: "received", from, to: this.jid, body });
    for (const w of this.messageWaiters) w();
  }

  send(to: string, body: string): void {
    this.emit(this.name, { kind: "message", what: "sent", from: this.jid, to, body });
    this.conn!.send(messageEl(to, body, `m${++this.idCounter}`));
  }

  waitForMessages(n: number): Promise<ReceivedMessage[]> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, this.timeout);
      const check = () => {
        if (this.received.length >= n || this.conn?.isClosed) done();
      };
      function done() {
        clearTimeout(timer);
        resolve(self.received);
      }
      const self = this;
      this.messageWaiters.push(check);
      check();
    });
  }

  close(): Promise<void> {
    if (!this.conn || this.conn.isClosed) return Promise.resolve();
    this.closedPromise ??= new Promise<void>((resolve) => {
      this.resolveClosed = resolve;
      const timer = setTimeout(() => this.conn?.destroy(), this.timeout);
      timer.unref();
    });
    this.conn.endStream();
    return this.closedPromise;
  }
}
