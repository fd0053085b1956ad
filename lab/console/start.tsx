import { render } from "ink";
import { UsageError } from "../core/errors.js";
import { parseArgs } from "../cli/args.js";
import { runCommand } from "../cli/run.js";
import { createRunContext, type RunContext, runScenario } from "../runner.js";
import { findScenario, type Scenario, SCENARIOS } from "../../scenarios/index.js";
import { applySettings } from "../settings.js";
import { App } from "./App.js";

/** `mitm-lab` in a terminal: the Ink console. Without one, the plain narrator instead. */
export async function startConsole(argv: string[]): Promise<number> {
  const p = parseArgs(argv, { predict: "bool", set: "list" }, "console");
  if (p.positional.length > 1) throw new UsageError("the console opens one scenario at most: mitm-lab console <id>");
  const startWith = p.positional[0];
  const first = startWith ? findScenario(startWith) : SCENARIOS[0];
  if (!first) throw new UsageError(`no scenario "${startWith}"; mitm-lab list shows the ids`);
  // --set applies to every scenario run in this session; bad paths and values stop here (exit 2).
  const sets = (p.flags.set as string[] | undefined) ?? [];
  applySettings(first, sets);
  const setArgs = sets.flatMap((x) => ["--set", x]);
  if (!process.stdout.isTTY || !process.stdin.isTTY) return runCommand([...(startWith ? [startWith] : ["--all"]), ...setArgs]);
  // One lab PKI for the session, made once in the background: the first frame does not wait.
  let ctx: Promise<RunContext> | null = null;
  const run = async (s: Scenario) => runScenario(applySettings(s, sets), await (ctx ??= createRunContext()));
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
