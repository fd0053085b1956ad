import fs from "node:fs";
import path from "node:path";
import { UsageError } from "../core/errors.js";
import { parseArgs, str } from "./args.js";
import { drawInThisTerminal } from "../console/tty.js";

/**
 * `mitm-lab watch FILE.jsonl [--upstream HOST:PORT]`: the live console following a running
 * attacker's `--jsonl` log - on the projector's terminal, while mallory runs in another (or on
 * another machine that shares the file). The file may appear later: the console waits for it.
 */
export async function watchCommand(argv: string[]): Promise<number> {
  const p = parseArgs(argv, { upstream: "string" }, "watch");
  if (p.positional.length !== 1) throw new UsageError("watch one attacker log: mitm-lab watch FILE.jsonl (written by mitm-lab attacker … --jsonl FILE.jsonl)");
  const file = path.resolve(p.positional[0]);
  if (!fs.existsSync(path.dirname(file))) throw new UsageError(`watch: no such directory ${path.dirname(file)}`);
  if (fs.existsSync(file) && !fs.statSync(file).isFile()) throw new UsageError(`watch: ${file} is not a file`);
  if (!(process.stdout.isTTY && process.stdin.isTTY)) throw new UsageError("watch draws in a terminal; run it in one (a script can read the --jsonl log itself)");
  const { fileFeed } = await import("../live/feed.js");
  drawInThisTerminal();
  const { runLiveConsole } = await import("../console/live/start.js");
  // Her log does not say where she relays to; the speaker may (for the server's lane title).
  await runLiveConsole(fileFeed(file), { kind: "watch", file, listen: null, upstream: str(p, "upstream") ?? null });
  return 0;
}
