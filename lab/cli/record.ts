import { UsageError } from "../core/errors.js";
import { createRunContext, runScenario } from "../runner.js";
import { findScenario } from "../../scenarios/index.js";
import { applySettings } from "../settings.js";
import { parseArgs, str } from "./args.js";
import { outputFile } from "./paths.js";

/**
 * `mitm-lab record <id> [--set PATH=VALUE ...] [--cast FILE] [--size COLSxROWS] [--pace SECONDS]`:
 * a speaker's backup.
 * Runs the scenario for real, then writes the console stepping through it as an asciicast v2
 * file; `asciinema play FILE` replays it offline, to the verdict, on any laptop.
 */
export async function recordCommand(argv: string[]): Promise<number> {
  const p = parseArgs(argv, { cast: "string", size: "string", pace: "string", set: "list" }, "record");
  if (p.positional.length !== 1) throw new UsageError("record one scenario: mitm-lab record <id> [--cast FILE]");
  const shipped = findScenario(p.positional[0]);
  if (!shipped) throw new UsageError(`no scenario "${p.positional[0]}"; mitm-lab list shows the ids`);
  // --set as for run and console: the recording shows the settings it ran with.
  const s = applySettings(shipped, (p.flags.set as string[] | undefined) ?? []);
  const size = /^(\d+)x(\d+)$/.exec(str(p, "size") ?? "100x30");
  if (!size || +size[1] < 80 || +size[2] < 24) throw new UsageError("--size wants COLUMNSxROWS, at least 80x24, for example --size 100x30");
  const pace = Number(str(p, "pace") ?? "2");
  if (!(pace > 0 && pace <= 60)) throw new UsageError("--pace wants the seconds between steps, for example --pace 2");
  const file = outputFile("cast", str(p, "cast") ?? `${s.id}.cast`)!;
  // Colour in the cast unless NO_COLOR: the file is played on a terminal later, whatever this
  // process writes to now. Set before Ink's colour library loads.
  if (!process.env.NO_COLOR) process.env.FORCE_COLOR ??= "1";
  const { castOf, writeCast } = await import("../console/record.js");
  const r = await runScenario(s, await createRunContext());
  writeCast(file, castOf(r, { columns: +size[1], rows: +size[2], pace, hold: 6 }, `xmpp-mitm-lab · ${s.id}`));
  console.log(`wrote ${file}: ${s.id} in the console, step by step to the verdict (${r.outcome}); play it with: asciinema play ${file}`);
  return 0;
}
