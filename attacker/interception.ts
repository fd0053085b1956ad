import { StringDecoder } from "node:string_decoder";
import type net from "node:net";
import type { Element } from "ltx";
import { Element as El } from "ltx";
import type { Direction, Edit, Emit, LabEventBody, LootItem, Move, ReadContext } from "../lab/core/events.js";
import { NS } from "../lab/core/ns.js";
import { headerXml, labelOf, mechanismsOf } from "../lab/core/stanzas.js";
import { certFacts, type Identity, type KeyLog, tidyOpenSsl } from "../lab/core/tls.js";
import { crackScram } from "../lab/core/sasl/crack.js";
import { XmlStreamParser } from "../lab/core/xml-stream.js";
import { scanBoundary } from "./boundary.js";
import { TacticLedger } from "./ledger.js";
import { LootCollector } from "./loot.js";
import { sealedRelay } from "./sealed.js";
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
  keylog?: KeyLog;
  /** crack: the words to guess with, in order. */
  wordlist: readonly string[];
}

type Item = { xml: string };

/** One direction of the XML relay: what arrived, not yet forwarded, and whether it changed. */
interface Pipe {
  dir: Direction;
  from: net.Socket;
  to: net.Socket;
  decoder: StringDecoder;
  parser: XmlStreamParser;
  pending: string;
  items: Item[];
  changed: boolean;
  /** Depth at offset `scanned` of `pending`, for the boundary scanner. */
  depth: number;
  /** How far into `pending` the boundary scanner has read (it resumes at an incomplete tag). */
  scanned: number;
  /** A special move took this direction over (its rest is not forwarded as is). */
  suspended: boolean;
}

/** Tactics that read every element: while one is on, mallory keeps parsing (a user's tactic may act on anything). */
const READERS: readonly TacticName[] = ["observe", "loot", "tamper", "custom"];

