import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { wrapPty } from "./launch-pty.js";
import { loadPty, type Launcher } from "./terminal.js";

const run = promisify(execFile);

export interface PodmanOptions {
  image: string;
  podman?: string;
  /** Marks this server's containers, so a restart on the same address can remove what a crash left. */
  serverLabel: string;
  memory?: string;
  pids?: number;
  cpus?: string;
}

/**
 * The container every session gets with `--isolate podman`: the restrictions the image is built
 * for (docs/classroom.md): no network at all (the lab only needs its own loopback), a read-only
 * root, no capabilities, no privilege gain, an unprivileged uid, and limits on memory, processes
 * and CPU so one student cannot starve the room. The student's state dir is the only writable
 * mount (`:U` hands it to uid 1000).
 */
export function podmanArgs(o: PodmanOptions, name: string, sessionId: string, student: string, stateDir: string, consoleArgs: string[]): string[] {
  return [
    "run", "--rm", "--interactive", "--tty",
    "--name", name,
    "--label", `mitm-lab.serve=${o.serverLabel}`,
    "--label", `mitm-lab.session=${sessionId}`,
    "--label", `mitm-lab.student=${student}`,
    "--network", "none",
    "--read-only",
    "--cap-drop", "all",
    "--security-opt", "no-new-privileges",
    "--user", "1000:1000",
    "--memory", o.memory ?? "256m",
    "--pids-limit", String(o.pids ?? 128),
    "--cpus", o.cpus ?? "1",
    "--env", "TERM=xterm-256color",
    "--env", "COLORTERM=truecolor",
    "--env", "XDG_CONFIG_HOME=/state",
    "--env", `MITM_LAB_STUDENT=${student}`,
    "--volume", `${stateDir}:/state:U`,
    o.image,
    "console", ...consoleArgs,
  ];
}

/** `--isolate podman`: a pty runs the podman client, which gives the container the terminal. */
export function podmanLauncher(o: PodmanOptions): Launcher {
  const podman = o.podman ?? "podman";
  const remove = (filter: string) =>
    run(podman, ["ps", "--all", "--quiet", "--filter", filter]).then(async ({ stdout }) => {
      const ids = stdout.split("\n").filter(Boolean);
      if (ids.length) await run(podman, ["rm", "--force", "--time", "0", ...ids]).catch(() => undefined);
    });
  return {
    isolate: "podman",
    async launch(req) {
      const pty = await loadPty();
      const name = `mitm-lab-${o.serverLabel}-${req.sessionId}`;
      const p = pty.spawn(podman, podmanArgs(o, name, req.sessionId, req.student, req.stateDir, req.consoleArgs), {
        name: "xterm-256color",
        cols: req.cols,
        rows: req.rows,
        env: process.env as Record<string, string>,
        encoding: null,
      });
      // Killing the podman client would leave the container running: remove the container itself.
      return wrapPty(p, name, async () => {
        await run(podman, ["rm", "--force", "--time", "0", "--ignore", name]).catch(() => p.kill("SIGTERM"));
      });
    },
    sweepLeftovers: () => remove(`label=mitm-lab.serve=${o.serverLabel}`).catch(() => undefined),
  };
}
