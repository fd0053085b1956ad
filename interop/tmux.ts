import { execFileSync, spawnSync } from "node:child_process";

/**
 * A real terminal for the lab's consoles: a detached tmux session of a fixed size on its own
 * server (-L), so a developer's own tmux is never touched. The screen is read as the room would
 * see it (capture-pane), keys are sent as a speaker types them.
 */
export interface Pane {
  screen(): string;
  /** Wait until the screen shows `text` (bounded; the last screen is in the error). */
  see(text: string | RegExp, ms?: number): Promise<string>;
  keys(...keys: string[]): void;
  /** Resize the terminal, as mirroring a laptop to a projector does. */
  resize(columns: number, rows: number): void;
  /** Is the command still running? */
  alive(): boolean;
  /** The process running in the pane (the command itself: tmux runs an argv without a shell). */
  pid(): number;
  kill(): void;
}

export function tmuxPane(name: string, command: string[], size = { columns: 100, rows: 30 }): Pane {
  const server = `mitm-lab-test-${process.pid}`;
  const tmux = (...args: string[]) => spawnSync("tmux", ["-L", server, ...args], { encoding: "utf8" });
  // The shell line is quoted by tmux from argv; the environment keeps colour off for reading.
  const r = tmux("new-session", "-d", "-s", name, "-x", String(size.columns), "-y", String(size.rows), "-e", "NO_COLOR=1", ...command);
  if (r.status !== 0) throw new Error(`tmux new-session failed: ${r.stderr}`);
  const screen = () => tmux("capture-pane", "-p", "-t", name).stdout ?? "";
  return {
    screen,
    async see(text, ms = 60_000) {
      const until = Date.now() + ms;
      let last = "";
      while (Date.now() < until) {
        last = screen();
        if (typeof text === "string" ? last.includes(text) : text.test(last)) return last;
        await new Promise((res) => setTimeout(res, 100));
      }
      throw new Error(`the pane never showed ${String(text)}; it shows:\n${last}`);
    },
    keys(...keys) {
      // One key a call: keys sent together reach the program as one chunk.
      for (const k of keys) execFileSync("tmux", ["-L", server, "send-keys", "-t", name, k]);
    },
    resize(columns, rows) {
      tmux("resize-window", "-t", name, "-x", String(columns), "-y", String(rows));
    },
    alive: () => tmux("has-session", "-t", name).status === 0,
    pid: () => Number(tmux("list-panes", "-t", name, "-F", "#{pane_pid}").stdout.trim()),
    kill() {
      tmux("kill-server");
    },
  };
}
