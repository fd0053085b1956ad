import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { UsageError } from "../core/errors.js";
import { assertLoopback, formatHostPort, parseHostPort } from "../core/net.js";
import { oneOf, parseArgs, str } from "../cli/args.js";
import { podmanLauncher } from "./launch-podman.js";
import { ptyLauncher } from "./launch-pty.js";
import { createServe } from "./server.js";
import { makeStudents, parseTokenFlag, readTokensFile, TokenBook, tokensFromEnv, type Student } from "./tokens.js";

export const DEFAULT_IMAGE = "localhost/xmpp-mitm-lab:latest";

function positiveInt(p: ReturnType<typeof parseArgs>, name: string, fallback: number, max: number): number {
  const v = str(p, name);
  if (v === undefined) return fallback;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1 || n > max) throw new UsageError(`--${name} wants a whole number from 1 to ${max}, got "${v}"`);
  return n;
}

/** The lab's own command line, so a session can start `mitm-lab console` the way this process started. */
export function ownCommand(): string[] {
  return [process.execPath, ...process.execArgv, process.argv[1]];
}

/**
 * `mitm-lab serve`: the lab in a browser, one console per websocket. Runs until Ctrl-C, which
 * ends every session (and container) before it exits.
 */
export async function serveCommand(argv: string[]): Promise<number> {
  const p = parseArgs(
    argv,
    {
      listen: "string", isolate: "string", token: "list", tokens: "string", "make-tokens": "string",
      idle: "string", "max-sessions": "string", state: "string", image: "string", memory: "string",
      "allow-non-loopback": "bool",
    },
    "serve",
  );
  if (p.positional.length) throw new UsageError(`serve takes no arguments, got "${p.positional[0]}"; see mitm-lab help`);
  if (str(p, "make-tokens") !== undefined) {
    // A class list to hand out: `mitm-lab serve --make-tokens 30 > tokens.txt`, then --tokens tokens.txt.
    for (const s of makeStudents(positiveInt(p, "make-tokens", 1, 1000))) console.log(`${s.name}:${s.token}`);
    return 0;
  }
  const listenAt = parseHostPort(str(p, "listen") ?? "127.0.0.1:8080", "--listen");
  assertLoopback(listenAt.host, "--listen", !!p.flags["allow-non-loopback"]);
  const isolate = oneOf(p, "isolate", ["none", "podman"] as const, "none");
  const students: Student[] = [
    ...((p.flags.token as string[] | undefined) ?? []).map((t, i) => parseTokenFlag(t, i)),
    ...(str(p, "tokens") ? readTokensFile(str(p, "tokens")!) : []),
    // Tokens in the environment stay out of `ps` on a shared host; a Pod gets its student's this way.
    ...tokensFromEnv(process.env.MITM_LAB_TOKENS),
  ];
  if (new Set(students.map((s) => s.name)).size !== students.length)
    throw new UsageError("two tokens have the same student name; give each token its own name:TOKEN");
  const idleMinutes = positiveInt(p, "idle", 20, 24 * 60);
  const maxSessions = positiveInt(p, "max-sessions", 60, 1000);
  const memory = str(p, "memory");
  if (memory !== undefined && !/^\d+[kmg]$/i.test(memory)) throw new UsageError(`--memory wants a size such as 256m, got "${memory}"`);
  const given = str(p, "state");
  const stateRoot = given ? path.resolve(given) : fs.mkdtempSync(path.join(os.tmpdir(), "mitm-lab-serve-"));
  fs.mkdirSync(stateRoot, { recursive: true, mode: 0o700 });

  const lab = ownCommand();
  // Names this server's containers; a fixed port gives a fixed label, so a restart cleans up after a crash.
  const label = listenAt.port ? `p${listenAt.port}` : randomBytes(4).toString("hex");
  const launcher =
    isolate === "podman"
      ? podmanLauncher({ image: str(p, "image") ?? DEFAULT_IMAGE, serverLabel: label, memory })
      : ptyLauncher(lab);
  const serve = createServe({
    ...listenAt,
    launcher,
    tokens: new TokenBook(students),
    idleMs: idleMinutes * 60_000,
    maxSessions,
    stateRoot,
    labCommand: lab,
    log: (line) => console.error(`mitm-lab serve: ${line}`),
  });
  const addr = await serve.start();
  const where = formatHostPort({ host: addr.address, port: addr.port });
  console.log(`mitm-lab serve: http://${where}/ (${isolate === "podman" ? "a container" : "a console"} per browser tab; ${students.length ? `${students.length} student tokens` : "no token needed"}; Ctrl-C stops)`);
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
  });
  await serve.stop();
  if (!given) fs.rmSync(stateRoot, { recursive: true, force: true });
  return 0;
}
