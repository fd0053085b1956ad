import { createAttacker } from "../attacker/index.js";
import type { ElementTactic } from "../attacker/tactics/index.js";
import { MESSAGE, type Scenario } from "../scenarios/index.js";
import { type ClientOptions, type ClientSession, createClient } from "../victim-client/index.js";
import { type Accounts, accountsFrom, createServer } from "../victim-server/index.js";
import { captureRelay } from "./capture-relay.js";
import type { Capture } from "./core/capture.js";
import { createRecorder, type LabEvent, type Recorder } from "./core/events.js";
import { LAB_DOMAIN } from "./core/ns.js";
import { type KeyLog, spkiPin, type VerifyPolicy } from "./core/tls.js";
import { malloryIdentity } from "./identities.js";
import { ALICE_PASSWORDS, BOB_PASSWORD, type PasswordStrength } from "./passwords.js";
import type { LabPki } from "./pki.js";
import { certificateLog, monitorEntries } from "./ct-log.js";
import { BUNDLED_WORDLIST } from "./crack/wordlist.js";
import { judge, type Verdict } from "./verdict.js";
import { checkClaims, judgeWitness, type LegTap, legTap } from "./witness/index.js";
import { notBobs } from "./witness/bob.js";

export const PASSWORDS: Record<string, string> = { alice: ALICE_PASSWORDS.strong, bob: BOB_PASSWORD };

export interface RunContext {
  pki: LabPki;
  accounts: Accounts;
  passwords: Record<string, string>;
  /** Injected so narration can be snapshot-tested. */
  clock?: () => number;
  timeoutMs?: number;
  /** Put something between alice and mallory (a byte tap in tests); returns the port alice uses. */
  interpose?: (port: number) => Promise<number>;
  /** Every node's TLS secrets, for decrypting a capture in Wireshark. */
  keylog?: KeyLog;
  /** A user's own tactic for mallory (`--tactic FILE`, lab/tactic-file.ts), next to the scenario's. */
  custom?: ElementTactic;
  /** Record every TCP leg of the run (`run --pcap`): the witness's taps, and a relay for bob's. */
  capture?: Capture;
}

export async function createRunContext(): Promise<RunContext> {
  // Loaded on first use: the certificate library is the heaviest import, and the console's
  // first frame does not need it (bench/startup.ts).
  const { generatePki } = await import("./pki.js");
  return { pki: await generatePki(), accounts: accountsFrom(PASSWORDS), passwords: PASSWORDS };
}

export interface RunResult extends Verdict {
  scenario: Scenario;
  events: LabEvent[];
  /** The bytes of both legs as the runner's taps kept them (the witness read them; tests may too). */
  taps: readonly LegTap[];
  durationMs: number;
}

const LOOPBACK = { host: "127.0.0.1", port: 0 };

/**
 * Wire alice → mallory → server (and bob → server) on ephemeral loopback ports, run the
 * script (log in, send the message, close), then let the witness judge.
 */
