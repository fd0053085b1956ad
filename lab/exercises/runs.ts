import { MESSAGE } from "../../scenarios/index.js";
import type { LabEvent } from "../core/events.js";
import type { RunResult } from "../runner.js";

/**
 * Did alice reach bob: the endpoints' own record (alice sent, bob received the same words from
 * her), never mallory's. An honest path must end this way, or the answer "never connect" would
 * pass every defend exercise.
 */
export function delivered(r: Pick<RunResult, "events">): boolean {
  const sent = r.events.some((e) => e.node === "alice" && e.kind === "message" && e.what === "sent" && e.body === MESSAGE);
  const got = r.events.some((e: LabEvent) => e.node === "bob" && e.kind === "message" && e.what === "received" && e.body === MESSAGE && e.from.startsWith("alice@"));
  return sent && got;
}

/** Why alice did not reach bob, in the words her own refusal used. */
export function whyNotDelivered(r: RunResult): string {
  if (r.defence) return r.defence.explain;
  if (!r.client.completed) return "alice did not complete her login";
  return "bob never received alice's message";
}

/** The command line that reproduces a run, for "where to look". */
export function runCommand(scenario: string, sets: readonly string[]): string {
  const quote = (s: string) => (/^[\w.,=:/+-]*$/.test(s) ? s : `'${s.replace(/'/g, "'\\''")}'`);
  return ["mitm-lab run", scenario, ...sets.map((s) => `--set ${quote(s)}`)].join(" ");
}
