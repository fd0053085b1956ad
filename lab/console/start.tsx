import { render } from "ink";
import { UsageError } from "../core/errors.js";
import { parseArgs } from "../cli/args.js";
import type { RunContext } from "../runner.js";
import { findScenario, type Scenario, SCENARIOS } from "../../scenarios/index.js";
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
  // Loaded only when settings are changed: the first frame does not wait for the tactic registry.
  const applySettings = sets.length ? (await import("../settings.js")).applySettings : (s: Scenario) => s;
  applySettings(first, sets);
  const setArgs = sets.flatMap((x) => ["--set", x]);
  if (!process.stdout.isTTY || !process.stdin.isTTY) return (await import("../cli/run.js")).runCommand([...(startWith ? [startWith] : ["--all"]), ...setArgs]);
  // One lab PKI for the session, made once in the background: the first frame does not wait.
  // The runner (the nodes, TLS) loads after the first frame, like the PKI.
  const runner = () => import("../runner.js");
  let ctx: Promise<RunContext> | null = null;
  // The catalogue the console shows is the one it runs: every screen reads the changed settings.
  // A combination one scenario cannot run with (intercept-tls without an identity) keeps that
  // scenario as shipped on the list; running it says why it cannot.
  const catalogue = SCENARIOS.map((s) => {
    try {
      return applySettings(s, sets);
    } catch {
      return s;
    }
  });
  const run = async (s: Scenario) => (await runner()).runScenario(applySettings(s.variant?.base ?? s, sets), await (ctx ??= runner().then((r) => r.createRunContext())));
  // The alternate screen, as less and vim do: quitting gives the terminal back as it was.
  const restore = () => process.stdout.write("\x1b[?1049l\x1b[?25h");
  process.stdout.write("\x1b[?1049h\x1b[H");
  process.once("exit", restore);
  const app = render(<App runScenario={run} catalogue={catalogue} predict={!!p.flags.predict} startWith={startWith} />, { exitOnCtrlC: true });
  setImmediate(() => void (ctx ??= runner().then((r) => r.createRunContext())));
  try {
    await app.waitUntilExit();
  } finally {
    app.cleanup();
    restore();
    // Once: a second leave at exit would move the cursor back over whatever was printed since.
    process.off("exit", restore);
  }
  return 0;
}
