import path from "node:path";
import type { RealClient } from "./clients.js";
import { jsonl, labNode, type Proc, tmpdir } from "./helpers.js";
import type { Port, RealServer, ServerAuth } from "./servers.js";

/**
 * The interop matrix: every real client against every server, first directly (the controls),
 * then through a standalone mallory with `strip-starttls,loot`. A cell's result is what the
 * server's log and bob's inbox show; mallory's loot claims are checked against them.
 */
export const MODES = [
  { id: "STARTTLS", via: null, port: "required", tls: "starttls" },
  { id: "direct TLS", via: null, port: "direct", tls: "direct" },
  { id: "mallory, TLS optional", via: "mallory", port: "optional", tls: "starttls" },
  { id: "mallory, TLS required", via: "mallory", port: "required", tls: "starttls" },
  { id: "mallory, direct TLS", via: "mallory", port: "direct", tls: "direct" },
] as const;
export type Mode = (typeof MODES)[number];

export const TACTICS = "strip-starttls,loot";

export interface CellResult {
  /** The client's own verdict (exit status 0). */
  clientOk: boolean;
  /** bob's inbox holds the cell's message. */
  delivered: boolean;
  /** mallory's loot, each claim with whether the witnesses confirm it. */
  claims: Array<{ what: string; confirmed: boolean; why: string }>;
  /** Does alice's password appear anywhere in what mallory logged? */
  passwordInLog: boolean;
  out: string;
}

/** The one-line form of a cell for the table. */
export function label(r: CellResult): string {
  const head = r.delivered ? "✔ delivered" : r.clientOk ? "⚠ client says sent, bob got nothing" : "✘ no login";
  const loot = [...new Set(r.claims.map((c) => c.what))];
  return loot.length ? `${head}; mallory: ${loot.join(", ")}` : head;
}

/** One mallory per upstream port, kept for the whole run; each cell reads the log lines it added. */
export class Malloreys {
  private readonly dir = tmpdir("lab-matrix-mallory-");
  private readonly nodes = new Map<number, { port: number; log: string; stop(): Promise<number> }>();

  async for(upstream: number) {
    let m = this.nodes.get(upstream);
    if (!m) {
      const log = path.join(this.dir, `mallory-${upstream}.jsonl`);
      const node = await labNode(["attacker", "--listen", "127.0.0.1:0", "--upstream", `127.0.0.1:${upstream}`, "--tactic", TACTICS, "--quiet", "--jsonl", log], 600_000);
      m = { port: node.port, log, stop: () => node.stop() };
      this.nodes.set(upstream, m);
    }
    return m;
  }

  async stop() {
    await Promise.all([...this.nodes.values()].map((m) => m.stop()));
  }
}

const bounded = async (tries: number, check: () => boolean) => {
  for (let i = 0; i < tries && !check(); i++) await new Promise((r) => setTimeout(r, 100));
  return check();
};

export async function runCell(client: RealClient, server: RealServer, mode: Mode, malloreys: Malloreys, account: { password: string; ca: string }, body: string): Promise<CellResult> {
  const target: Port = server[mode.port];
  const mark = target.instance.mark();
  let port = target.port;
  let mallory: { log: string } | null = null;
  let before = 0;
  if (mode.via) {
    const m = await malloreys.for(target.port);
    mallory = m;
    before = jsonl(m.log).length;
    port = m.port;
  }
  const p: Proc = client.run({ port, tls: mode.tls }, { jid: "alice@lab.example", password: account.password, ca: account.ca }, body);
  const code = await p.exit;
  // sendxmpp sends the line it read from stdin, newline included.
  const inbox = () => target.instance.bob.received.some((m) => m.body.trim() === body);
  // The client has exited; the server may still be routing: wait, bounded, for bob's copy.
  const delivered = code === 0 ? await bounded(30, inbox) : inbox();
  const auths = () => target.instance.authsSince(mark);
  const events = () => (mallory ? jsonl(mallory.log).slice(before) : []);
  const loot = () => events().filter((e) => e.kind === "loot").map((e) => e.loot);
  // Confirm each claim against what the server and bob saw (bounded: logs are written async).
  const check = () => loot().map((l) => confirm(l, auths(), inbox, account.password, body));
  await bounded(20, () => check().every((c) => c.confirmed));
  const passwordInLog = JSON.stringify(events()).includes(account.password);
  return { clientOk: code === 0, delivered, claims: check(), passwordInLog, out: p.out() + p.err() };
}

function confirm(l: Record<string, any>, auths: ServerAuth[], inbox: () => boolean, password: string, body: string) {
  const loggedIn = (mech?: string) => auths.some((a) => a.user === l.username && (a.mechanism === null || !mech || a.mechanism === mech));
  switch (l.type) {
    case "credential":
      return { what: "★ password", confirmed: l.password === password, why: "the captured password is alice's real one" };
    case "scram":
      return { what: "◆ SCRAM exchange", confirmed: loggedIn(l.mechanism), why: `the server logged ${l.username} in (${l.mechanism})` };
    case "message-read":
      return { what: "👁 message", confirmed: l.body.trim() === body && inbox(), why: "bob received the message mallory read" };
    default:
      return { what: l.type, confirmed: false, why: "not expected from strip-starttls,loot" };
  }
}

/** The matrix as a Markdown table: a row per client and mode, a column per server. */
export function table(servers: string[], rows: Array<{ client: string; mode: string; cells: string[] }>): string {
  const head = `| client | path | ${servers.join(" | ")} |\n|---|---|${servers.map(() => "---").join("|")}|`;
  return [head, ...rows.map((r) => `| ${r.client} | ${r.mode} | ${r.cells.join(" | ")} |`)].join("\n");
}
