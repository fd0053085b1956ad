import { EXERCISES } from "../../exercises/index.js";
import { type ProgressFile, statusOf } from "./progress.js";

/**
 * What a student hands in, and what the classroom's instructor view reads (issue 14's balancer
 * runs `mitm-lab exercise report --json` in each student's lab). The JSON is a public interface:
 * fields are added, never renamed or removed; `schema` changes if one ever must be.
 * docs/exercises.md documents it.
 */
export const REPORT_SCHEMA = "mitm-lab/exercise-report/1";

export interface ReportEntry {
  id: string;
  kind: "defend" | "attack" | "investigate";
  title: string;
  /** "new": never checked; "tried": checked, not solved; "solved": a check passed. */
  status: "new" | "tried" | "solved";
  hintsUsed: number;
  hints: number;
  attempts: number;
  firstTriedAt: string | null;
  solvedAt: string | null;
}

export interface Report {
  schema: typeof REPORT_SCHEMA;
  lab: string;
  generatedAt: string;
  solved: number;
  total: number;
  hintsUsed: number;
  exercises: ReportEntry[];
}

export function buildReport(p: ProgressFile, version: string, now = new Date()): Report {
  const exercises = EXERCISES.map((e): ReportEntry => {
    const x = p.exercises[e.id];
    return {
      id: e.id,
      kind: e.kind,
      title: e.title,
      status: statusOf(x),
      hintsUsed: Math.min(x?.hintsUsed ?? 0, e.hints.length),
      hints: e.hints.length,
      attempts: x?.attempts ?? 0,
      firstTriedAt: x?.firstTriedAt ?? null,
      solvedAt: x?.solvedAt ?? null,
    };
  });
  return {
    schema: REPORT_SCHEMA,
    lab: version,
    generatedAt: now.toISOString(),
    solved: exercises.filter((e) => e.status === "solved").length,
    total: exercises.length,
    hintsUsed: exercises.reduce((n, e) => n + e.hintsUsed, 0),
    exercises,
  };
}

const when = (iso: string | null) => (iso ? iso.slice(0, 16).replace("T", " ") + " UTC" : "-");

export function reportMarkdown(r: Report): string {
  const rows = r.exercises.map((e) => `| ${e.id} | ${e.kind} | ${e.status === "solved" ? "✔ solved" : e.status} | ${e.hintsUsed}/${e.hints} | ${e.attempts} | ${when(e.solvedAt)} |`);
  return [
    `# xmpp-mitm-lab exercises: report`,
    ``,
    `${r.solved} of ${r.total} solved, ${r.hintsUsed} hint${r.hintsUsed === 1 ? "" : "s"} used. Lab ${r.lab}, report made ${when(r.generatedAt)}.`,
    ``,
    `| exercise | kind | status | hints | checks | solved at |`,
    `|---|---|---|---|---|---|`,
    ...rows,
    ``,
    `Progress is the student's own record (kept in their config directory); the checks themselves judge with the lab's witness.`,
  ].join("\n");
}
