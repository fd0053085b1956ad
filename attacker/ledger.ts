import type { ReadContext, TacticWhy } from "../lab/core/events.js";
import type { TacticDef, TacticName } from "./tactics/index.js";

/**
 * Per connection: which configured tactics acted, and a report for every one that did not -
 * inapplicable as soon as the stream reaches a context it cannot act in, or unused (with why)
 * when the connection ends. Once per tactic and connection: nothing is silently ignored.
 */
export class TacticLedger {
  private readonly acted = new Set<string>();
  private readonly reported = new Set<string>();
  /** tamper's idle reason: did any message cross where mallory could read it? */
  private sawMessage = false;
  /** inject-after-starttls's: mallory answered the client's <starttls/> herself (strip-starttls). */
  private refusedStartTls = false;

  constructor(
    private readonly defs: readonly TacticDef[],
    private readonly configured: ReadonlySet<TacticName>,
    private readonly report: (tactic: TacticName, status: "inapplicable" | "unused", context: ReadContext, why: TacticWhy) => void,
  ) {}

  /** A tactic produced an edit, a move or a loot item. */
  act(tactic: string | null): void {
    if (tactic) this.acted.add(tactic);
  }

  messageSeen(): void {
    this.sawMessage = true;
  }

  startTlsRefused(): void {
    this.refusedStartTls = true;
  }

  /** The stream is now in `context`: tactics that cannot act there (and have not) say so. */
  enter(context: ReadContext): void {
    for (const d of this.pending()) {
      if (d.contexts.includes(context)) continue;
      this.reported.add(d.name);
      this.report(d.name, "inapplicable", context, whyNot(d.name, context));
    }
  }

  /** The connection ended: every tactic that never acted says why. */
  close(context: ReadContext): void {
    for (const d of this.pending()) {
      this.reported.add(d.name);
      this.report(d.name, "unused", context, this.idleWhy(d));
    }
  }

  private idleWhy(d: TacticDef): TacticWhy {
    if (d.name === "tamper" && this.sawMessage) return "no-match";
    if (d.name === "inject-after-starttls" && this.refusedStartTls) return "starttls-refused";
    return d.idle;
  }

  private pending(): TacticDef[] {
    // observe is the relay itself: it always acts.
    return this.defs.filter((d) => d.name !== "observe" && this.configured.has(d.name) && !this.acted.has(d.name) && !this.reported.has(d.name));
  }
}

function whyNot(tactic: TacticName, context: ReadContext): TacticWhy {
  if (context === "sealed") return "sealed";
  if (context === "byte-relay") return "byte-relay";
  if (tactic === "strip-starttls") return "no-starttls-inside-tls";
  return "no-tls-records";
}
