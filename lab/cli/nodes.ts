import fs from "node:fs";
import { createAttacker, parseTactics } from "../../attacker/index.js";
import { createClient } from "../../victim-client/index.js";
import { accountsFrom, createServer } from "../../victim-server/index.js";
import { UsageError } from "../core/errors.js";
import { LAB_DOMAIN } from "../core/ns.js";
import { formatHostPort as fmt, parseHostPort } from "../core/net.js";
import { CHANNEL_BINDING_TYPES, type ChannelBindingType, isChannelBindingType, VERIFY_MODES, type VerifyPolicy } from "../core/tls.js";
import { MALLORY_IDENTITIES, malloryIdentity } from "../identities.js";
import { liveLog } from "../live-log.js";
import { keylogFile } from "./keylog.js";
import { oneOf, parseArgs, type Parsed, required, str } from "./args.js";

/** Resolves on Ctrl-C or SIGTERM: the standalone nodes run until told to stop. */
function untilStopped(): Promise<void> {
  return new Promise((resolve) => {
    process.once("SIGINT", resolve);
    process.once("SIGTERM", resolve);
  });
}

/** --channel-binding-types tls-exporter,tls-server-end-point: known types only (tls.ts CHANNEL_BINDINGS). */
function bindingTypes(p: Parsed): ChannelBindingType[] | undefined {
  const list = str(p, "channel-binding-types")?.split(",").map((t) => t.trim()).filter(Boolean);
  if (!list) return undefined;
  for (const t of list) if (!isChannelBindingType(t)) throw new UsageError(`--channel-binding-types: unknown type "${t}"; choose from ${CHANNEL_BINDING_TYPES.join(", ")}`);
  return list as ChannelBindingType[];
}

function pemFile(p: Parsed, name: string): string | undefined {
  const f = str(p, name);
  if (!f) return undefined;
  if (!fs.existsSync(f)) throw new UsageError(`--${name}: no such file ${f}`);
  return fs.readFileSync(f, "utf8");
}


