import type { IPty } from "@lydell/node-pty";
import { consoleEnv, loadPty, type Launcher, type Terminal } from "./terminal.js";

/**
 * `--isolate none`: each session is its own `mitm-lab console` process on its own pty. The lab
 * only listens on loopback ports the OS picks, so sessions cannot collide; they share the host's
 * user, which is why a workshop host should prefer `--isolate podman`.
 */
export function ptyLauncher(command: string[]): Launcher {
  return {
    isolate: "none",
    async launch(req) {
      const pty = await loadPty();
      const [file, ...args] = command;
      const p = pty.spawn(file, [...args, "console", ...req.consoleArgs], {
        name: "xterm-256color",
        cols: req.cols,
        rows: req.rows,
        cwd: req.stateDir,
        env: consoleEnv(process.env, { XDG_CONFIG_HOME: req.stateDir, MITM_LAB_STUDENT: req.student }),
        encoding: null,
      });
      return wrapPty(p, String(p.pid), () => p.kill("SIGTERM"));
    },
  };
}

/** node-pty's IPty as a Terminal; `stop` asks the program to end, SIGKILL follows if it will not. */
export function wrapPty(p: IPty, label: string, stop: () => void | Promise<void>): Terminal {
  let exitCode: number | null | undefined;
  const exitListeners: ((code: number | null) => void)[] = [];
  const exited = new Promise<void>((resolve) => {
    p.onExit(({ exitCode: code, signal }) => {
      exitCode = signal ? null : code;
      for (const l of exitListeners) l(exitCode);
      resolve();
    });
  });
  return {
    pid: p.pid,
    label,
    onData: (l) => void p.onData((d) => l(typeof d === "string" ? Buffer.from(d) : (d as unknown as Buffer))),
    onExit: (l) => {
      if (exitCode !== undefined) l(exitCode);
      else exitListeners.push(l);
    },
    write: (d) => p.write(d as string),
    resize: (cols, rows) => {
      if (exitCode === undefined) p.resize(cols, rows);
    },
    async close() {
      if (exitCode !== undefined) return;
      await stop();
      // A console that ignores SIGTERM (or a wedged podman client) must still go.
      const force = setTimeout(() => {
        try {
          p.kill("SIGKILL");
        } catch {
          /* already gone */
        }
      }, 5000);
      await exited;
      clearTimeout(force);
    },
  };
}
