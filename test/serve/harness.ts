import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { ptyLauncher } from "../../lab/serve/launch-pty.js";
import { createServe, type ServeConfig, type ServeServer } from "../../lab/serve/server.js";
import type { Launcher } from "../../lab/serve/terminal.js";
import { TokenBook, type Student } from "../../lab/serve/tokens.js";

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
/** The built bin (npm test builds it first): what a student's session really runs. */
export const LAB = [process.execPath, path.join(ROOT, "dist/mitm-lab.mjs")];

export interface Running {
  serve: ServeServer;
  base: string;
  ws: string;
  stateRoot: string;
  clock: { t: number };
  stop(): Promise<void>;
}

/** A serve on 127.0.0.1:0 with a clock the test moves by hand. */
export async function startServe(
  o: { students?: Student[]; launcher?: Launcher; maxSessions?: number; idleMs?: number } & Partial<ServeConfig> = {},
): Promise<Running> {
  const stateRoot = fs.mkdtempSync(path.join(os.tmpdir(), "serve-test-"));
  const clock = { t: 1_000_000 };
  const serve = createServe({
    host: "127.0.0.1",
    port: 0,
    launcher: o.launcher ?? ptyLauncher(LAB),
    tokens: new TokenBook(o.students ?? []),
    idleMs: o.idleMs ?? 60_000,
    maxSessions: o.maxSessions ?? 20,
    stateRoot,
    labCommand: LAB,
    now: () => clock.t,
  });
  const addr = await serve.start();
  const base = `http://127.0.0.1:${addr.port}`;
  return {
    serve,
    base,
    ws: `ws://127.0.0.1:${addr.port}`,
    stateRoot,
    clock,
    async stop() {
      await serve.stop();
      fs.rmSync(stateRoot, { recursive: true, force: true });
    },
  };
}

export const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};