export async function runScenario(s: Scenario, ctx: RunContext, onEvent?: (e: LabEvent) => void): Promise<RunResult> {
  const t0 = performance.now();
  const rec = createRecorder(ctx.clock);
  if (onEvent) rec.subscribe(onEvent);
  const timeoutMs = ctx.timeoutMs ?? 4000;
  const { pki } = ctx;
  const stops: Array<() => unknown> = [];
  const capture = ctx.capture && { capture: ctx.capture, prefix: s.id };
  const aliceLeg = legTap("alice-mallory", capture);
  const serverLeg = legTap("mallory-server", capture);
  stops.push(() => Promise.all([aliceLeg.close(), serverLeg.close()]));
  const relays: Array<() => Promise<void>> = [];

  // What a Certificate Transparency monitor watching lab.example reads in the lab's CT log (RFC
  // 9162): the certificates the publicly trusted lab CAs issued for it, all before this run.
  rec.emit("ct-log", { kind: "ct-log", domain: LAB_DOMAIN, entries: monitorEntries(certificateLog(pki), LAB_DOMAIN) });
  try {
    const strength = s.alice.password ?? "strong";
    const { accounts, passwords } = credentialsFor(ctx, strength);
    const server = createServer({
      tls: s.server.tls,
      directTls: s.server.directTls ? LOOPBACK : undefined,
      identity: pki.server,
      accounts,
      mechanisms: s.server.mechanisms,
      allowPlainCleartext: s.server.allowPlainCleartext,
      tlsMaxVersion: s.server.tlsMaxVersion,
      downgradeProtection: s.server.downgradeProtection,
      starttlsBufferingBug: s.server.starttlsBufferingBug,
      emit: rec.emit,
      keylog: ctx.keylog,
    });
    stops.push(() => server.stop());
    const ports = await server.start();

    // bob's own leg is no part of the witness; with a capture it goes through a relay that records it.
    const bobLeg = async (port: number) => {
      if (!ctx.capture) return port;
      const r = await captureRelay(ctx.capture, `${s.id}: bob → server`, { host: "127.0.0.1", port });
      relays.push(r.close);
      return r.port;
    };
    // bob is not the subject: a setting that keeps him out (a server offering no mechanism he
    // can use) leaves alice's run to go on without him; the server's own record of what it
    // received as alice's still counts (lab/witness/witness.ts).
    const bob = await createClient({
      name: "bob", jid: `bob@${LAB_DOMAIN}`, password: ctx.passwords.bob, resource: "desk",
      connect: { host: "127.0.0.1", port: await bobLeg(ports.port) },
      ...bobSecurity(s, pki),
      timeoutMs, emit: rec.emit, keylog: ctx.keylog,
    }).start().catch(() => null);
    if (bob) stops.push(() => bob.close());

    const identity = s.mallory.identity && malloryIdentity(pki, s.mallory.identity);
    // mallory stands in front of each of the server's ports: the main one (STARTTLS, cleartext,
    // or direct TLS), and the direct-TLS one when there is one (XEP-0368) - which she may block.
    // The runner taps both legs of every path, alice↔mallory and mallory↔server (lab/witness/).
    const mallory = async (upstreamPort: number, to: string, tactics: Scenario["mallory"]["tactics"], connPrefix: string) => {
      const custom = tactics.includes("block") ? undefined : ctx.custom;
      const m = createAttacker({ upstream: { host: "127.0.0.1", port: await serverLeg.interpose(upstreamPort, to) }, tactics, identity, connPrefix, timeoutMs, emit: rec.emit, keylog: ctx.keylog, wordlist: BUNDLED_WORDLIST, custom });
      stops.push(() => m.stop());
      return (await m.start()).port;
    };
    const mainPort = await mallory(ports.port, "main", s.mallory.tactics, "m");
    const directPort = ports.directTlsPort || s.mallory.blockDirectTls
      ? await mallory(ports.directTlsPort ?? ports.port, "direct", s.mallory.blockDirectTls ? ["block"] : s.mallory.tactics, "d")
      : null;
    // alice's first try goes to the direct-TLS port when the server has one next to STARTTLS.
    let connectPort = await aliceLeg.interpose(s.alice.tls === "direct" && directPort !== null ? directPort : mainPort, "alice");
    const fallback: ClientOptions["fallback"] = s.alice.fallbackToStartTls ? { host: "127.0.0.1", port: await aliceLeg.interpose(mainPort, "alice-fallback") } : undefined;
    if (ctx.interpose) connectPort = await ctx.interpose(connectPort);

    let alice: ClientSession | null = null;
    try {
      alice = await createClient({
        name: "alice", jid: `alice@${LAB_DOMAIN}`, password: passwords.alice, resource: "phone",
        connect: { host: "127.0.0.1", port: connectPort },
        fallback,
        fallbackTls: s.alice.fallbackTls,
        tls: s.alice.tls,
        verify: aliceVerify(s, pki),
        channelBinding: s.alice.channelBinding,
        channelBindingTypes: s.alice.channelBindingType ? [s.alice.channelBindingType] : undefined,
        rememberedMechanisms: s.alice.rememberedMechanisms,
        downgradeProtection: s.alice.downgradeProtection,
        allowPlainWithoutTls: s.alice.allowPlainWithoutTls,
        mechanisms: s.alice.mechanisms,
        timeoutMs, emit: rec.emit, keylog: ctx.keylog,
      }).start();
    } catch {
      // alice's refusal is in the trace as an error event; the verdict reads it from there.
    }
    if (alice) {
      alice.send(`bob@${LAB_DOMAIN}`, MESSAGE);
      // Closing waits for the server's </stream:stream>, which it sends after routing the message.
      await alice.close();
      await serverDoneWithAlice(rec, timeoutMs);
      const routed = rec.events.filter((e) => e.node === "server" && e.kind === "message" && e.what === "routed").length;
      if (routed && bob) await bob.waitForMessages(routed);
    }
  } finally {
    for (const stop of stops.reverse()) await stop();
    await Promise.all(relays.map((close) => close()));
  }
  // Every node has stopped and settled: freeze the trace, so every reader sees the same one.
  const events = rec.events.slice();
  // Ground truth is the password alice really has in this run (alice.password: strong or weak).
  const { passwords } = credentialsFor(ctx, s.alice.password ?? "strong");
  const witness = judgeWitness(events, [aliceLeg, serverLeg], { jid: `alice@${LAB_DOMAIN}`, password: passwords.alice, words: BUNDLED_WORDLIST });
  const verdict = judge(s, events, witness, checkClaims(events, witness, passwords, [aliceLeg, serverLeg]));
  return { ...verdict, scenario: s, events, taps: [aliceLeg, serverLeg], durationMs: Math.round(performance.now() - t0) };
}

