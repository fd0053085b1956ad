import { render } from "ink";
import { UsageError } from "../core/errors.js";
import { parseArgs } from "../cli/args.js";
import { runCommand } from "../cli/run.js";
import { createRunContext, type RunContext, runScenario } from "../runner.js";
import { findScenario, type Scenario } from "../../scenarios/index.js";
import { App } from "./App.js";

/** `mitm-lab` in a terminal: the Ink console. Without one, the plain narrator instead. */
export async function startConsole(argv: string[]): Promise<number> {
  const p = parseArgs(argv, { predict: "bool" }, "console");
  if (p.positional.length > 1) throw new UsageError("the console opens one scenario at most: mitm-lab console <id>");
  const startWith = p.positional[0];
  if (startWith && !findScenario(startWith)) throw new UsageError(`no scenario "${startWith}"; mitm-lab list shows the ids`);
  if (!process.stdout.isTTY || !process.stdin.isTTY) return runCommand(["--all"]);
  // One lab PKI for the session, made once in the background: the first frame does not wait.
  let ctx: Promise<RunContext> | null = null;
  const run = async (s: Scenario) => runScenario(s, await (ctx ??= createRunContext()));
  // The alternate screen, as less and vim do: quitting gives the terminal back as it was.
  const restore = () => process.stdout.write("\x1b[?1049l\x1b[?25h");
  process.stdout.write("\x1b[?1049h\x1b[H");
  process.once("exit", restore);
  const app = render(<App runScenario={run} predict={!!p.flags.predict} startWith={startWith} />, { exitOnCtrlC: true });
  setImmediate(() => void (ctx ??= createRunContext()));
  try {
    await app.waitUntilExit();
  } finally {
    app.cleanup();
    restore();
  }
  return 0;
}
