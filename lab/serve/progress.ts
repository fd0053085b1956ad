import { execFile } from "node:child_process";
import fs from "node:fs";
import type { SessionInfo } from "./session.js";

export interface StudentStatus {
  student: string;
  sessions: SessionInfo[];
  /** What `mitm-lab exercise report --json` says for this student, as it says it; null if nothing. */
  progress: unknown;
  /** Why progress is null, in words for the instructor. */
  progressNote?: string;
}

/**
 * A student's progress, asked of the lab itself rather than read from its files: the exercises
 * (issue 12) own their format and where they keep it (the student's XDG config dir), and a lab
 * without exercises simply answers that it has none. Whatever goes wrong, the instructor view
 * still lists the student, with a note instead of progress.
 */
export function readProgress(labCommand: string[], configDir: string | null): Promise<Pick<StudentStatus, "progress" | "progressNote">> {
  if (!configDir) return Promise.resolve({ progress: null, progressNote: "progress is kept per student only with per-student tokens" });
  if (!fs.existsSync(configDir)) return Promise.resolve({ progress: null, progressNote: "has not opened the lab yet" });
  const [file, ...args] = labCommand;
  const env = { ...process.env, XDG_CONFIG_HOME: configDir, CI: "" };
  return new Promise((resolve) => {
    execFile(file, [...args, "exercise", "report", "--json"], { env, timeout: 10_000, maxBuffer: 1 << 20 }, (err, stdout, stderr) => {
      if (!err) {
        const parsed = parseJsonOrLines(stdout);
        return resolve(parsed === undefined ? { progress: null, progressNote: "the lab's report was not JSON" } : { progress: parsed });
      }
      const first = String(stderr).split("\n").find(Boolean) ?? (err as Error).message;
      const note = /unknown command/.test(first) ? "this version of the lab has no exercises" : first.replace(/^mitm-lab: /, "");
      resolve({ progress: null, progressNote: note });
    });
  });
}

/** One JSON document, or JSON lines (as `run --json` prints). */
export function parseJsonOrLines(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    try {
      return text.split("\n").filter((l) => l.trim()).map((l) => JSON.parse(l));
    } catch {
      return undefined;
    }
  }
}
