import path from "node:path";
import { createAttacker, DEFAULT_ATTACKER_LIMITS, parseTactics } from "../../attacker/index.js";
import { createClient } from "../../victim-client/index.js";
import { accountsFrom, createServer, DEFAULT_LIMITS, type ServerLimits } from "../../victim-server/index.js";
import { UsageError } from "../core/errors.js";
import type { Emit } from "../core/events.js";
import { LAB_DOMAIN } from "../core/ns.js";
import { formatHostPort as fmt, parseHostPort } from "../core/net.js";
import { CHANNEL_BINDING_TYPES, type ChannelBindingType, isChannelBindingType, VERIFY_MODES, type VerifyPolicy } from "../core/tls.js";
import { MALLORY_IDENTITIES, malloryIdentity } from "../identities.js";
import { liveLog } from "../live-log.js";
import { captureRelay } from "../capture-relay.js";
import { assertLoopback, type HostPort } from "../core/net.js";
import { keylogFile } from "./keylog.js";
import { pcapFile } from "./pcap.js";
import { NEUTRAL_NAMES } from "../sentences.js";
import { milliseconds, oneOf, parseArgs, type Parsed, required, str, wholeNumber } from "./args.js";
import { certificatesFile, inputFile, labPki, outputFile } from "./paths.js";
import { drawInThisTerminal } from "../console/tty.js";
import { looksLikeTacticFile, tacticFileOption } from "../tactic-file.js";
import type { TacticFault } from "../../attacker/tactics/index.js";

/** Resolves on Ctrl-C or SIGTERM: the standalone nodes run until told to stop. */
function untilStopped(): Promise<void> {
  return new Promise((resolve) => {
    process.once("SIGINT", resolve);
    process.once("SIGTERM", resolve);
  });
}

/** Each fault of a standalone mallory's tactic file, on stderr as it happens (a few, then quiet). */
function tacticFaultLine(file: string): (f: TacticFault, stuck: boolean) => void {
  let shown = 0;
  return (f, stuck) => {
    const name = path.basename(file);
    if (stuck) console.error(`${name} ${f.error}, on ${f.element} (${f.where.dir}, ${f.where.context}): mallory stopped calling it and forwards everything unchanged`);
    else if (++shown <= 5) console.error(`${name} threw on ${f.element} (${f.where.dir}, ${f.where.context}): ${f.error} - the element passed unchanged${shown === 5 ? " (further errors not shown)" : ""}`);
  };
}

/** --channel-binding-types tls-exporter,tls-server-end-point: known types only (tls.ts CHANNEL_BINDINGS). */
function bindingTypes(p: Parsed): ChannelBindingType[] | undefined {
  const list = str(p, "channel-binding-types")?.split(",").map((t) => t.trim()).filter(Boolean);
  if (!list) return undefined;
  for (const t of list) if (!isChannelBindingType(t)) throw new UsageError(`--channel-binding-types: unknown type "${t}"; choose from ${CHANNEL_BINDING_TYPES.join(", ")}`);
  return list as ChannelBindingType[];
}

const EPHEMERAL: HostPort = { host: "127.0.0.1", port: 0 };

async function reportPcap(pcap: ReturnType<typeof pcapFile>): Promise<void> {
  const wrote = await pcap.write();
  if (wrote) console.error(wrote);
}

/** The server's limits (victim-server/limits.ts) from their flags; each checked against a sane range. */
function serverLimits(p: Parsed): Partial<ServerLimits> {
  const d = DEFAULT_LIMITS;
  return {
    // RFC 6120 §13.12: "MUST NOT be smaller than 10000 bytes".
    maxStanza: wholeNumber(p, "max-stanza", d.maxStanza, { min: 10_000, max: 64 * 1024 * 1024, what: "bytes (RFC 6120 §13.12: at least 10000)" }),
    // §6.4.5: "at least 2 and no more than 5".
    saslRetries: wholeNumber(p, "sasl-retries", d.saslRetries, { min: 2, max: 5, what: "a count of retries (RFC 6120 §6.4.5: 2 to 5)" }),
    negotiationTimeoutMs: milliseconds(p, "negotiation-timeout", d.negotiationTimeoutMs),
    stanzaTimeoutMs: milliseconds(p, "stanza-timeout", d.stanzaTimeoutMs),
    idleTimeoutMs: milliseconds(p, "idle-timeout", d.idleTimeoutMs),
    maxConnectionsPerAddress: wholeNumber(p, "max-per-address", d.maxConnectionsPerAddress, { min: 1, max: 100_000, what: "a number of connections" }),
    offlinePerAccount: wholeNumber(p, "offline-queue", d.offlinePerAccount, { min: 0, max: 100_000, what: "a number of messages" }),
  };
}


