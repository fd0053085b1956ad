/**
 * An exercise is data, like a scenario: what the student is asked, what they may change, who
 * attacks, the hints, and what instructors need to know. The checker (lab/exercises/) reads
 * these and judges with the witness; the docs and the console render the same fields.
 */

export type ExerciseKind = "defend" | "attack" | "investigate";

interface Common {
  /** Stable id: the student types it, progress is keyed by it, the classroom report shows it. */
  id: string;
  kind: ExerciseKind;
  title: string;
  /** The task as the student reads it; paragraphs separated by blank lines. */
  task: string;
  /** Commands and files that help, shown under the task. */
  look: string[];
  /** Each more specific than the last; `mitm-lab exercise <id> --hint` reveals the next one. */
  hints: string[];
  /** The scenarios it builds on (docs/scenarios.md). */
  scenarios: string[];
  /** Shown once solved: the lesson, and what the exercise could not show. */
  lesson: string;
  /** For instructors only (docs/exercises-instructor.md): what it teaches, usual mistakes. */
  teaching: string;
}

/** One mallory the student's settings must withstand, or one honest network they must work on. */
export interface Path {
  /** Short label, e.g. "strips <starttls/>". */
  name: string;
  /** `--set` values applied after the student's: mallory's side (and the network's). */
  set: string[];
}

export interface DefendExercise extends Common {
  kind: "defend";
  /** The scenario whose settings the student starts from. */
  base: string;
  /** `--set` values that turn the scenario into the exercise's starting point (applied first). */
  baseSet?: string[];
  /** Settings the student may change: exact paths ("alice.verify") or sections ("alice."). */
  may: string[];
  /** Every mallory the exercise names: the student's settings must stop each one. */
  attackers: Path[];
  /**
   * Networks with no attacker on them: alice must still log in and bob must get her message,
   * so that a configuration that never connects does not pass.
   */
  honest: Path[];
  /** What mallory must not get: anything at all (the witness's verdict), or alice's password. */
  protect: "everything" | "password";
  /** A reference solution (tests run it; the instructor doc shows it). */
  solution: string[];
  /** Wrong answers, each with why it is wrong (tests run them; the instructor doc lists them). */
  wrong: Array<{ set: string[]; why: string }>;
}

/** What a student's tactic must achieve, as the witness sees it. */
export type AttackGoal =
  /** alice's password crossed where mallory could read it (PLAIN, or SCRAM the wordlist cracks). */
  | "password"
  /** bob received something alice never sent. */
  | "message-altered"
  /** the server processed mallory's bytes as if they had come inside alice's TLS session. */
  | "injection";

export interface AttackExercise extends Common {
  kind: "attack";
  /** The scenario that sets the victims (alice and the server) and mallory's certificate. */
  victim: string;
  /** `--set` values for alice and the server on top of the scenario's (the fixed victim). */
  victimSet?: string[];
  /** Built-in moves mallory makes besides the student's tactic (e.g. intercept-tls); may be none. */
  builtins: string[];
  goal: AttackGoal;
  /** Reference tactic files, relative to exercises/solutions/ (tests load each). */
  solution: string[];
  /** Tactic files that must not pass, relative to exercises/solutions/, with why. */
  wrong: Array<{ file: string; why: string }>;
}

export type MaterialKind = "capture-password" | "scram-crack" | "which-scenario";

export interface InvestigateExercise extends Common {
  kind: "investigate";
  /** What the lab generates for each student (lab/exercises/material/). */
  material: MaterialKind;
  /** How to give the answer, shown with the task. */
  answer: string;
}

export type Exercise = DefendExercise | AttackExercise | InvestigateExercise;
