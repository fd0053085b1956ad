import { UsageError } from "../core/errors.js";
import { drawInThisTerminal } from "../console/tty.js";
import { HELP } from "./help.js";
import { VERSION } from "../version.js";

/*
 * Every command is loaded when it is used: the console's first frame is part of the show
 * (bench/startup.ts), and it should not wait for the nodes, TLS and the runner to load.
 */
const run = () => import("./run.js");
const keys = () => import("./keys.js");
const nodes = () => import("./nodes.js");


async function main(argv: string[]): Promise<number> {
  const [cmd, ...rest] = argv;
  switch (cmd) {
    case undefined:
    case "--predict":
      // DESIGN §4: the console in a terminal, otherwise every scenario with the plain narrator.
      if (process.stdout.isTTY && process.stdin.isTTY && !process.env.CI) {
        const { startConsole } = await import("../console/start.js");
        return startConsole(argv);
      }
      return (await run()).runCommand(["--all"]);
    case "console": {
      drawInThisTerminal();
      const { startConsole } = await import("../console/start.js");
      return startConsole(rest);
    }
    case "record": {
      const { recordCommand } = await import("./record.js");
      return recordCommand(rest);
    }
    case "list":
      return (await run()).listCommand(rest);
    case "run":
      return (await run()).runCommand(rest);
    case "pki":
      return (await keys()).pkiCommand(rest);
    case "pin":
      return (await keys()).pinCommand(rest);
    case "server":
      return (await nodes()).serverCommand(rest);
    case "client":
      return (await nodes()).clientCommand(rest);
    case "attacker":
      return (await nodes()).attackerCommand(rest);
    case "watch":
      // Loaded on use, like the console: Ink and the story builder only when drawing.
      return (await import("./watch.js")).watchCommand(rest);
    case "exercises":
      return (await import("./exercise.js")).exercisesCommand(rest);
    case "exercise":
      return (await import("./exercise.js")).exerciseCommand(rest);
    case "crack":
      // Loaded on use: the wordlist stays out of the console's start-up.
      return (await import("./crack.js")).crackCommand(rest);
    case "serve": {
      // Lazy, like the console: ws and the pty module cost nothing to the rest of the CLI.
      const { serveCommand } = await import("../serve/command.js");
      return serveCommand(rest);
    }
    case "help":
    case "--help":
    case "-h":
      console.log(HELP);
      return 0;
    case "--version":
    case "version":
      console.log(VERSION);
      return 0;
    default:
      throw new UsageError(`unknown command "${cmd}"; mitm-lab help lists the commands`);
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err) => {
    if (err instanceof UsageError) {
      // DESIGN §4: bad usage is exit 2 and one line that says what to do.
      console.error(`mitm-lab: ${err.message}`);
      process.exitCode = 2;
    } else {
      console.error(`mitm-lab: ${err instanceof Error ? err.stack ?? err.message : String(err)}`);
      process.exitCode = 1;
    }
  },
);
