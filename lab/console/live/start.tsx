import { render } from "ink";
import { type LiveFeed, LiveApp } from "./LiveApp.js";
import type { LiveSource } from "./source.js";

/**
 * The live console in this terminal until the speaker quits (q on the list, or Ctrl-C), on the
 * alternate screen so the terminal comes back as it was.
 */
export async function runLiveConsole(feed: LiveFeed, source: LiveSource): Promise<void> {
  const restore = () => process.stdout.write("\x1b[?1049l\x1b[?25h");
  process.stdout.write("\x1b[?1049h\x1b[H");
  process.once("exit", restore);
  const app = render(<LiveApp feed={feed} source={source} />, { exitOnCtrlC: true });
  // Stopped from outside (kill, a closed terminal): leave as q does, so mallory stops cleanly
  // and her --jsonl log is whole.
  const stop = () => app.unmount();
  const signals = ["SIGTERM", "SIGHUP", "SIGINT"] as const;
  for (const sig of signals) process.once(sig, stop);
  try {
    await app.waitUntilExit();
  } finally {
    for (const sig of signals) process.off(sig, stop);
    app.cleanup();
    restore();
    // Once: a second leave at exit would move the cursor back over whatever was printed since.
    process.off("exit", restore);
  }
}
