import fs from "node:fs";
import os from "node:os";
import path from "node:path";

/**
 * A student's progress, in their own config directory (XDG Base Directory: $XDG_CONFIG_HOME,
 * else ~/.config), never in the lab's tree: the lab may be read-only (the classroom image), shared
 * by a class, or a git checkout a student pulls. The classroom (lab/serve, the k8s balancer)
 * gives each student their own XDG_CONFIG_HOME and reads `exercise report --json` from it.
 *
 * It is the student's own record, not a proof: anyone can edit a file in their home. The checker
 * is fair (it cannot be passed by blocking everything, a tactic that does nothing, or an edited
 * lab); the record is as honest as the student.
 */
export interface ExerciseProgress {
  /** First time `mitm-lab exercise <id>` showed it. */
  openedAt?: string;
  /** Hints revealed so far (the first n of the exercise's list). */
  hintsUsed: number;
  /** Checks run, solved or not. */
  attempts: number;
  firstTriedAt?: string;
  lastTriedAt?: string;
  /** The first check that solved it; a later failed check does not undo it. */
  solvedAt?: string;
  /** The last check's one-line summary. */
  lastSummary?: string;
}

/** Ground truth of an investigate exercise's generated material: salted hashes, never the answer. */
export interface MaterialRecord {
  generatedAt: string;
  /** Files written, absolute paths. */
  files: string[];
  salt: string;
  /** Named parts of the answer ("password", "scenario", "defence") -> sha256(salt + value). */
  truth: Record<string, string>;
  /** Facts safe to show (the iteration count, the number of guesses in a list...). */
  facts: Record<string, string | number>;
}

export interface ProgressFile {
  version: 1;
  exercises: Record<string, ExerciseProgress>;
  material: Record<string, MaterialRecord>;
}

export function configHome(env: NodeJS.ProcessEnv = process.env): string {
  const xdg = env.XDG_CONFIG_HOME;
  // The spec: a relative XDG_CONFIG_HOME is invalid and must be ignored.
  if (xdg && path.isAbsolute(xdg)) return xdg;
  return path.join(env.HOME || os.homedir(), ".config");
}

/** ~/.config/mitm-lab: progress.json and the generated material. */
export function labDir(env: NodeJS.ProcessEnv = process.env): string {
  return path.join(configHome(env), "mitm-lab");
}

export function materialDir(id: string, env: NodeJS.ProcessEnv = process.env): string {
  return path.join(labDir(env), "material", id);
}

const empty = (): ProgressFile => ({ version: 1, exercises: {}, material: {} });

export function blank(): ExerciseProgress {
  return { hintsUsed: 0, attempts: 0 };
}

export class ProgressStore {
  readonly file: string;
  constructor(private readonly env: NodeJS.ProcessEnv = process.env) {
    this.file = path.join(labDir(env), "progress.json");
  }

  read(): ProgressFile {
    let text: string;
    try {
      text = fs.readFileSync(this.file, "utf8");
    } catch {
      return empty();
    }
    try {
      const p = JSON.parse(text) as ProgressFile;
      if (p?.version !== 1 || typeof p.exercises !== "object") throw new Error("not a progress file");
      return { version: 1, exercises: p.exercises ?? {}, material: p.material ?? {} };
    } catch {
      // A damaged file is kept aside, not silently overwritten: it is the student's record.
      const aside = `${this.file}.damaged-${Date.now()}`;
      fs.renameSync(this.file, aside);
      process.emitWarning(`mitm-lab: ${this.file} was not readable; kept it as ${aside} and started afresh`);
      return empty();
    }
  }

  of(id: string): ExerciseProgress {
    return { ...blank(), ...this.read().exercises[id] };
  }

  /** Read, change, write - atomically (a rename), so an interrupted write never leaves half a file. */
  update(change: (p: ProgressFile) => void): ProgressFile {
    const p = this.read();
    change(p);
    fs.mkdirSync(path.dirname(this.file), { recursive: true, mode: 0o700 });
    const tmp = `${this.file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, JSON.stringify(p, null, 2) + "\n", { mode: 0o600 });
    fs.renameSync(tmp, this.file);
    return p;
  }

  exercise(id: string, change: (e: ExerciseProgress) => void): ExerciseProgress {
    let out = blank();
    this.update((p) => {
      const e = { ...blank(), ...p.exercises[id] };
      change(e);
      p.exercises[id] = e;
      out = e;
    });
    return out;
  }

  /** One check run (from the shell or the console): counted, and solved for good once solved. */
  recordCheck(id: string, solved: boolean, summary: string): ExerciseProgress {
    const now = new Date().toISOString();
    return this.exercise(id, (x) => {
      x.attempts++;
      x.firstTriedAt ??= now;
      x.lastTriedAt = now;
      if (solved) x.solvedAt ??= now;
      x.lastSummary = summary;
    });
  }

  get materialRoot(): string {
    return path.join(labDir(this.env), "material");
  }
}

export type Status = "new" | "tried" | "solved";

export function statusOf(e: ExerciseProgress | undefined): Status {
  if (e?.solvedAt) return "solved";
  if (e && e.attempts > 0) return "tried";
  return "new";
}
