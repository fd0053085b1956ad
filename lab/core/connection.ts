import type net from "node:net";
import tls from "node:tls";
import type { Element } from "ltx";
import { LabError } from "./errors.js";
import type { Emit } from "./events.js";
import { headerXml, labelOf, streamErrorXml } from "./stanzas.js";
import { untilNotWhitespace } from "./tls-boundary.js";
import { type FramingCondition, XmlStreamParser } from "./xml-stream.js";

export interface ConnectionOptions {
  maxStanza?: number;
  conn?: string;
  /** No traffic either way for this long: <policy-violation/> (RFC 6120 §4.6.3). */
  idleMs?: number;
  /** A stanza or header begun must be complete within this (a slow-drip peer). */
  stanzaMs?: number;
  /** The receiving side's header, sent before a stream error if none was sent yet (§4.9.1.1). */
  responseHeader?: () => Record<string, string>;
}

export interface ConnectionHooks {
  onStreamStart(attrs: Record<string, string>): void;
  onElement(el: Element): void;
  onStreamEnd(): void;
  /** The socket closed (or errored); called once. */
  onClose(error: Error | null): void;
}

/**
 * One XMPP stream over a socket: framing in, serialisation out, stream errors, and the
 * STARTTLS upgrade with the injection rule. Used by the victim server and client; it reports
 * every stanza as an event so renderers never have to look inside.
 */
export class XmppConnection {
  socket: net.Socket;
  secure: boolean;
  private parser: XmlStreamParser;
  private upgrade: ((leftover: boolean, held: string) => void) | null = null;
  private closed = false;
  private closeError: Error | null = null;
  /** Our header for the current stream went out (a stream error needs one first, §4.9.1.1). */
  private headerSent = false;
  private slowTimer: NodeJS.Timeout | null = null;

  constructor(
    socket: net.Socket,
    private readonly node: string,
    private readonly emit: Emit,
    private readonly hooks: ConnectionHooks,
    private readonly opts: ConnectionOptions = {},
  ) {
    this.socket = socket;
    this.secure = socket instanceof tls.TLSSocket;
    this.parser = this.newParser();
    this.attach(socket);
  }

  get isClosed(): boolean {
    return this.closed;
  }

  sendHeader(attrs: Record<string, string>): void {
    this.headerSent = true;
    const xml = headerXml(attrs);
    this.emit(this.node, { kind: "stanza", dir: "out", label: "stream header", xml, secure: this.secure }, this.opts.conn);
    this.write(xml);
  }

  send(el: Element): void {
    const xml = el.toString();
    this.emit(this.node, { kind: "stanza", dir: "out", label: labelOf(el), xml, secure: this.secure }, this.opts.conn);
    this.write(xml);
  }

  /** RFC 6120 §4.9.1.1: send the error, close the stream, close the connection. */
  streamError(condition: FramingCondition | string, text?: string): void {
    if (this.closed) return;
    // §4.9.1.1: an error before our header still opens a stream, so the peer can read it.
    if (!this.headerSent && this.opts.responseHeader) this.sendHeader(this.opts.responseHeader());
    const xml = streamErrorXml(condition, text);
    // Two things cross, in one write: the error element, then the end of the stream. Reported as
    // two, as the peer (and anyone relaying) sees them.
    const end = "</stream:stream>";
    this.emit(this.node, { kind: "stanza", dir: "out", label: `stream error <${condition}/>`, xml: xml.slice(0, -end.length), secure: this.secure }, this.opts.conn);
    this.emit(this.node, { kind: "stanza", dir: "out", label: "close stream", xml: end, secure: this.secure }, this.opts.conn);
    this.write(xml);
    // A graceful close, so the peer can read the error (destroying with unread input would
    // send a reset); bounded, because a peer that broke the protocol may never close its side.
    this.socket.end();
    // Nothing more the peer sends is read: a peer that broke the protocol (say, mid-way through
    // a 20 MiB stanza) costs no more memory once it is refused. TCP holds the rest at its end.
    this.socket.pause();
    const socket = this.socket;
    setTimeout(() => socket.destroy(), 2000).unref();
  }

