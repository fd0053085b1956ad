/**
 * Small named errors with a stable code (the habit of ws's WS_ERR_* codes). In a teaching lab
 * the `explain` sentence is the product: it is what a student reads when something refuses.
 */
export class LabError extends Error {
  readonly code: string;
  readonly explain: string;
  /** A machine sub-code when one exists (OpenSSL's verify code, a SASL condition); else null. */
  readonly detail: string | null;
  constructor(code: string, message: string, explain: string, options?: { cause?: unknown; detail?: string | null }) {
    super(message, options);
    this.name = "LabError";
    this.code = code;
    this.explain = explain;
    this.detail = options?.detail ?? null;
  }
  toJSON(): { code: string; message: string; explain: string } {
    return { code: this.code, message: this.message, explain: this.explain };
  }
  /** The typed `error` event for this error. */
  toEvent(): { kind: "error"; code: string; detail: string | null; message: string; explain: string } {
    return { kind: "error", code: this.code, detail: this.detail, message: this.message, explain: this.explain };
  }
}

/** Bad command-line use: exit code 2 with one line saying what to do. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

export function asLabError(err: unknown, fallbackCode = "UNEXPECTED"): LabError {
  if (err instanceof LabError) return err;
  const message = err instanceof Error ? err.message : String(err);
  return new LabError(fallbackCode, message, "Something unexpected happened: " + message);
}
