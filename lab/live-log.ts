import fs from "node:fs";
import type { Emit, LabEventBody } from "./core/events.js";
import { eventLine } from "./event-line.js";
import { authFailureText, LAB_NAMES, type Names } from "./sentences.js";
import { style } from "./style.js";

/**
 * For the standalone commands: every event as one readable line on stderr, and optionally
 * one JSON object per line in a file (`--jsonl`).
 */
export function liveLog(opts: { jsonl?: string; quiet?: boolean; names?: Names }): { emit: Emit; close(): Promise<void> } {
  const st = style(process.stderr);
  const file = opts.jsonl ? fs.createWriteStream(opts.jsonl, { flags: "a" }) : null;
  // The path was checked at start-up (cli/paths.ts); a later failure (a full disk) is one line, not a crash.
  let fileOk = !!file;
  file?.on("error", (err) => {
    if (fileOk) process.stderr.write(`mitm-lab: --jsonl ${opts.jsonl}: ${err.message}; no more events are written there\n`);
    fileOk = false;
  });
  const t0 = performance.now();
  let seq = 0;
  // One write per event-loop turn, not per event: under load a line per stanza was most of
  // mallory's CPU (synchronous writes to stderr).
  let lines: string[] = [];
  let scheduled = false;
  const flush = () => {
    scheduled = false;
    if (lines.length) process.stderr.write(lines.join(""));
    lines = [];
  };
  const emit: Emit = (node, body, conn) => {
    if (opts.quiet && !file) return;
    const t = Math.round(performance.now() - t0);
    const e = { ...body, node, conn, seq: seq++, t };
    if (fileOk) file!.write(JSON.stringify({ ...e, time: new Date().toISOString() }) + "\n");
    if (opts.quiet) return;
    const line = eventLine(e as never, st, opts.names) ?? fallback(node, body, opts.names ?? LAB_NAMES);
    if (!line) return;
    lines.push(`${st.dim(`${String(t).padStart(6)} ms ${conn ? conn.padEnd(3) : "   "}`)} ${line}\n`);
    if (!scheduled) {
      scheduled = true;
      setImmediate(flush);
    }
  };
  return {
    emit,
    close: () => {
      flush();
      return new Promise((r) => (file && fileOk ? file.end(r) : r()));
    },
  };
}

function fallback(node: string, e: LabEventBody, names: Names): string | null {
  switch (e.kind) {
    case "listening":
      return `${node} listening on ${e.address}:${e.port} (${e.role})`;
    case "connected":
      return `${node} connection ${e.via === "tls" ? "(TLS) " : ""}${e.peer}`;
    case "stanza":
      return `${node} ${e.dir === "out" ? "──▶" : "◀──"} ${e.label}${e.secure ? " 🔒" : ""}`;
    case "relay":
      return `${node} ${e.dir === "c2s" ? `${names.client} ─▶ ${names.server}` : `${names.client} ◀─ ${names.server}`}${e.context === "inside-tls" ? " (inside her TLS)" : ""} ${e.label}`;
    case "sealed":
      return `${node} 🔒 ${e.dir} ${e.bytes} bytes in ${e.records} TLS records`;
    case "bound":
      return `${node} bound ${e.jid}`;
    case "message":
      return `${node} ✉ ${e.what} ${e.from} → ${e.to}: "${e.body}"`;
    case "auth":
      return `${node} ${e.ok ? "✔" : "✘"} ${e.username} ${e.mechanism}${e.ok ? "" : ": " + authFailureText(e.reason, e.condition)}`;
    case "closed":
      return `${node} connection closed${e.reason ? ": " + e.reason : ""}`;
    default:
      return null;
  }
}