  /** Close our stream (§4.4) and the TCP connection once the peer is done with it. */
  endStream(): void {
    if (this.closed) return;
    this.emit(this.node, { kind: "stanza", dir: "out", label: "close stream", xml: "</stream:stream>", secure: this.secure }, this.opts.conn);
    this.write("</stream:stream>");
    this.socket.end();
  }

  /**
   * A stream error this side decided on (a deadline, a limit, bad framing): reported as an error
   * event, sent, and the stream is over for whoever waits on it, whatever the peer does next.
   */
  fail(condition: string, text: string, explain: string): void {
    if (this.closed) return;
    const err = new LabError("STREAM_" + condition.toUpperCase().replace(/-/g, "_"), text, explain, { detail: condition });
    this.emit(this.node, err.toEvent(), this.opts.conn);
    this.closeError ??= err; // the reason this connection ends, for whoever waits on it
    this.streamError(condition, text);
    this.onSocketClose();
  }

  destroy(err?: Error): void {
    if (err) this.closeError = err;
    this.socket.destroy();
  }

  /**
   * Call from inside onElement for `<starttls/>` (server) or `<proceed/>` (client). The rest of
   * the chunk is withheld; `then(leftover, held)` runs once the chunk is done, telling whether
   * any byte followed the element (and, as XML, what). RFC 6120 §5.4.3.3 (and CVE-2011-0411):
   * such bytes arrived before TLS and must never be processed as if they came over it.
   */
  upgradeAfterThisElement(then: (leftover: boolean, held: string) => void): void {
    this.parser.pause();
    this.upgrade = then;
  }

  /** Stop reading the plain socket so TLS can take it over. Returns the raw socket. */
  detach(): net.Socket {
    const raw = this.socket;
    raw.removeListener("data", this.onData);
    raw.removeListener("close", this.onSocketClose);
    raw.removeListener("error", this.onSocketError);
    raw.removeListener("timeout", this.onIdle);
    if (this.opts.idleMs) raw.setTimeout(0);
    return raw;
  }

  /**
   * Server side of STARTTLS, after <proceed/>: TLS starts at the client's first byte that is not
   * whitespace (tls-boundary.ts); `wrap` makes the TLS socket then, and the stream continues on
   * it. A client that hangs up first closes the connection as usual.
   */
  startTlsAsServer(wrap: (raw: net.Socket) => tls.TLSSocket): void {
    const raw = this.detach();
    void untilNotWhitespace(raw).then((ok) => {
      if (!ok || this.closed) return this.onSocketClose();
      this.attachSecure(wrap(raw));
    });
  }

  /** Continue on a TLS socket with a fresh parser: nothing learned before TLS is kept (§5.4.3.3). */
  attachSecure(socket: tls.TLSSocket): void {
    this.socket = socket;
    this.secure = true;
    this.headerSent = false; // a new stream (§5.4.3.3)
    this.parser = this.newParser();
    this.attach(socket);
  }

  /**
   * Process text as if it had just arrived on the socket. Only the lab server's STARTTLS
   * buffering bug calls this, with bytes that crossed in cleartext (see session.ts).
   */
  processAsReceived(text: string): string[] {
    const read: string[] = [];
    this.reading = read;
    try {
      this.parser.write(text);
    } finally {
      this.reading = null;
    }
    return read;
  }

  /** While processAsReceived runs: the labels of what the parser read from that text. */
  private reading: string[] | null = null;

  private newParser(): XmlStreamParser {
    return new XmlStreamParser(
      {
        onStreamStart: (attrs, header) => {
          this.emit(this.node, { kind: "stanza", dir: "in", label: "stream header", xml: headerXml(header.attrs), secure: this.secure }, this.opts.conn);
          this.reading?.push("stream header");
          this.hooks.onStreamStart(attrs);
        },
        onElement: (el) => {
          this.emit(this.node, { kind: "stanza", dir: "in", label: labelOf(el), xml: el.toString(), secure: this.secure }, this.opts.conn);
          this.reading?.push(labelOf(el));
          this.hooks.onElement(el);
        },
        onStreamEnd: () => {
          this.emit(this.node, { kind: "stanza", dir: "in", label: "close stream", xml: "</stream:stream>", secure: this.secure }, this.opts.conn);
          this.hooks.onStreamEnd();
        },
        onError: (condition, text) => this.fail(condition, text, framingExplain(condition, text)),
      },
      this.opts.maxStanza,
    );
  }

