/** What one check found: the same object is printed as text, as --json, and kept in progress. */
export interface CheckResult {
  id: string;
  kind: "defend" | "attack" | "investigate";
  solved: boolean;
  /** One line: solved, or the first thing that went wrong. */
  summary: string;
  /** What the attacker still got and where to look, a line each (empty when solved). */
  details: string[];
  /** Defend and attack checks: every run the checker made, attackers and honest paths. */
  runs: RunCheck[];
  durationMs: number;
}

export interface RunCheck {
  /** "attacker": a mallory the answer must stop (defend) or the student's mallory (attack); "honest": nobody attacks. */
  role: "attacker" | "honest";
  name: string;
  ok: boolean;
  /** The witness's outcome for this run. */
  outcome: "attack-succeeds" | "attack-fails";
  /** The witness's account, in a sentence. */
  reason: string;
  /** The same, in a few words. */
  headline: string;
  /** Did alice log in and did bob get her message unaltered. */
  delivered: boolean;
  /** The command that shows this run step by step (the student's own settings included). */
  command: string;
  durationMs: number;
}

/** The headline of a run the nodes gave up on before it had a trace. */
export const RUN_FAILED = "the run could not complete";
