import type { LabEvent } from "./core/events.js";
import { authFailureText, decisionText, editsText, LAB_NAMES, moveText, type Names, tacticText } from "./sentences.js";
import { plain, type Style } from "./style.js";

/**
 * One event as one log line, as it happens: the standalone nodes' live log and a student's
 * trace.txt read events one at a time and cannot wait for an element to cross. Runs are told
 * from the story instead (lab/story/), where an element is one step however many nodes saw it.
 */
/** One event as one line, or null for events the transcript leaves out. */
export function eventLine(e: LabEvent, st: Style = plain, names: Names = LAB_NAMES): string | null {
  switch (e.kind) {
    case "stanza":
      if (e.node !== "alice") return null;
      return e.dir === "out" ? `alice  ──▶ ${e.label}${e.secure ? " 🔒" : ""}` : `alice  ◀── ${e.label}${e.secure ? " 🔒" : ""}`;
    case "relay": {
      // A rewritten body is already told by its loot line, when mallory noted it.
      const told = e.edits.filter((x) => x.op !== "rewrote-body");
      if (!told.length) return null;
      return st.warn(`mallory ✂ ${e.dir === "s2c" ? `toward ${names.client}` : `toward ${names.server}`}${e.context === "inside-tls" ? " (inside her TLS)" : ""}: ${editsText(told, names)}`);
    }
    case "move":
      return st.warn(`mallory ⚑ ${moveText(e.move, names)}`);
    case "tactic":
      return st.dim(`mallory · ${tacticText(e.tactic, e.status, e.context, e.why, names)}`);
    case "loot": {
      const l = e.loot;
      if (l.type === "credential") return st.bad(`mallory ★ password captured: ${l.username} / "${l.password}" (${l.mechanism})`);
      if (l.type === "scram") return st.warn(`mallory ◆ recorded a ${l.mechanism} exchange for ${l.username} (salt, ${l.iterations} iterations, proof): material for an offline guess, not the password`);
      if (l.type === "message-read") return st.bad(`mallory 👁 read a message: "${l.body}"`);
      return st.bad(`mallory ✎ rewrote a message: "${l.sent}" → "${l.delivered}"`);
    }
    case "tls": {
      if (e.node === "alice") {
        const c = e.peerCert;
        const cert = c ? `certificate ${c.subject} issued by ${c.issuer}${c.selfSigned ? " (self-signed)" : ""}, key ${c.pin.slice(0, 19)}…` : "no certificate";
        return `alice  🔒 TLS (${e.how}) ${e.protocol}: ${cert}`;
      }
      if (e.node === "server") return `server 🔒 TLS (${e.how}) ${e.protocol} with its peer`;
      return null;
    }
    case "decision":
      if (e.node === "bob") return null;
      if (e.decision.type === "channel-binding") return `${e.node.padEnd(6)} 🔗 ${decisionText(e.decision, e.node)}`;
      return `ℹ ${decisionText(e.decision, e.node)}`;
    case "error":
      return st.bad(`${e.node} ✘ ${e.code}: ${e.explain}`);
    case "auth":
      if (e.node !== "server") return null;
      return e.ok ? `server ✔ ${e.username} logged in with ${e.mechanism}` : st.good(`server ✘ refused ${e.username === "?" ? "a" : e.username + "'s"} ${e.mechanism} login: ${authFailureText(e.reason, e.condition)}`);
    case "message":
      if (e.node === "bob" && e.what === "received") return `bob    ✉ received: "${e.body}"`;
      return null;
    default:
      return null;
  }
}