  private attach(socket: net.Socket): void {
    socket.on("data", this.onData);
    socket.on("close", this.onSocketClose);
    socket.on("error", this.onSocketError);
    if (this.opts.idleMs) {
      socket.setTimeout(this.opts.idleMs);
      socket.on("timeout", this.onIdle);
    }
  }

  private readonly onIdle = () => {
    const s = Math.round(this.opts.idleMs! / 1000);
    // §4.6.3: an idle peer may be closed with <policy-violation/> under a local timeout policy.
    this.fail("policy-violation", `idle for ${s} s`, `Nothing crossed the stream for ${s} s, so it was closed (RFC 6120 §4.6.3).`);
  };

  /** A stanza begun and not finished starts the slow-peer clock; finishing it stops it. */
  private watchSlowPeer(): void {
    if (!this.opts.stanzaMs || this.closed) return;
    if (!this.parser.holdsPartial) {
      if (this.slowTimer) clearTimeout(this.slowTimer);
      this.slowTimer = null;
    } else if (!this.slowTimer) {
      this.slowTimer = setTimeout(() => {
        const s = Math.round(this.opts.stanzaMs! / 1000);
        this.fail("policy-violation", `a stanza took longer than ${s} s to arrive`, `The peer sent part of a stanza and then too little for ${s} s; a slow drip cannot hold a connection open forever.`);
      }, this.opts.stanzaMs);
      this.slowTimer.unref();
    }
  }

  private write(data: string): void {
    if (!this.socket.destroyed && this.socket.writable) this.socket.write(data);
  }

  private readonly onData = (chunk: Buffer) => {
    try {
      this.parser.write(chunk);
    } catch (err) {
      // A node's handler that trips over odd input ends this stream, never the process (a
      // stanza is what the peer chose to send; the program's bug is ours to report).
      const condition = this.opts.responseHeader ? "internal-server-error" : "undefined-condition"; // §4.9.3.8, §4.9.3.21
      return this.fail(condition, `could not process what the peer sent: ${(err as Error).message}`, `${this.node} failed on an element the peer sent (${(err as Error).message}) and closed that stream; everything else goes on.`);
    }
    this.watchSlowPeer();
    const upgrade = this.upgrade;
    if (upgrade) {
      this.upgrade = null;
      // §5.3.3 forbids whitespace after <starttls/> and <proceed/>, but it carries no command
      // (go-sendxmpp sends a newline; Prosody discards it): only other data is an injection.
      upgrade(this.parser.leftover() === "data", this.parser.heldAfterPause());
    }
  };

  private readonly onSocketError = (err: Error) => {
    this.closeError ??= err;
    // A TLS record error after the handshake (bad record MAC) leaves Node's TLSSocket open;
    // the stream cannot continue, so close it now rather than let the peer wait.
    this.socket.destroy();
  };

  private readonly onSocketClose = () => {
    if (this.closed) return;
    this.closed = true;
    if (this.slowTimer) clearTimeout(this.slowTimer);
    this.hooks.onClose(this.closeError);
  };
  // (called by the socket's 'close', or early by a framing error; once either way)
}

function framingExplain(condition: string, text: string): string {
  switch (condition) {
    case "restricted-xml":
      return `The peer sent a ${text}, which XMPP forbids (RFC 6120 §11.1); the stream was closed.`;
    case "policy-violation":
      return `The peer sent a ${text}; the stream was closed to protect memory.`;
    case "not-well-formed":
      return `The peer sent XML that is not well-formed (${text}); the stream was closed.`;
    default:
      return `Stream error <${condition}/>: ${text}`;
  }
}