/**
 * One client connection through mallory. Bytes are parsed a chunk at a time and forwarded as
 * they came unless a tactic changed an element in that chunk, in which case the chunk's
 * elements are re-serialised. A partial element is held until it completes. The special
 * moves (answer TLS, STARTTLS toward the server, going sealed) swap the sockets underneath.
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

  /** `by`: whose socket closed; none when mallory herself ends the connection. */
  close(by?: "client" | "server"): void {
    if (this.closed) return;
    this.closed = true;
    this.closedBy = by ?? null;
    this.client.destroy();
    this.server.destroy();
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
    if (clientFailed !== null || this.closedBy === "client") {
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
    const p: Pipe = { dir, from, to, decoder: new StringDecoder("utf8"), parser: null!, pending: "", items: [], changed: false, depth: 0, scanned: 0, suspended: false };
    p.parser = new XmlStreamParser({
      onStreamStart: (attrs, header) => this.onHeader(p, attrs, header),
      onElement: (el) => this.onElement(p, el),
      onStreamEnd: () => p.items.push({ xml: "</stream:stream>" }),
      onError: () => {
        // Not mallory's job to police XML: from here on, this direction is a plain byte relay.
        this.flush(p, true);
        from.removeAllListeners("data");
        from.pipe(to);
      },
    }, 16 * 1024 * 1024);
    from.removeAllListeners("data");
    from.on("data", (chunk: Buffer) => this.onData(p, chunk));
    from.resume();
    return p;
  }

  private onData(p: Pipe, chunk: Buffer): void {
    const text = p.decoder.write(chunk);
    p.pending += text;
    p.parser.write(text);
    if (p.parser.hasFailed || p.suspended) return;
    // Forward up to the end of the last complete element; hold only the partial one after it.
    const from = p.scanned;
    const b = scanBoundary(p.pending.slice(from), p.depth);
    p.depth = b.depth;
    p.scanned = from + b.resume;
    // No boundary in the new text means no element completed in it: nothing to forward yet.
    if (b.at > 0) this.flush(p, false, from + b.at);
    if (this.goRaw) this.byteRelay();
  }

  /** Forward what arrived: as it came, or re-serialised if a tactic changed part of it. */
  private flush(p: Pipe, raw: boolean, upTo = p.pending.length): void {
    const out = p.changed && !raw ? p.items.map((i) => i.xml).join("") : p.pending.slice(0, upTo);
    p.pending = p.pending.slice(upTo);
    p.scanned = Math.max(0, p.scanned - upTo);
    p.items = [];
    p.changed = false;
    if (out && !p.to.destroyed) p.to.write(out);
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
    p.items.push({ xml });
    this.emit({ kind: "relay", dir: p.dir, context: this.readContext(), label: "stream header", xml, edits: [], original: null });
  }

  private onElement(p: Pipe, el: Element): void {
    const original = el.toString();
    const where: Where = { dir: p.dir, context: this.readContext(), stage: this.stage };
    if (p.dir === "c2s") {
      this.loot.fromClient(el);
      if (el.name === "message" && el.getChild("body")) this.ledger.messageSeen();
      if (el.name === "starttls" && el.getNS() === NS.tls && this.strippedStartTls) {
        // The client asks for TLS although we hid it (RFC 7590 §3.1): refuse in the server's name.
        this.move("strip-starttls", { type: "starttls-refused" });
        this.ledger.startTlsRefused();
        p.changed = true;
        this.client.end(new El("failure", { xmlns: NS.tls }).toString() + "</stream:stream>");
        return;
      }
    } else {
      this.loot.fromServer(el);
      if (el.name === "proceed" && el.getNS() === NS.tls) return this.onProceed(p, el, original);
    }
    const { out, edits, append, sslstrip } = this.applyTactics(el, where);
    for (const e of edits) {
      if (e.op === "rewrote-body") this.found({ type: "message-tampered", to: (el.attrs.to as string) ?? null, sent: e.before, delivered: e.after });
    }
    if (p.dir === "s2c" && el.name === "success" && el.getNS() === NS.sasl) this.stage = "post-auth"; // RFC 6120 §6.3.2
    if (sslstrip) {
      this.emit({ kind: "relay", dir: p.dir, context: where.context, label: labelOf(el), xml: "", edits, original });
      p.changed = true; // the features are withheld: the client gets the post-TLS ones instead
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
      p.changed = true;
      this.emit({ kind: "relay", dir: p.dir, context: where.context, label: labelOf(el), xml: "", edits, original });
      return;
    }
    const xml = (out === el ? original : out.toString()) + append;
    if (out !== el || append) p.changed = true;
    p.items.push({ xml });
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

  private onProceed(p: Pipe, el: Element, original: string): void {
    p.parser.pause();
    p.suspended = true;
    p.items.push({ xml: original });
    this.emit({ kind: "relay", dir: p.dir, context: this.readContext(), label: labelOf(el), xml: original, edits: [], original: null });
    this.flush(p, true);
    if (this.has("intercept-tls") && this.cfg.identity) this.moves.push(this.interceptTls(null, "starttls"));
    else this.sealed(null);
  }

  /** Nothing left to parse: forward what is held, then pipe bytes both ways untouched. */
  private byteRelay(): void {
    this.goRaw = false;
    for (const p of [this.c2s, this.s2c]) {
      this.flush(p, true);
      p.suspended = true;
      p.from.removeAllListeners("data");
      p.from.pipe(p.to);
    }
    this.move(null, { type: "byte-relay" });
    this.context = "byte-relay";
  }

  /** sslstrip's move: STARTTLS with the server, then show the client its post-TLS features in clear. */
  private async sslstrip(p: Pipe, because: "server-requires-tls" | "no-mechanisms-before-tls"): Promise<void> {
    this.flush(p, false);
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
      this.s2c.depth = 1;
      this.onElement(this.s2c, features);
      this.s2c.changed = true; // the features are forwarded from items: nothing raw is pending
      this.flush(this.s2c, false);
    } catch (err) {
      this.move("strip-starttls", { type: "upstream-starttls-failed", error: tidyOpenSsl((err as Error).message) });
      this.close();
    }
  }
}
