import { runCommand } from "../cli/run.js";

/** Until the Ink console lands, the terminal gets the plain narrator. */
export async function startConsole(argv: string[]): Promise<number> {
  return runCommand(argv.length ? argv : ["--all"]);
}
