/**
 * What each cell of the interop matrix shows (interop/matrix.ts label()), as observed with
 * Debian 12's packages and @xmpp/client 0.14. docs/real-software.md quotes this table, and the
 * matrix fails when a cell or the docs differ from it.
 */
export const MATRIX = `
| client | path | Prosody 0.12 | ejabberd 23.01 | lab server |
|---|---|---|---|---|
| slixmpp | STARTTLS | ✔ delivered | ✔ delivered | ✔ delivered |
| slixmpp | direct TLS | ✔ delivered | ✔ delivered | ✔ delivered |
| slixmpp | mallory, TLS optional | ✔ delivered; mallory: ◆ SCRAM exchange, 👁 message | ✔ delivered; mallory: ◆ SCRAM exchange, 👁 message | ✔ delivered; mallory: ◆ SCRAM exchange, 👁 message |
| slixmpp | mallory, TLS required | ✔ delivered; mallory: ◆ SCRAM exchange, 👁 message | ✔ delivered; mallory: ◆ SCRAM exchange, 👁 message | ✔ delivered; mallory: ◆ SCRAM exchange, 👁 message |
| slixmpp | mallory, direct TLS | ✔ delivered | ✔ delivered | ✔ delivered |
| go-sendxmpp | STARTTLS | ✔ delivered | ✔ delivered | ✔ delivered |
| go-sendxmpp | direct TLS | ✔ delivered | ✔ delivered | ✔ delivered |
| go-sendxmpp | mallory, TLS optional | ✘ no login | ✘ no login | ✘ no login |
| go-sendxmpp | mallory, TLS required | ✘ no login | ✘ no login | ✘ no login |
| go-sendxmpp | mallory, direct TLS | ✔ delivered | ✔ delivered | ✔ delivered |
| sendxmpp | STARTTLS | ✔ delivered | ✔ delivered | ✔ delivered |
| sendxmpp | direct TLS | ✔ delivered | ✔ delivered | ✔ delivered |
| sendxmpp | mallory, TLS optional | ✘ no login | ✔ delivered; mallory: ★ password, 👁 message | ✘ no login |
| sendxmpp | mallory, TLS required | ✔ delivered; mallory: ★ password, 👁 message | ✔ delivered; mallory: ★ password, 👁 message | ✔ delivered; mallory: ★ password, 👁 message |
| sendxmpp | mallory, direct TLS | ✔ delivered | ✔ delivered | ✔ delivered |
| xmpp.js | STARTTLS | ✔ delivered | ✔ delivered | ✔ delivered |
| xmpp.js | direct TLS | ✔ delivered | ✔ delivered | ✔ delivered |
| xmpp.js | mallory, TLS optional | ✔ delivered; mallory: ◆ SCRAM exchange, 👁 message | ✔ delivered; mallory: ◆ SCRAM exchange, 👁 message | ✔ delivered; mallory: ◆ SCRAM exchange, 👁 message |
| xmpp.js | mallory, TLS required | ✔ delivered; mallory: ◆ SCRAM exchange, 👁 message | ✔ delivered; mallory: ◆ SCRAM exchange, 👁 message | ✔ delivered; mallory: ◆ SCRAM exchange, 👁 message |
| xmpp.js | mallory, direct TLS | ✔ delivered | ✔ delivered | ✔ delivered |
| lab client | STARTTLS | ✔ delivered | ✔ delivered | ✔ delivered |
| lab client | direct TLS | ✔ delivered | ✔ delivered | ✔ delivered |
| lab client | mallory, TLS optional | ✘ no login | ✘ no login | ✘ no login |
| lab client | mallory, TLS required | ✘ no login | ✘ no login | ✘ no login |
| lab client | mallory, direct TLS | ✔ delivered | ✔ delivered | ✔ delivered |
`.trim();

/** `client|path|server` → the cell's text. */
export function expectedCells(md = MATRIX): Map<string, string> {
  const [head, , ...rows] = md.split("\n").map((l) => l.split("|").slice(1, -1).map((c) => c.trim()));
  const servers = head.slice(2);
  const out = new Map<string, string>();
  for (const [client, mode, ...cells] of rows) cells.forEach((c, i) => out.set(`${client}|${mode}|${servers[i]}`, c));
  return out;
}