export async function serverCommand(argv: string[]): Promise<number> {
  const p = parseArgs(argv, {
    listen: "string", "direct-tls": "string", tls: "string", domain: "string", user: "list", pki: "string",
    "allow-plain-cleartext": "bool", mechanisms: "string", jsonl: "string", "allow-non-loopback": "bool", quiet: "bool", keylog: "string",
    "channel-binding-types": "string", "tls-max-version": "string", "downgrade-protection": "bool", "starttls-buffering-bug": "bool",
    pcap: "string", "max-stanza": "string", "sasl-retries": "string", "negotiation-timeout": "string", "stanza-timeout": "string",
    "idle-timeout": "string", "max-per-address": "string", "offline-queue": "string",
  }, "server");
  const tls = oneOf(p, "tls", ["none", "starttls", "starttls-required", "direct"] as const, "starttls");
  const users: Record<string, string> = {};
  for (const u of (p.flags.user as string[]) ?? []) {
    const i = u.indexOf(":");
    if (i < 1) throw new UsageError(`--user wants NAME:PASSWORD, got "${u}"`);
    users[u.slice(0, i)] = u.slice(i + 1);
  }
  if (!Object.keys(users).length) throw new UsageError("add at least one account, for example --user alice:secret --user bob:secret");
  const needsPki = tls !== "none" || !!str(p, "direct-tls");
  if (needsPki && !str(p, "pki")) throw new UsageError(`--tls ${tls} needs certificates: add --pki DIR (created if empty)`);
  const limits = serverLimits(p);
  const log = liveLog({ jsonl: outputFile("jsonl", str(p, "jsonl")), quiet: !!p.flags.quiet });
  const keys = keylogFile(outputFile("keylog", str(p, "keylog")));
  const pcap = pcapFile(outputFile("pcap", str(p, "pcap")), "mitm-lab server");
  const pki = needsPki ? await labPki("pki", str(p, "pki")!) : null;
  const listen = parseHostPort(str(p, "listen") ?? "127.0.0.1:5222", "--listen");
  const directTls = str(p, "direct-tls") ? parseHostPort(str(p, "direct-tls")!, "--direct-tls") : undefined;
  const server = createServer({
    keylog: pcap.keylog(keys.keylog),
    tls,
    domain: str(p, "domain") ?? LAB_DOMAIN,
    // With --pcap, capture relays take the ports asked for and the server sits behind them.
    listen: pcap.capture ? EPHEMERAL : listen,
    directTls: directTls && pcap.capture ? EPHEMERAL : directTls,
    identity: pki?.server,
    accounts: accountsFrom(users),
    mechanisms: str(p, "mechanisms")?.split(","),
    allowPlainCleartext: !!p.flags["allow-plain-cleartext"],
    channelBindingTypes: bindingTypes(p),
    tlsMaxVersion: str(p, "tls-max-version") ? oneOf(p, "tls-max-version", ["TLSv1.2", "TLSv1.3"] as const) : undefined,
    downgradeProtection: !!p.flags["downgrade-protection"],
    starttlsBufferingBug: !!p.flags["starttls-buffering-bug"],
    limits,
    allowNonLoopback: !!p.flags["allow-non-loopback"],
    emit: log.emit,
  });
  const ports = await server.start();
  const relays: Array<() => Promise<void>> = [];
  if (pcap.capture) {
    const front = async (name: string, on: HostPort, port: number) => {
      assertLoopback(on.host, `server ${name}`, !!p.flags["allow-non-loopback"]);
      const r = await captureRelay(pcap.capture!, name, { host: "127.0.0.1", port }, on, "relay");
      relays.push(r.close);
      return r.port;
    };
    ports.port = await front("client → server", listen, ports.port);
    if (directTls && ports.directTlsPort) ports.directTlsPort = await front("client → server (direct TLS)", directTls, ports.directTlsPort);
  }
  console.log(`mitm-lab server listening on port ${ports.port}${ports.directTlsPort ? `, direct TLS on port ${ports.directTlsPort}` : ""} (tls ${tls}); Ctrl-C stops it`);
  await untilStopped();
  await server.stop();
  await Promise.all(relays.map((close) => close()));
  await log.close();
  await keys.close();
  await reportPcap(pcap);
  return 0;
}

