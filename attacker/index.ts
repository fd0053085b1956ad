import net from "node:net";
import { type Emit, noEmit } from "../lab/core/events.js";
import { LAB_DOMAIN } from "../lab/core/ns.js";
import { assertLoopback, closeServer, type HostPort, listen } from "../lab/core/net.js";
import type { Identity, KeyLog } from "../lab/core/tls.js";
import { injectionPayload } from "./injection.js";
import { Interception } from "./interception.js";
import { type AttackerLimits, DEFAULT_ATTACKER_LIMITS } from "./limits.js";
import { CUSTOM, customDef, type ElementTactic, registry, type TacticName, type TamperRule } from "./tactics/index.js";

export { type AttackerLimits, DEFAULT_ATTACKER_LIMITS } from "./limits.js";
export { CUSTOM, IBAN_RULE, parseTactics, registry, TACTICS, type TacticDef, type TacticFault, type TacticName, userTactic, type UserTacticFn } from "./tactics/index.js";

export interface AttackerOptions {
  name?: string;
  listen?: HostPort;
  upstream: HostPort;
  /** What mallory does; their order of effect is the registry's (tactics/registry.ts), not this list's. */
  tactics: TacticName[];
  /** The certificate and key mallory answers TLS with (self-signed, rogue-CA-issued, or stolen). */
  identity?: Identity;
  domain?: string;
  tamper?: TamperRule;
  stripMechanism?: (m: string) => boolean;
  /** A user's own tactic (`--tactic FILE`, tactics/custom.ts), applied before the built-in edits. */
  custom?: ElementTactic;
  /** Her deadline on every wait of her own: reaching the server, her STARTTLS toward it. */
  timeoutMs?: number;
  /** What she holds and allows per connection (limits.ts); each defaults to DEFAULT_ATTACKER_LIMITS. */
  limits?: Partial<AttackerLimits>;
  allowNonLoopback?: boolean;
  /** Prefix of this listener's connection ids (m1, m2, ...), to tell two listeners apart. */
  connPrefix?: string;
  emit?: Emit;
  /** Write mallory's TLS secrets, both legs, for Wireshark (tls.ts KeyLog). */
  keylog?: KeyLog;
  /** crack: the words she guesses with, in order (the lab passes its bundled list). */
  wordlist?: readonly string[];
  /** inject-after-starttls: whose login she injects, and with which password (attacker/injection.ts). */
  injection?: { username: string; guess: string };
}

export interface Attacker {
  start(): Promise<{ port: number }>;
  stop(): Promise<void>;
}

/** mallory: an on-path node between a client and its server. */
export function createAttacker(options: AttackerOptions): Attacker {
  const name = options.name ?? "mallory";
  const emit = options.emit ?? noEmit;
  const tactics = new Set<TacticName>(options.tactics);
  if (options.custom) tactics.add(CUSTOM);
  if (tactics.has("intercept-tls") && !options.identity) throw new Error("tactic intercept-tls needs an identity (--identity)");
  const domain = options.domain ?? LAB_DOMAIN;
  const injection = options.injection ?? { username: "alice", guess: "letmein" };
  const builtins = registry({ tamper: options.tamper, stripMechanism: options.stripMechanism, injection: injectionPayload({ domain, ...injection }) });
  const defs = options.custom ? [customDef(options.custom), ...builtins] : builtins;
  const prefix = options.connPrefix ?? "m";
  const limits: AttackerLimits = { ...DEFAULT_ATTACKER_LIMITS, ...options.limits };
  const timeoutMs = options.timeoutMs ?? 5000;
  const live = new Set<Interception>();
  const sockets = new Set<net.Socket>();
  const perAddress = new Map<string, number>();
  let counter = 0;

  const server = net.createServer((client) => {
    const id = `${prefix}${++counter}`;
    client.on("error", () => {});
    // One peer cannot take every slot she has (the advice of RFC 6120 §13.12, for her too).
    const address = client.remoteAddress ?? "?";
    const open = perAddress.get(address) ?? 0;
    if (open >= limits.maxConnectionsPerAddress) {
      emit(name, { kind: "move", tactic: null, move: { type: "too-many-connections", address, limit: limits.maxConnectionsPerAddress } }, id);
      client.destroy();
      return;
    }
    perAddress.set(address, open + 1);
    client.once("close", () => {
      const left = (perAddress.get(address) ?? 1) - 1;
      if (left > 0) perAddress.set(address, left);
      else perAddress.delete(address);
    });
    sockets.add(client);
    client.on("close", () => sockets.delete(client));
    client.setNoDelay(true);
    emit(name, { kind: "connected", peer: `${client.remoteAddress}:${client.remotePort}`, via: "tcp" }, id);
    if (tactics.has("block")) {
      // XEP-0368 clients fall back to STARTTLS when direct TLS is unreachable: make it unreachable.
      emit(name, { kind: "move", tactic: "block", move: { type: "blocked" } }, id);
      // Every other tactic had no connection to act on: said once, not left silent.
      for (const t of tactics) if (t !== "block" && t !== "observe") emit(name, { kind: "tactic", tactic: t, status: "unused", context: "cleartext", why: "blocked" }, id);
      client.destroy();
      emit(name, { kind: "closed", reason: null }, id);
      return;
    }
    client.pause();
    const up = net.connect({ port: options.upstream.port, host: options.upstream.host, noDelay: true });
    sockets.add(up);
    up.on("close", () => sockets.delete(up));
    const unreachable = (err: Error) => {
      // Only a failure to connect means the server could not be reached; an error on a
      // connection that worked (a reset at the end of a session) is the Interception's close.
      emit(name, { kind: "move", tactic: null, move: { type: "upstream-unreachable", error: err.message } }, id);
      client.destroy();
      emit(name, { kind: "closed", reason: null }, id);
    };
    up.once("error", unreachable);
    // Her own wait for the server is bounded like everyone's.
    up.setTimeout(timeoutMs, () => {
      up.destroy();
      unreachable(new Error(`no answer within ${timeoutMs} ms`));
    });
    up.once("connect", () => {
      up.off("error", unreachable);
      up.setTimeout(0);
      const i = new Interception(client, up, {
        name, id, emit, tactics, defs,
        identity: options.identity,
        domain,
        timeoutMs,
        maxStanza: limits.maxStanza,
        keylog: options.keylog,
        wordlist: options.wordlist ?? [],
      });
      live.add(i);
      client.on("close", () => void i.settled().then(() => live.delete(i)));
      // Idle: the client's socket sees every byte she relays, in either direction.
      client.setTimeout(limits.idleTimeoutMs, () => i.idle(Math.round(limits.idleTimeoutMs / 1000)));
      i.start();
      client.resume();
    });
  });

  return {
    async start() {
      const hp = options.listen ?? { host: "127.0.0.1", port: 0 };
      assertLoopback(hp.host, "attacker --listen", !!options.allowNonLoopback);
      assertLoopback(options.upstream.host, "attacker --upstream", !!options.allowNonLoopback);
      const port = await listen(server, hp);
      emit(name, { kind: "listening", role: [...tactics].join(","), address: hp.host, port });
      return { port };
    },
    async stop() {
      const all = [...live];
      for (const i of all) i.close();
      for (const s of sockets) s.destroy();
      // Let in-flight moves (a TLS handshake, the sslstrip move) finish reporting first.
      await Promise.all([closeServer(server), ...all.map((i) => i.settled())]);
    },
  };
}
