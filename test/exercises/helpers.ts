import fs from "node:fs";
import os from "node:os";
import path from "node:path";

/** A throwaway XDG config dir: progress never touches the developer's own, nor the repo. */
export function tempConfig(): { env: NodeJS.ProcessEnv; dir: string; cleanup(): void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "mitm-lab-xdg-"));
  return { dir, env: { ...process.env, XDG_CONFIG_HOME: dir }, cleanup: () => fs.rmSync(dir, { recursive: true, force: true }) };
}