export async function clientCommand(argv: string[]): Promise<number> {
  const p = parseArgs(argv, {
    connect: "string", jid: "string", password: "string", tls: "string", verify: "string", ca: "list", pin: "list",
    fallback: "string", send: "list", receive: "string", "channel-binding": "bool", "allow-plain-cleartext": "bool",
    timeout: "string", jsonl: "string", resource: "string", mechanisms: "string", keylog: "string", "allow-non-loopback": "bool",
    "fallback-tls": "string", "channel-binding-types": "string", "remember-mechanisms": "string", "downgrade-protection": "bool",
    pcap: "string",
  }, "client");
  const jid = required(p, "jid", "alice@lab.example");
  if (!/^[^@/]+@[^@/]+$/.test(jid)) throw new UsageError(`--jid wants a bare JID like alice@lab.example, got "${jid}"`);
  const password = required(p, "password", "secret");
  const tls = oneOf(p, "tls", ["off", "opportunistic", "required", "direct"] as const, "required");
  const mode = oneOf(p, "verify", VERIFY_MODES, tls === "off" ? "none" : "ca");
  const ca = ((p.flags.ca as string[]) ?? []).map((f) => certificatesFile("ca", f));
  const pins = (p.flags.pin as string[]) ?? [];
  if ((mode === "ca" || mode === "chain") && !ca.length && tls !== "off") throw new UsageError(`--verify ${mode} needs --ca FILE.pem (the lab CA is ca.pem in mitm-lab pki --out DIR)`);
  if (mode === "pin" && !pins.length) throw new UsageError("--verify pin needs --pin sha256/BASE64 (mitm-lab pin server.pem prints it)");
  for (const pin of pins) if (!/^sha256\/[A-Za-z0-9+/]{43}=$/.test(pin)) throw new UsageError(`--pin wants sha256/BASE64 (44 characters), got "${pin}"`);
  const verify: VerifyPolicy = mode === "none" ? { mode } : mode === "pin" ? { mode, ca, pins } : { mode, ca };
  const sends = ((p.flags.send as string[]) ?? []).map((s) => {
    const i = s.indexOf(":");
    if (i < 1 || !s.slice(0, i).includes("@")) throw new UsageError(`--send wants JID:TEXT, for example --send bob@lab.example:hello`);
    return { to: s.slice(0, i), body: s.slice(i + 1) };
  });
  const receive = Number(str(p, "receive") ?? 0);
  if (!Number.isInteger(receive) || receive < 0) throw new UsageError("--receive wants a whole number of messages to wait for");
  const timeoutMs = milliseconds(p, "timeout", receive ? 60_000 : 10_000);
  const log = liveLog({ jsonl: outputFile("jsonl", str(p, "jsonl")) });
  const keys = keylogFile(outputFile("keylog", str(p, "keylog")));
  const pcap = pcapFile(outputFile("pcap", str(p, "pcap")), `mitm-lab client ${jid}`);
  const connect = parseHostPort(required(p, "connect", "127.0.0.1:5222"), "--connect");
  const fallbackTo = str(p, "fallback") ? parseHostPort(str(p, "fallback")!, "--fallback") : undefined;
  const relays: Array<() => Promise<void>> = [];
  // With --pcap the client reaches its server through a capture relay on loopback.
  const via = async (hp: HostPort | undefined, name: string) => {
    if (!hp || !pcap.capture) return hp;
    assertLoopback(hp.host, "client --connect", !!p.flags["allow-non-loopback"]);
    const r = await captureRelay(pcap.capture, name, hp);
    relays.push(r.close);
    return { host: "127.0.0.1", port: r.port };
  };
  const done = async () => {
    await Promise.all(relays.map((close) => close()));
    await log.close();
    await keys.close();
    await reportPcap(pcap);
  };
  try {
    const session = await createClient({
      keylog: pcap.keylog(keys.keylog),
      jid, password, tls, verify,
      name: jid.split("@")[0],
      resource: str(p, "resource"),
      connect: (await via(connect, `${jid.split("@")[0]} → server`))!,
      fallback: await via(fallbackTo, `${jid.split("@")[0]} → server (fallback)`),
      channelBinding: !!p.flags["channel-binding"] || !!str(p, "channel-binding-types"),
      channelBindingTypes: bindingTypes(p),
      fallbackTls: str(p, "fallback-tls") ? oneOf(p, "fallback-tls", ["opportunistic", "required"] as const) : undefined,
      rememberedMechanisms: str(p, "remember-mechanisms")?.split(","),
      downgradeProtection: !!p.flags["downgrade-protection"],
      mechanisms: str(p, "mechanisms")?.split(","),
      allowNonLoopback: !!p.flags["allow-non-loopback"],
      allowPlainWithoutTls: !!p.flags["allow-plain-cleartext"],
      timeoutMs,
      emit: log.emit,
    }).start();
    console.error(`logged in as ${session.jid}`);
    for (const m of sends) session.send(m.to, m.body);
    let got = 0;
    if (receive) {
      const msgs = await session.waitForMessages(receive);
      for (const m of msgs.slice(0, receive)) console.log(`${m.from}: ${m.body}`);
      got = msgs.length;
    }
    await session.close();
    await done();
    if (got < receive) {
      console.error(`only ${got} of ${receive} messages arrived within ${timeoutMs} ms`);
      return 1;
    }
    return 0;
  } catch (err) {
    if (err instanceof UsageError) throw err;
    const e = err as { code?: string; explain?: string; message: string };
    console.error(`refused: ${e.code ?? "ERROR"}: ${e.explain ?? e.message}`);
    await done();
    return 1;
  }
}

