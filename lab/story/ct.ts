import type { LabEvent } from "../core/events.js";
import type { Panel } from "./types.js";

/**
 * What a Certificate Transparency monitor watching alice's domain would have shown (RFC 9162
 * §8.2; crt.sh, Cert Spotter and the like): every logged certificate naming the domain, with
 * its issuer, names, validity and key, each key compared with the one the server uses in this
 * run. Drawn only from the trace: the log (the runner's `ct-log` event), the server's own
 * certificate (its `tls` events), and the certificate alice was shown (hers). Null when the run
 * has no log.
 */
export function ctMonitorPanel(events: readonly LabEvent[]): Panel | null {
  const log = events.find((e): e is Extract<LabEvent, { kind: "ct-log" }> => e.kind === "ct-log");
  if (!log) return null;
  const serverPin = events.flatMap((e) => (e.node === "server" && e.kind === "tls" && e.localCert ? [e.localCert.pin] : []))[0] ?? null;
  const alicePins = new Set(events.flatMap((e) => (e.node === "alice" && e.kind === "tls" && e.peerCert ? [e.peerCert.pin] : [])));
  const rows: Panel["rows"] = [];
  for (const x of log.entries) {
    const theirs = serverPin !== null && x.pin !== serverPin;
    const mark = serverPin === null ? "·" : theirs ? "⚠" : "✔";
    rows.push({ mark, text: `#${x.index}  issued by ${x.issuer}` });
    rows.push({ mark: " ", text: `     for ${x.dnsNames.join(", ") || x.subject} · valid ${day(x.notBefore)} → ${day(x.notAfter)}` });
    const whose = serverPin === null ? "" : theirs ? " ≠ the key the server uses" : " = the key the server uses";
    rows.push({ mark: " ", text: `     key ${short(x.pin)}${whose}` });
    if (alicePins.has(x.pin)) rows.push({ mark: " ", text: "     ↳ the certificate alice was shown in this run" });
  }
  const strangers = serverPin === null ? [] : log.entries.filter((x) => x.pin !== serverPin);
  const verdict: Panel["rows"][number] = strangers.length
    ? { mark: "⚠", text: `${log.domain} has ${strangers.length === 1 ? "a certificate" : `${strangers.length} certificates`} with a key the server does not use: alarm` }
    : serverPin === null
      ? { mark: "·", text: `the server showed no certificate in this run: nothing to compare with` }
      : { mark: "✔", text: `every logged certificate for ${log.domain} has the server's key: nothing to report` };
  const n = log.entries.length;
  return { title: `CT monitor · ${log.domain} · ${n} certificate${n === 1 ? "" : "s"} in the lab's CT log (RFC 9162)`, rows: [...rows, verdict] };
}

/** The day, as a CT search lists it (UTC). */
const day = (iso: string) => iso.slice(0, 10);

/** A pin short enough for a row: `sha256/AbCdEfGhIjKl…` (the full one is in ct-log.json). */
const short = (pin: string) => (pin.length > 19 ? `${pin.slice(0, 19)}…` : pin);

/** A panel as plain text lines, boxed on the left: the narrator's and the handout's. */
export function panelText(p: Panel): string[] {
  const row = (r: Panel["rows"][number]) => `${r.mark === " " ? " " : r.mark} ${r.text}`;
  return [`┌ ${p.title}`, ...p.rows.slice(0, -1).map((r) => `│ ${row(r)}`), ...p.rows.slice(-1).map((r) => `└ ${row(r)}`)];
}