/**
 * alice's close resolves once her socket is closed, and mallory closes it as soon as alice ends
 * her half - while what she relayed last (the message, alice's </stream:stream>) may still be
 * on its way to the server through the leg tap. Wait, bounded, until the server has closed
 * every connection on alice's path, so the trace holds what the server really received: with
 * bob there the message wait below covered it, without him (a setting that keeps him out) the
 * run ended first and the story said the message "never arrives".
 */
function serverDoneWithAlice(rec: Recorder, ms: number): Promise<void> {
  const done = () => {
    const onPath = notBobs(rec.events);
    const open = new Set<string>();
    for (const e of rec.events) {
      if (e.node !== "server" || !e.conn || !onPath(e)) continue;
      if (e.kind === "connected") open.add(e.conn);
      else if (e.kind === "closed") open.delete(e.conn);
    }
    return open.size === 0;
  };
  if (done()) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(finish, ms);
    const unsubscribe = rec.subscribe(() => done() && finish());
    function finish() {
      clearTimeout(timer);
      unsubscribe();
      resolve();
    }
  });
}

function aliceVerify(s: Scenario, pki: LabPki): VerifyPolicy {
  const ca = [pki.ca.cert];
  if (s.alice.trustsRogueCa) ca.push(pki.rogueCa.cert);
  if (s.alice.trustsPublicCa) ca.push(pki.publicCa.cert);
  if (s.alice.verify === "none") return { mode: "none" };
  if (s.alice.verify === "ca" || s.alice.verify === "chain") return { mode: s.alice.verify, ca };
  return { mode: "pin", ca, pins: [spkiPin(pki.server.cert)] };
}

const weakCredentials = new WeakMap<RunContext, { accounts: Accounts; passwords: Record<string, string> }>();

/** The accounts and passwords for alice's password strength: the context's own for "strong". */
function credentialsFor(ctx: RunContext, strength: PasswordStrength): { accounts: Accounts; passwords: Record<string, string> } {
  if (strength === "strong") return ctx;
  let c = weakCredentials.get(ctx);
  if (!c) {
    const passwords = { ...ctx.passwords, alice: ALICE_PASSWORDS.weak };
    c = { accounts: accountsFrom(passwords), passwords };
    weakCredentials.set(ctx, c);
  }
  return c;
}

/** bob talks to the server directly, as securely as it allows: he is not the subject. */
function bobSecurity(s: Scenario, pki: LabPki): Pick<ClientOptions, "tls" | "verify" | "allowPlainWithoutTls"> {
  const verify: VerifyPolicy = { mode: "ca", ca: [pki.ca.cert] };
  if (s.server.tls === "none") return { tls: "off", verify: { mode: "none" }, allowPlainWithoutTls: true };
  if (s.server.tls === "direct") return { tls: "direct", verify };
  return { tls: "required", verify };
}