export async function attackerCommand(argv: string[]): Promise<number> {
  const p = parseArgs(argv, {
    listen: "string", upstream: "string", tactic: "string", identity: "string", pki: "string", jsonl: "string",
    "tamper-find": "string", "tamper-replace": "string", wordlist: "string", "allow-non-loopback": "bool", quiet: "bool", keylog: "string",
    pcap: "string", console: "bool", timeout: "string", "max-stanza": "string", "idle-timeout": "string", "max-per-address": "string",
  }, "attacker");
  // The console needs the terminal: checked first, before anything listens (exit 2, one line).
  const onConsole = !!p.flags.console;
  if (onConsole && !(process.stdout.isTTY && process.stdin.isTTY)) throw new UsageError("--console draws in a terminal; without one, write --jsonl FILE and run mitm-lab watch FILE in a terminal");
  // --tactic mixes built-in names and (at most) one tactic file of the user's own, which runs
  // before the built-ins, as in `mitm-lab run --tactic FILE`: --tactic strip-starttls,./mine.ts,loot.
  const items = required(p, "tactic", "strip-starttls,loot").split(",").map((s) => s.trim()).filter(Boolean);
  const files = items.filter(looksLikeTacticFile);
  if (files.length > 1) throw new UsageError(`--tactic takes one tactic file at a time, not ${files.length} (${files.join(", ")})`);
  let tactics;
  try {
    tactics = parseTactics(items.filter((i) => !looksLikeTacticFile(i)).join(","));
  } catch (e) {
    throw e instanceof UsageError ? e : new UsageError(`--tactic: ${(e as Error).message}, or a tactic file of your own (./mine.ts)`);
  }
  const custom = files[0] !== undefined ? await tacticFileOption(files[0], { onFault: onConsole || p.flags.quiet ? undefined : tacticFaultLine(files[0]) }) : undefined;
  const named = [...(custom ? [path.basename(custom.file)] : []), ...tactics].join(",");
  const identityName = str(p, "identity");
  if (tactics.includes("intercept-tls") && !identityName) throw new UsageError(`intercept-tls needs --identity ${MALLORY_IDENTITIES.join("|")} and --pki DIR`);
  let identity;
  if (identityName) {
    const which = oneOf(p, "identity", MALLORY_IDENTITIES);
    if (!str(p, "pki")) throw new UsageError("--identity needs --pki DIR (created if empty)");
    identity = malloryIdentity(await labPki("pki", str(p, "pki")!), which);
  }
  const find = str(p, "tamper-find");
  const d = DEFAULT_ATTACKER_LIMITS;
  const limits = {
    maxStanza: wholeNumber(p, "max-stanza", d.maxStanza, { min: 10_000, max: 64 * 1024 * 1024, what: "bytes she holds of one stanza (at least 10000)" }),
    idleTimeoutMs: milliseconds(p, "idle-timeout", d.idleTimeoutMs),
    maxConnectionsPerAddress: wholeNumber(p, "max-per-address", d.maxConnectionsPerAddress, { min: 1, max: 100_000, what: "a number of connections" }),
  };
  const timeoutMs = milliseconds(p, "timeout", 5000);
  // With --console the screen is the console's: the stderr log is off, --jsonl still records.
  const jsonlFile = outputFile("jsonl", str(p, "jsonl"));
  const log = liveLog({ jsonl: jsonlFile, quiet: !!p.flags.quiet || onConsole, names: NEUTRAL_NAMES });
  const live = onConsole ? (await import("../live/feed.js")).emitterFeed() : null;
  const emit: Emit = live ? (node, body, conn) => (log.emit(node, body, conn), live.emit(node, body, conn)) : log.emit;
  const listen = parseHostPort(str(p, "listen") ?? "127.0.0.1:6222", "--listen");
  const keys = keylogFile(outputFile("keylog", str(p, "keylog")));
  const upstream = parseHostPort(required(p, "upstream", "127.0.0.1:5222"), "--upstream");
  const listFile = str(p, "wordlist");
  const listText = listFile ? inputFile("wordlist", listFile) : null;
  const { BUNDLED_WORDLIST, parseWordlist } = await import("../crack/wordlist.js");
  const wordlist = listText !== null ? parseWordlist(listText) : BUNDLED_WORDLIST;
  const pcap = pcapFile(outputFile("pcap", str(p, "pcap")), `mitm-lab attacker ${named}`);
  const relays: Array<() => Promise<void>> = [];
  let upstreamVia = upstream;
  if (pcap.capture) {
    // mallory's two legs, each through a capture relay: toward the server, and (below) from alice.
    assertLoopback(upstream.host, "attacker --upstream", !!p.flags["allow-non-loopback"]);
    const r = await captureRelay(pcap.capture, "mallory → server", upstream);
    relays.push(r.close);
    upstreamVia = { host: "127.0.0.1", port: r.port };
  }
  const attacker = createAttacker({
    wordlist,
    listen: pcap.capture ? EPHEMERAL : listen, upstream: upstreamVia, tactics, identity,
    tamper: find ? { find: new RegExp(find.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"), "g"), replace: str(p, "tamper-replace") ?? "" } : undefined,
    limits,
    timeoutMs,
    allowNonLoopback: !!p.flags["allow-non-loopback"],
    emit,
    keylog: pcap.keylog(keys.keylog),
    custom: custom?.edit,
  });
  let { port } = await attacker.start();
  if (pcap.capture) {
    assertLoopback(listen.host, "attacker --listen", !!p.flags["allow-non-loopback"]);
    const r = await captureRelay(pcap.capture, "client → mallory", { host: "127.0.0.1", port }, listen, "relay");
    relays.push(r.close);
    port = r.port;
  }
  if (live) {
    // The live console until the speaker quits it: mallory stops with it. Its title says where
    // she listens; what stays on the terminal afterwards says she stopped.
    drawInThisTerminal();
    const { runLiveConsole } = await import("../console/live/start.js");
    await runLiveConsole(live.feed, { kind: "attacker", file: jsonlFile ?? null, listen: fmt({ host: listen.host, port }), upstream: fmt(upstream) });
    // Straight to stdout: console.log may still be Ink's, which would first erase lines above.
    process.stdout.write(`mitm-lab attacker on port ${port} stopped with the console${jsonlFile ? `; her log: ${jsonlFile} (mitm-lab watch ${jsonlFile} draws it again)` : ""}\n`);
  } else {
    console.log(`mitm-lab attacker listening on port ${port}, relaying to ${fmt(upstream)} with ${named}; Ctrl-C stops it`);
    await untilStopped();
  }
  await attacker.stop();
  if (custom && !onConsole) console.error(`${path.basename(custom.file)}: given ${custom.calls} element${custom.calls === 1 ? "" : "s"}, changed ${custom.changed}`);
  await Promise.all(relays.map((close) => close()));
  await log.close();
  await keys.close();
  await reportPcap(pcap);
  return 0;
}

