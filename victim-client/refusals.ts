import { LabError } from "../lab/core/errors.js";

/** Every way alice can refuse or fail, each with the sentence a student reads. */
export const refuse = {
  /** alice requires TLS and her <starttls/> got <failure/> (RFC 6120 §5.4.2.2). */
  startTlsFailed: (offered: boolean) =>
    new LabError(
      "STARTTLS_UNAVAILABLE",
      offered ? "<starttls/> was offered, but the request got <failure/>" : "no <starttls/> offered, and the request got <failure/>",
      offered
        ? "alice asked for TLS and got <failure/> instead of <proceed/> (RFC 6120 §5.4.2.2). alice requires TLS, so she stopped before sending her password."
        : "The features alice received had no <starttls/> (an on-path attacker can delete it), so she asked for TLS anyway (RFC 7590 §3.1) and got <failure/>. alice requires TLS, so she stopped before sending her password.",
      { detail: offered ? "failure-after-offer" : "not-offered" },
    ),
  plainInClear: (offered: string[]) =>
    new LabError(
      "NO_SAFE_MECHANISM",
      `offered [${offered.join(", ")}] on a cleartext stream`,
      "The only mechanism left was PLAIN, on a stream without TLS. alice refuses to send her password in the clear (RFC 6120 §13.8.3).",
    ),
  // What alice received, not what the server offered: mallory may have removed the rest
  // (strip-mechanisms), and alice cannot tell the difference.
  noMechanism: (offered: string[]) =>
    new LabError(
      "NO_MECHANISM",
      `no usable mechanism in [${offered.join(", ")}]`,
      offered.length
        ? `The features alice received offered only ${offered.join(", ")}: no SASL mechanism she is willing to use.`
        : "The features alice received offered no SASL mechanism at all.",
    ),
  // Only what alice can know: the SASL condition (RFC 6120 §6.5). Why the server refused (a
  // wrong password, a channel binding that does not match) is the server's to say, in its
  // own auth event; the narration tells it from there, never by guessing here.
  authFailed: (condition: string) =>
    new LabError("AUTH_FAILED", `SASL failure <${condition}/>`, `The server refused alice's login with <${condition}/> (RFC 6120 §6.5).`, { detail: condition }),
  bindingRefused: (type: string, protocol: string | null, text: string | null) =>
    new LabError(
      "CHANNEL_BINDING_REFUSED",
      `the server refused channel-binding type ${type} on ${protocol}${text ? ` ("${text}")` : ""}`,
      `The server does not accept ${type} as a channel-binding type here: it refused alice's first SCRAM message, before any binding data or proof was sent. ` +
        "This is a capability mismatch between client and server, not a sign of anyone in the middle. " +
        "A server that announces its types (XEP-0440) lets alice pick one it accepts; without the list she can only use the default for the TLS version (RFC 9266, RFC 5929)." +
        (protocol === "TLSv1.3" && type === "tls-exporter"
          ? " Servers older than RFC 9266 may know only tls-unique, which TLS 1.3 does not define, so alice will not use it there."
          : ""),
    ),
  serverSignature: () =>
    new LabError(
      "SCRAM_SERVER_SIGNATURE",
      "server-final signature did not verify",
      "The server could not prove it knows alice's SCRAM keys, so alice does not trust this session (RFC 5802 §5).",
    ),
  mechanismDowngrade: (missing: string[], offered: string[]) =>
    new LabError(
      "MECHANISM_DOWNGRADE",
      `the server offered ${missing.join(", ")} before; now only [${offered.join(", ")}]`,
      // Pinning cannot tell an attacker's edit from an operator's change (XEP-0474 §2): say both.
      `alice remembers what the server offered before (mechanism pinning) and ${missing.join(", ")} ${missing.length === 1 ? "is" : "are"} missing now: removed on the way, or no longer offered - she cannot tell which (RFC 6120 §13.9.4). She refuses the weaker login.`,
    ),
  downgradeHash: (offered: string[], cb: string[] | null) =>
    new LabError(
      "DOWNGRADE_DETECTED",
      `XEP-0474 hash does not match [${offered.join(", ")}]${cb ? ` with [${cb.join(", ")}]` : ""}`,
      "The server's hash of what it offered (XEP-0474 h=, signed into the SCRAM exchange) does not match the mechanisms alice saw: the list was changed on the way. She aborts before sending her proof.",
    ),
  proceedInjection: () =>
    new LabError(
      "STARTTLS_INJECTION",
      "data followed <proceed/> before TLS began",
      "Data was pipelined behind <proceed/> before TLS began; alice hung up instead of treating it as protected (RFC 6120 §5.4.3.3).",
    ),
  streamError: (condition: string, text: string | null) =>
    new LabError("STREAM_ERROR", `stream error <${condition}/>${text ? ": " + text : ""}`, `The server closed the stream with <${condition}/>.`),
  closed: (during: string) =>
    new LabError("CONNECTION_CLOSED", `connection closed during ${during}`, `The connection was closed while alice was ${during}.`),
  timeout: (waiting: string, ms: number) =>
    new LabError("TIMEOUT", `no answer within ${ms} ms while ${waiting}`, `Nothing arrived while alice was ${waiting}; she gave up.`),
  scramIterations: (iterations: number, bounds: { min: number; max: number }) =>
    new LabError(
      "SCRAM_ITERATIONS",
      `the SCRAM challenge asks for ${iterations} iterations; alice accepts ${bounds.min} to ${bounds.max}`,
      iterations < bounds.min
        ? `The server asked for only ${iterations} PBKDF2 iterations. RFC 7677 §4 asks for at least 4096: fewer would make alice's proof cheap to guess offline for whoever recorded it, so she stops before computing it.`
        : `The server asked for ${iterations} PBKDF2 iterations, far beyond any real server's setting; computing that would take alice minutes, so she stops instead.`,
    ),
  unexpected: (el: { name: string; ns: string | undefined }, expected: string) =>
    new LabError(
      "UNEXPECTED",
      `expected ${expected}, got <${el.name}>${el.ns ? ` in ${el.ns}` : ""}`,
      `The server sent <${el.name}>${el.ns ? ` (namespace ${el.ns})` : ""} where alice expected ${expected}; an element in another namespace is a different element, so she stops.`,
    ),
  wrongJid: (bound: string, mine: string) =>
    new LabError("BIND_FAILED", `the server bound ${bound}, which is not a resource of ${mine}`, `The bind result named another account (${bound}); alice refuses to act as someone else (RFC 6120 §7.6.1).`),
  connect: (target: string, message: string) =>
    new LabError("CONNECT_FAILED", `could not connect to ${target}: ${message}`, `alice could not reach ${target}.`),
};

/**
 * The same refusal told of the client that met it. The sentences above are written about alice,
 * the lab's subject; bob (and a standalone `mitm-lab client --jid carol@...`) runs the same code,
 * and his refusal must not say alice refused.
 */
export function toldOf(e: LabError, name: string): LabError {
  if (name === "alice" || !/\balice\b/.test(e.explain)) return e;
  return new LabError(e.code, e.message, e.explain.replace(/\balice\b/g, name), { cause: e.cause, detail: e.detail });
}
