/**
 * What a session talks to: a program on a pseudo-terminal. Raw bytes both ways (node-pty with
 * encoding null), so whatever the console draws reaches xterm.js unchanged.
 */
export interface Terminal {
  readonly pid: number;
  /** What holds the lab, for listings and for tests: a process id or a container name. */
  readonly label: string;
  onData(listener: (data: Buffer) => void): void;
  /** Fires once, when the program has gone (whatever ended it). */
  onExit(listener: (code: number | null) => void): void;
  write(data: Buffer | string): void;
  resize(cols: number, rows: number): void;
  /** Ends the program and resolves once it has gone. */
  close(): Promise<void>;
}

export interface LaunchRequest {
  sessionId: string;
  student: string;
  cols: number;
  rows: number;
  /** Extra arguments for `mitm-lab console`, e.g. a scenario id. */
  consoleArgs: string[];
  /** Where this student's lab keeps its state (XDG_CONFIG_HOME), on the host. */
  stateDir: string;
}

export interface Launcher {
  readonly isolate: "none" | "podman";
  launch(req: LaunchRequest): Promise<Terminal>;
  /** Removes whatever a crashed earlier run may have left (containers); called at start and stop. */
  sweepLeftovers?(): Promise<void>;
}

/** The terminal a lab console expects: colours on, and no CI flag that would make it go headless. */
export function consoleEnv(base: NodeJS.ProcessEnv, extra: Record<string, string>): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(base)) if (v !== undefined && k !== "CI" && !k.startsWith("VITEST")) env[k] = v;
  return { ...env, TERM: "xterm-256color", COLORTERM: "truecolor", ...extra };
}

/**
 * node-pty, loaded on first use: the native module is an external of the bundle and costs
 * nothing to a `mitm-lab` that never serves. It is CommonJS: Node puts it on `default`, some
 * loaders (tsx) on the namespace itself.
 */
export async function loadPty(): Promise<typeof import("@lydell/node-pty")> {
  const mod = (await import("@lydell/node-pty")) as typeof import("@lydell/node-pty") & { default?: typeof import("@lydell/node-pty") };
  return mod.default ?? mod;
}
