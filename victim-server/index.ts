import crypto, { X509Certificate } from "node:crypto";
import net from "node:net";
import tls from "node:tls";
import type { Emit } from "../lab/core/events.js";
import { noEmit } from "../lab/core/events.js";
import { LAB_DOMAIN, NS } from "../lab/core/ns.js";
import { streamErrorXml } from "../lab/core/stanzas.js";
import { assertLoopback, closeServer, type HostPort, listen } from "../lab/core/net.js";
import type { ChannelBindingType, Identity, KeyLog } from "../lab/core/tls.js";
import { noteClientRandom, serverContext, serverTlsOptions, tidyOpenSsl } from "../lab/core/tls.js";
import type { Accounts } from "./accounts.js";
import { DEFAULT_LIMITS, type ServerLimits } from "./limits.js";
import { Router } from "./router.js";
import { ServerSession, type ServerTlsMode } from "./session.js";

export { Accounts, accountsFrom } from "./accounts.js";
export { DEFAULT_LIMITS, type ServerLimits } from "./limits.js";
export type { ServerTlsMode } from "./session.js";

export const DEFAULT_MECHANISMS = ["SCRAM-SHA-256-PLUS", "SCRAM-SHA-1-PLUS", "SCRAM-SHA-256", "SCRAM-SHA-1", "PLAIN"];

export interface ServerOptions {
  domain?: string;
  /** The main listener's TLS: none, STARTTLS offered or required, or TLS from the first byte. */
  tls: ServerTlsMode;
  /** An extra listener for TLS from the first byte next to a STARTTLS one (XEP-0368). */
  directTls?: HostPort;
  listen?: HostPort;
  identity?: Identity;
  accounts: Accounts;
  mechanisms?: string[];
  channelBindingTypes?: ChannelBindingType[];
  /** Announce the types with XEP-0440 (default). Prosody 0.12 and ejabberd 23.01 announce none. */
  announceChannelBindings?: boolean;
  /** XEP-0474: h= in SCRAM's server-first, so a client can detect a changed mechanism list. */
  downgradeProtection?: boolean;
  /** The STARTTLS buffering bug, off by default (CVE-2011-0411 class; session.ts). */
  starttlsBufferingBug?: boolean;
  /** Cap the TLS version, e.g. "TLSv1.2" to show tls-unique (RFC 5929 §3.1). */
  tlsMaxVersion?: "TLSv1.2" | "TLSv1.3";
  allowPlainCleartext?: boolean;
  /** Same as limits.maxStanza (kept for existing callers). */
  maxStanza?: number;
  /** Sizes, retries, timeouts and caps; each defaults to DEFAULT_LIMITS (limits.ts). */
  limits?: Partial<ServerLimits>;
  allowNonLoopback?: boolean;
  emit?: Emit;
  /** Write the server's TLS secrets for Wireshark (tls.ts KeyLog). */
  keylog?: KeyLog;
}

export interface VictimServer {
  start(): Promise<{ port: number; directTlsPort: number | null }>;
  stop(): Promise<void>;
}

