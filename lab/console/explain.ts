import type { Step } from "./steps.js";

/**
 * A plain-language sentence for a protocol step that no scenario line covers: what this
 * element is, for a student seeing XMPP for the first time.
 */
export function explainStep(step: Step): string {
  const t = step.text.replace(/^🔒 /, "");
  const sealed = step.text.startsWith("🔒 ") ? " (inside TLS)" : "";
  const out = step.dir === "right";
  if (t === "stream header") return out ? `alice opens an XML stream to lab.example${sealed} (RFC 6120 §4.2).` : `The server answers with its own stream header${sealed}.`;
  if (t.startsWith("features [")) return `The server lists what it offers${sealed}: ${t.slice(10, -1) || "nothing"}.`;
  if (t === "<starttls/>") return out ? "alice asks to upgrade this connection to TLS (RFC 6120 §5)." : "STARTTLS.";
  if (t === "<proceed/>") return "The server agrees: TLS begins right after this element.";
  if (t === "<failure/>") return "The STARTTLS request was refused.";
  if (t === "auth PLAIN") return `alice logs in with PLAIN: her password, only base64-encoded${sealed || " - in cleartext"}.`;
  if (t.startsWith("auth SCRAM")) return `alice starts ${t.slice(5)}: a challenge-response login; the password itself never crosses the wire${sealed}.`;
  if (t === "SASL challenge" || t === "SASL response") return `SCRAM ${t.slice(5)}: nonces, salt and a proof${sealed}.`;
  if (t === "SASL success") return "Login accepted. Both sides restart the stream (RFC 6120 §6.3.2).";
  if (t.startsWith("SASL failure")) return "The server refused the login.";
  if (t === "iq set bind") return "alice asks for a resource: the name of this device (RFC 6120 §7).";
  if (t === "iq result bind") return "The server confirms alice's full address.";
  if (t === "presence") return "alice tells the server she is online.";
  if (t.startsWith("message")) return `alice sends her message to bob${sealed || " - in cleartext"}.`;
  if (t === "close stream") return out ? "alice closes her stream." : "The server closes its stream.";
  if (t.startsWith("stream error")) return `The stream was closed with an error: ${t.slice(13)}.`;
  return step.text;
}
