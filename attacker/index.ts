import net from "node:net";
import { type Emit, noEmit } from "../lab/core/events.js";
import { LAB_DOMAIN } from "../lab/core/ns.js";
import { assertLoopback, closeServer, type HostPort, listen } from "../lab/core/net.js";
import type { Identity, KeyLog } from "../lab/core/tls.js";
import { injectionPayload } from "./injection.js";
import { Interception } from "./interception.js";
import { CUSTOM, customDef, type ElementTactic, registry, type TacticName, type TamperRule } from "./tactics/index.js";

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
  timeoutMs?: number;
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
  const live = new Set<Interception>();
  const sockets = new Set<net.Socket>();
  let counter = 0;

  const server = net.createServer((client) => {
    const id = `${prefix}${++counter}`;
    sockets.add(client);
    client.on("close", () => sockets.delete(client));
    client.on("error", () => {});
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
    up.once("connect", () => {
      up.off("error", unreachable);
      const i = new Interception(client, up, {
        name, id, emit, tactics, defs,
        identity: options.identity,
        domain,
        timeoutMs: options.timeoutMs ?? 5000,
        keylog: options.keylog,
        wordlist: options.wordlist ?? [],
      });
      live.add(i);
      client.on("close", () => void i.settled().then(() => live.delete(i)));
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