/** The toy XMPP server `lab.example`: its defences are its options. */
export function createServer(options: ServerOptions): VictimServer {
  const emit = options.emit ?? noEmit;
  const domain = options.domain ?? LAB_DOMAIN;
  const needsTls = options.tls !== "none" || !!options.directTls;
  if (needsTls && !options.identity) throw new Error(`server tls=${options.tls} needs an identity (certificate and key)`);
  const secureContext = options.identity ? serverContext(options.identity, options.tlsMaxVersion) : null;
  const limits: ServerLimits = { ...DEFAULT_LIMITS, ...(options.maxStanza ? { maxStanza: options.maxStanza } : {}), ...options.limits };
  const router = new Router(domain, (u) => options.accounts.has(u), limits.offlinePerAccount);
  const sessions = new Set<ServerSession>();
  let counter = 0;
  const policy = {
    domain,
    tls: options.tls,
    secureContext,
    certDer: options.identity ? new X509Certificate(options.identity.cert).raw : null,
    mechanisms: options.mechanisms ?? DEFAULT_MECHANISMS,
    channelBindingTypes: options.channelBindingTypes ?? (["tls-exporter", "tls-unique", "tls-server-end-point"] as ChannelBindingType[]),
    announceChannelBindings: options.announceChannelBindings ?? true,
    allowPlainCleartext: options.allowPlainCleartext ?? false,
    downgradeProtection: options.downgradeProtection ?? false,
    starttlsBufferingBug: options.starttlsBufferingBug ?? false,
    limits,
    keylog: options.keylog,
  };
  /** Open connections per peer address, across both listeners (§13.12). */
  const perAddress = new Map<string, number>();

  /**
   * §13.12: a cap on connections from one address. Counted at TCP accept, before any TLS, on
   * both listeners; the plain one tells the peer why in a stream error, the direct-TLS one can
   * only close (no XMPP is possible before its handshake).
   */
  const admit = (raw: net.Socket, speaksXml: boolean): boolean => {
    const addr = raw.remoteAddress ?? "?";
    const n = perAddress.get(addr) ?? 0;
    if (n >= limits.maxConnectionsPerAddress) {
      const text = `too many connections from ${addr} (the limit is ${limits.maxConnectionsPerAddress})`;
      emit("server", { kind: "error", code: "CONNECTION_LIMIT", detail: addr, message: text, explain: `The server refused a connection: ${text}. One peer cannot take every slot (RFC 6120 §13.12).` });
      raw.on("error", () => {});
      if (speaksXml) {
        const header = `<?xml version='1.0'?><stream:stream from='${domain}' id='${crypto.randomBytes(8).toString("hex")}' version='1.0' xmlns='jabber:client' xmlns:stream='${NS.stream}'>`;
        raw.end(header + streamErrorXml("policy-violation", text));
        setTimeout(() => raw.destroy(), 2000).unref();
      } else raw.destroy();
      return false;
    }
    perAddress.set(addr, n + 1);
    raw.once("close", () => {
      const left = (perAddress.get(addr) ?? 1) - 1;
      if (left > 0) perAddress.set(addr, left);
      else perAddress.delete(addr);
    });
    return true;
  };

  const open = (socket: net.Socket) => {
    const id = `c${++counter}`;
    emit("server", { kind: "connected", peer: `${socket.remoteAddress}:${socket.remotePort}`, via: socket instanceof tls.TLSSocket ? "tls" : "tcp" }, id);
    // One bad connection never takes the process down: every session catches its own errors.
    socket.on("error", () => {});
    socket.setNoDelay(true); // header and features are two writes: no Nagle/delayed-ACK stall
    const s = new ServerSession(socket, id, policy, options.accounts, router, emit, (done) => sessions.delete(done));
    sessions.add(s);
  };

  const makeDirect = () => {
    const srv = tls.createServer({ ...serverTlsOptions(options.identity!, options.tlsMaxVersion), ALPNProtocols: ["xmpp-client"] }, open);
    // Which session each connection is, for the witness (tls.ts noteClientRandom).
    srv.on("keylog", (line, socket) => noteClientRandom(socket, line));
    if (options.keylog) srv.on("keylog", (line) => options.keylog!(line));
    srv.on("tlsClientError", (err: NodeJS.ErrnoException) => {
      // A peer that hangs up mid-handshake (mallory, once alice refused her) is a close, not a
      // TLS failure of the server's; only a handshake that really failed is an error.
      if (err.code === "ECONNRESET" || /socket hang up|disconnected before secure/i.test(err.message)) {
        emit("server", { kind: "closed", reason: "the peer hung up during the TLS handshake" });
        return;
      }
      emit("server", { kind: "error", code: "TLS_HANDSHAKE_FAILED", detail: err.code ?? null, message: tidyOpenSsl(err.message), explain: `A client's TLS handshake with the server failed (${tidyOpenSsl(err.message)}).` });
    });
    return srv;
  };

  const main = options.tls === "direct" ? makeDirect() : net.createServer((raw) => admit(raw, true) && open(raw));
  const direct = options.directTls ? makeDirect() : null;
  // The TLS listeners count a connection at TCP accept; one over the cap never reaches TLS.
  for (const srv of [main, direct]) if (srv instanceof tls.Server) srv.on("connection", (raw: net.Socket) => void admit(raw, false));

  return {
    async start() {
      const hp = options.listen ?? { host: "127.0.0.1", port: 0 };
      assertLoopback(hp.host, "server --listen", !!options.allowNonLoopback);
      const port = await listen(main, hp);
      emit("server", { kind: "listening", role: options.tls === "direct" ? "direct TLS" : "XMPP", address: hp.host, port });
      let directTlsPort: number | null = null;
      if (direct && options.directTls) {
        assertLoopback(options.directTls.host, "server --direct-tls", !!options.allowNonLoopback);
        directTlsPort = await listen(direct, options.directTls);
        emit("server", { kind: "listening", role: "direct TLS", address: options.directTls.host, port: directTlsPort });
      }
      return { port, directTlsPort };
    },
    async stop() {
      for (const s of sessions) s.close();
      await Promise.all([closeServer(main), direct ? closeServer(direct) : Promise.resolve()]);
    },
  };
}
