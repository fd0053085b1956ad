import type { Step } from "./types.js";

/**
 * A plain-language sentence for a step that says nothing of its own (no scenario line, no
 * fact of mallory's): what this element is, for a student seeing XMPP for the first time.
 */
export function explainStep(step: Step): string {
  if (step.kind === "local") return `${step.mark} ${step.text}.`;
  if (step.kind === "tls") return `${step.failed ? "✘" : "🔒"} ${step.text}.`;
  const t = step.sent.label;
  const sealed = step.secure.left || step.secure.right ? " (inside TLS)" : "";
  const fromAlice = step.from === "alice";
  const who = step.from === "mallory" ? "mallory" : fromAlice ? "alice" : "The server";
  if (t === "stream header") return fromAlice ? `alice opens an XML stream to lab.example${sealed} (RFC 6120 §4.2).` : `${who} answers with a stream header of its own${sealed}.`;
  if (t.startsWith("features [")) return `The server lists what it offers${sealed}: ${t.slice(10, -1) || "nothing"}.`;
  if (t === "<starttls/>") return `${who === "The server" ? "STARTTLS" : who} asks to upgrade this connection to TLS (RFC 6120 §5).`;
  if (t === "<proceed/>") return "The server agrees: TLS begins right after this element.";
  if (t === "<failure/>") return "The STARTTLS request is refused.";
  if (t === "auth PLAIN") return `alice logs in with PLAIN: her password, only base64-encoded${sealed || " - in cleartext"}.`;
  if (t.startsWith("auth SCRAM")) return `alice starts ${t.slice(5)}: a challenge-response login; the password itself never crosses the wire${sealed}.`;
  if (t === "SASL challenge" || t === "SASL response") return `SCRAM ${t.slice(5)}: nonces, salt and a proof${sealed}.`;
  if (t === "SASL success") return "Login accepted. Both sides restart the stream (RFC 6120 §6.3.2).";
  if (t.startsWith("SASL failure")) return "The server refuses the login.";
  if (t === "iq set bind") return "alice asks for a resource: the name of this device (RFC 6120 §7).";
  if (t === "iq result bind") return "The server confirms alice's full address.";
  if (t === "presence") return "alice tells the server she is online.";
  if (t.startsWith("message")) return `alice sends her message to bob${sealed || " - in cleartext"}.`;
  if (t === "close stream") return `${who} closes ${fromAlice || step.from === "mallory" ? "the" : "its"} stream.`;
  if (t.startsWith("stream error")) return `The stream is closed with an error: ${t.slice(13)}.`;
  return `${t}.`;
}
