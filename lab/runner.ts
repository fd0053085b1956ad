import { createAttacker, type Attacker } from "../attacker/index.js";
import { MESSAGE, type Scenario } from "../scenarios/index.js";
import { type ClientOptions, type ClientSession, createClient } from "../victim-client/index.js";
import { type Accounts, accountsFrom, createServer } from "../victim-server/index.js";
import { createRecorder, type LabEvent } from "./core/events.js";
import { LAB_DOMAIN } from "./core/ns.js";
import { type KeyLog, spkiPin, type VerifyPolicy } from "./core/tls.js";
import { malloryIdentity } from "./identities.js";
import { ALICE_PASSWORDS, BOB_PASSWORD } from "./passwords.js";
import type { LabPki } from "./pki.js";
import { judge, type Verdict } from "./verdict.js";

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
  durationMs: number;
}

const LOOPBACK = { host: "127.0.0.1", port: 0 };

/**
 * Wire alice → mallory → server (and bob → server) on ephemeral loopback ports, run the
 * script (log in, send the message, close), then judge from the trace.
 */
export async function runScenario(s: Scenario, ctx: RunContext, onEvent?: (e: LabEvent) => void): Promise<RunResult> {
  const t0 = performance.now();
  const rec = createRecorder(ctx.clock);
  if (onEvent) rec.subscribe(onEvent);
  const timeoutMs = ctx.timeoutMs ?? 4000;
  const { pki } = ctx;
  const stops: Array<() => unknown> = [];

  try {
    const server = createServer({
      tls: s.server.tls,
      directTls: s.server.directTls ? LOOPBACK : undefined,
      identity: pki.server,
      accounts: ctx.accounts,
      mechanisms: s.server.mechanisms,
      allowPlainCleartext: s.server.allowPlainCleartext,
      emit: rec.emit,
      keylog: ctx.keylog,
    });
    stops.push(() => server.stop());
    const ports = await server.start();

    const bob = await createClient({
      name: "bob", jid: `bob@${LAB_DOMAIN}`, password: ctx.passwords.bob, resource: "desk",
      connect: { host: "127.0.0.1", port: ports.port },
      ...bobSecurity(s, pki),
      timeoutMs, emit: rec.emit, keylog: ctx.keylog,
    }).start();
    stops.push(() => bob.close());

    const identity = s.mallory.identity && malloryIdentity(pki, s.mallory.identity);
    const aliceDirect = s.alice.tls === "direct";
    // alice's first try goes to the direct-TLS port when the server has one next to STARTTLS.
    const upstreamPort = aliceDirect && ports.directTlsPort && !s.mallory.blockDirectTls ? ports.directTlsPort : ports.port;
    const mallory = createAttacker({ upstream: { host: "127.0.0.1", port: upstreamPort }, tactics: s.mallory.tactics, identity, timeoutMs, emit: rec.emit, keylog: ctx.keylog });
    stops.push(() => mallory.stop());
    const { port: malloryPort } = await mallory.start();

    let connectPort = malloryPort;
    let fallback: ClientOptions["fallback"];
    if (s.mallory.blockDirectTls) {
      const blocker: Attacker = createAttacker({ upstream: { host: "127.0.0.1", port: ports.directTlsPort ?? ports.port }, tactics: ["block"], emit: rec.emit });
      stops.push(() => blocker.stop());
      connectPort = (await blocker.start()).port;
    }
    if (s.alice.fallbackToStartTls) fallback = { host: "127.0.0.1", port: malloryPort };
    if (ctx.interpose) connectPort = await ctx.interpose(connectPort);

    let alice: ClientSession | null = null;
    try {
      alice = await createClient({
        name: "alice", jid: `alice@${LAB_DOMAIN}`, password: ctx.passwords.alice, resource: "phone",
        connect: { host: "127.0.0.1", port: connectPort },
        fallback,
        tls: s.alice.tls,
        verify: aliceVerify(s, pki),
        channelBinding: s.alice.channelBinding,
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
      const routed = rec.events.filter((e) => e.node === "server" && e.kind === "message" && e.what === "routed").length;
      if (routed) await bob.waitForMessages(routed);
    }
  } finally {
    for (const stop of stops.reverse()) await stop();
  }
  // Every node has stopped and settled: freeze the trace, so every reader sees the same one.
  const events = rec.events.slice();
  const verdict = judge(s, events, ctx.passwords);
  return { ...verdict, scenario: s, events, durationMs: Math.round(performance.now() - t0) };
}

function aliceVerify(s: Scenario, pki: LabPki): VerifyPolicy {
  const ca = s.alice.trustsRogueCa ? [pki.ca.cert, pki.rogueCa.cert] : [pki.ca.cert];
  if (s.alice.verify === "none") return { mode: "none" };
  if (s.alice.verify === "ca") return { mode: "ca", ca };
  return { mode: "pin", ca, pins: [spkiPin(pki.server.cert)] };
}

/** bob talks to the server directly, as securely as it allows: he is not the subject. */
function bobSecurity(s: Scenario, pki: LabPki): Pick<ClientOptions, "tls" | "verify" | "allowPlainWithoutTls"> {
  const verify: VerifyPolicy = { mode: "ca", ca: [pki.ca.cert] };
  if (s.server.tls === "none") return { tls: "off", verify: { mode: "none" }, allowPlainWithoutTls: true };
  if (s.server.tls === "direct") return { tls: "direct", verify };
  return { tls: "required", verify };
}
