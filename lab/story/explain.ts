import { LAB_NAMES, type Names } from "../names.js";
import type { Step } from "./types.js";

/**
 * A plain-language sentence for a step that says nothing of its own (no scenario line, no
 * fact of mallory's): what this element is, for a student seeing XMPP for the first time.
 * `names`: the lab's cast, or neutral names for a live session through a standalone mallory
 * (she does not know who her client is, nor whom its messages are for beyond their address).
 */
export function explainStep(step: Step, names: Names = LAB_NAMES): string {
  if (step.kind === "local") return `${step.mark} ${step.text}.`;
  if (step.kind === "tls") return `${step.failed ? "✘" : "🔒"} ${step.text}.`;
  const t = step.sent.label;
  const sealed = step.secure.left || step.secure.right ? " (inside TLS)" : "";
  const fromClient = step.from === "alice";
  const lab = names === LAB_NAMES;
  // The lab's cast keeps its lower-case names; "the client" starts a sentence capitalised.
  const Client = lab ? names.client : cap(names.client);
  const Server = cap(names.server);
  const who = step.from === "mallory" ? "mallory" : fromClient ? Client : Server;
  if (t === "stream header") return fromClient ? `${Client} opens an XML stream to ${lab ? "lab.example" : "the server"}${sealed} (RFC 6120 §4.2).` : `${who} answers with a stream header of its own${sealed}.`;
  if (t.startsWith("features [")) return `${Server} lists what it offers${sealed}: ${t.slice(10, -1) || "nothing"}.`;
  if (t === "<starttls/>") return `${who === Server ? "STARTTLS" : who} asks to upgrade this connection to TLS (RFC 6120 §5).`;
  if (t === "<proceed/>") return `${Server} agrees: TLS begins right after this element.`;
  if (t === "<failure/>") return "The STARTTLS request is refused.";
  if (t === "auth PLAIN") return `${Client} logs in with PLAIN: the password, only base64-encoded${sealed || " - in cleartext"}.`;
  if (t.startsWith("auth SCRAM")) return `${Client} starts ${t.slice(5)}: a challenge-response login; the password itself never crosses the wire${sealed}.`;
  // RFC 5802 §5.1, §7: server-first carries the combined nonce, the salt and the iteration count;
  // client-final carries the channel-binding data, the nonce again and the client's proof.
  if (t === "SASL challenge") return `SCRAM server-first: the combined nonce, the salt and the iteration count${sealed} (RFC 5802 §5.1).`;
  if (t === "SASL response") return `SCRAM client-final: the channel-binding data, the nonce and ${lab ? "alice's" : "the client's"} proof${sealed} (RFC 5802 §7).`;
  if (t === "SASL success") return "Login accepted. Both sides restart the stream (RFC 6120 §6.3.2).";
  if (t.startsWith("SASL failure")) return `${Server} refuses the login.`;
  if (t === "iq set bind") return `${Client} asks for a resource: the name of this device (RFC 6120 §7).`;
  if (t === "iq result bind") return `${Server} confirms ${lab ? "alice's" : "the client's"} full address.`;
  // Any other iq: a request and its answer (RFC 6120 §8.2.3), named by its payload.
  const iq = /^iq (get|set|result|error)\b ?(.*)$/.exec(t);
  if (iq) {
    const [, type, what] = iq;
    const about = what ? ` (${what})` : "";
    const to = fromClient ? names.server : names.client;
    if (type === "get") return `${who} asks ${to} something${about}: an iq get${sealed}.`;
    if (type === "set") return `${who} asks ${to} for a change${about}: an iq set${sealed}.`;
    if (type === "result") return `${who} answers an earlier iq${about}${sealed}.`;
    return `${who} refuses an earlier iq${what ? `: ${what}` : ""}${sealed}.`;
  }
  if (t === "presence") return fromClient ? `${Client} tells the server ${lab ? "she is" : "it is"} online.` : `${Server} passes on a presence.`;
  if (t.startsWith("message")) {
    const to = /^message → (.+)$/.exec(t)?.[1];
    const whom = to ? ` to ${to}` : "";
    return fromClient ? `${Client} sends a message${whom}${sealed || " - in cleartext"}.` : `${Server} delivers a message${whom}${sealed || " - in cleartext"}.`;
  }
  if (t === "close stream") return `${who} closes ${fromClient || step.from === "mallory" ? "the" : "its"} stream.`;
  if (t.startsWith("stream error")) return `The stream is closed with an error: ${t.slice(13)}.`;
  return `${t}.`;
}

/** A step in words, as every renderer says it: the scenario's lines for it, else the fact's own sentence, else what the element is. */
export function stepWords(step: Step, names: Names = LAB_NAMES): string {
  return step.lines.join(" ") || step.say || explainStep(step, names);
}

const cap = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