export async function serverCommand(argv: string[]): Promise<number> {
  const p = parseArgs(argv, {
    listen: "string", "direct-tls": "string", tls: "string", domain: "string", user: "list", pki: "string",
    "allow-plain-cleartext": "bool", mechanisms: "string", jsonl: "string", "allow-non-loopback": "bool", quiet: "bool", keylog: "string",
    "channel-binding-types": "string", "tls-max-version": "string", "downgrade-protection": "bool", "starttls-buffering-bug": "bool",
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
  const pki = needsPki ? await (await import("../pki.js")).loadOrCreatePki(str(p, "pki")!) : null;
  const log = liveLog({ jsonl: str(p, "jsonl"), quiet: !!p.flags.quiet });
  const keys = keylogFile(str(p, "keylog"));
  const server = createServer({
    keylog: keys.keylog,
    tls,
    domain: str(p, "domain") ?? LAB_DOMAIN,
    listen: parseHostPort(str(p, "listen") ?? "127.0.0.1:5222", "--listen"),
    directTls: str(p, "direct-tls") ? parseHostPort(str(p, "direct-tls")!, "--direct-tls") : undefined,
    identity: pki?.server,
    accounts: accountsFrom(users),
    mechanisms: str(p, "mechanisms")?.split(","),
    allowPlainCleartext: !!p.flags["allow-plain-cleartext"],
    channelBindingTypes: bindingTypes(p),
    tlsMaxVersion: str(p, "tls-max-version") ? oneOf(p, "tls-max-version", ["TLSv1.2", "TLSv1.3"] as const) : undefined,
    downgradeProtection: !!p.flags["downgrade-protection"],
    starttlsBufferingBug: !!p.flags["starttls-buffering-bug"],
    allowNonLoopback: !!p.flags["allow-non-loopback"],
    emit: log.emit,
  });
  const ports = await server.start();
  console.log(`mitm-lab server listening on port ${ports.port}${ports.directTlsPort ? `, direct TLS on port ${ports.directTlsPort}` : ""} (tls ${tls}); Ctrl-C stops it`);
  await untilStopped();
  await server.stop();
  await log.close();
  await keys.close();
  return 0;
}

export async function clientCommand(argv: string[]): Promise<number> {
  const p = parseArgs(argv, {
    connect: "string", jid: "string", password: "string", tls: "string", verify: "string", ca: "list", pin: "list",
    fallback: "string", send: "list", receive: "string", "channel-binding": "bool", "allow-plain-cleartext": "bool",
    timeout: "string", jsonl: "string", resource: "string", mechanisms: "string", keylog: "string", "allow-non-loopback": "bool",
    "fallback-tls": "string", "channel-binding-types": "string", "remember-mechanisms": "string", "downgrade-protection": "bool",
  }, "client");
  const jid = required(p, "jid", "alice@lab.example");
  if (!/^[^@/]+@[^@/]+$/.test(jid)) throw new UsageError(`--jid wants a bare JID like alice@lab.example, got "${jid}"`);
  const password = required(p, "password", "secret");
  const tls = oneOf(p, "tls", ["off", "opportunistic", "required", "direct"] as const, "required");
  const mode = oneOf(p, "verify", VERIFY_MODES, tls === "off" ? "none" : "ca");
  const ca = ((p.flags.ca as string[]) ?? []).map((f) => {
    if (!fs.existsSync(f)) throw new UsageError(`--ca: no such file ${f}`);
    return fs.readFileSync(f, "utf8");
  });
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
  const timeoutMs = Number(str(p, "timeout") ?? (receive ? 60_000 : 10_000));
  const log = liveLog({ jsonl: str(p, "jsonl") });
  const keys = keylogFile(str(p, "keylog"));
  try {
    const session = await createClient({
      keylog: keys.keylog,
      jid, password, tls, verify,
      name: jid.split("@")[0],
      resource: str(p, "resource"),
      connect: parseHostPort(required(p, "connect", "127.0.0.1:5222"), "--connect"),
      fallback: str(p, "fallback") ? parseHostPort(str(p, "fallback")!, "--fallback") : undefined,
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
    await log.close();
    await keys.close();
    if (got < receive) {
      console.error(`only ${got} of ${receive} messages arrived within ${timeoutMs} ms`);
      return 1;
    }
    return 0;
  } catch (err) {
    if (err instanceof UsageError) throw err;
    const e = err as { code?: string; explain?: string; message: string };
    console.error(`refused: ${e.code ?? "ERROR"}: ${e.explain ?? e.message}`);
    await log.close();
    await keys.close();
    return 1;
  }
}

export async function attackerCommand(argv: string[]): Promise<number> {
  const p = parseArgs(argv, {
    listen: "string", upstream: "string", tactic: "string", identity: "string", pki: "string", jsonl: "string",
    "tamper-find": "string", "tamper-replace": "string", "allow-non-loopback": "bool", quiet: "bool", keylog: "string",
  }, "attacker");
  let tactics;
  try {
    tactics = parseTactics(required(p, "tactic", "strip-starttls,loot"));
  } catch (e) {
    throw e instanceof UsageError ? e : new UsageError(`--tactic: ${(e as Error).message}`);
  }
  const identityName = str(p, "identity");
  if (tactics.includes("intercept-tls") && !identityName) throw new UsageError(`intercept-tls needs --identity ${MALLORY_IDENTITIES.join("|")} and --pki DIR`);
  let identity;
  if (identityName) {
    const which = oneOf(p, "identity", MALLORY_IDENTITIES);
    if (!str(p, "pki")) throw new UsageError("--identity needs --pki DIR (created if empty)");
    const { loadOrCreatePki } = await import("../pki.js");
    identity = malloryIdentity(await loadOrCreatePki(str(p, "pki")!), which);
  }
  const find = str(p, "tamper-find");
  const log = liveLog({ jsonl: str(p, "jsonl"), quiet: !!p.flags.quiet });
  const listen = parseHostPort(str(p, "listen") ?? "127.0.0.1:6222", "--listen");
  const keys = keylogFile(str(p, "keylog"));
  const upstream = parseHostPort(required(p, "upstream", "127.0.0.1:5222"), "--upstream");
  const attacker = createAttacker({
    listen, upstream, tactics, identity,
    tamper: find ? { find: new RegExp(find.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"), "g"), replace: str(p, "tamper-replace") ?? "" } : undefined,
    allowNonLoopback: !!p.flags["allow-non-loopback"],
    emit: log.emit,
    keylog: keys.keylog,
  });
  const { port } = await attacker.start();
  console.log(`mitm-lab attacker listening on port ${port}, relaying to ${fmt(upstream)} with ${tactics.join(",")}; Ctrl-C stops it`);
  await untilStopped();
  await attacker.stop();
  await log.close();
  await keys.close();
  return 0;
}

