import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { build } from "esbuild";
import { BIN, median, ROOT } from "./lib.js";

/** Time from spawn to the first frame containing `marker`, under a pseudo-terminal (script). */
function firstFrame(cmd: string, marker: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const env = { ...process.env };
    delete env.CI; // the console only opens outside CI
    const t0 = performance.now();
    const child = spawn("script", ["-qfec", cmd, "/dev/null"], { env: { ...env, TERM: "xterm-256color", COLUMNS: "100", LINES: "30" } });
    let out = "";
    const timer = setTimeout(() => (child.kill("SIGKILL"), reject(new Error(`no "${marker}" within 10 s: ${out.slice(0, 200)}`))), 10_000);
    child.stdout.on("data", (d) => {
      out += d;
      if (out.includes(marker)) {
        clearTimeout(timer);
        const ms = performance.now() - t0;
        child.kill("SIGKILL");
        resolve(ms);
      }
    });
  });
}

/** The console's first frame vs Ink's hello world, both one esbuild bundle, measured alike. */
export async function startupTimes(times = 7): Promise<{ consoleMs: number; helloMs: number; ratio: number } | null> {
  if (!fs.existsSync("/usr/bin/script")) return null;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ink-hello-"));
  const src = path.join(dir, "hello.tsx");
  fs.writeFileSync(src, `import { render, Text } from "ink";\nrender(<Text>Hello, world</Text>);\nsetTimeout(() => {}, 60000);\n`);
  await build({
    entryPoints: [src], outfile: path.join(dir, "hello.mjs"), bundle: true, format: "esm", platform: "node", target: "node20",
    jsx: "automatic", nodePaths: [path.join(ROOT, "node_modules")], logLevel: "error",
    alias: { "react-devtools-core": path.join(ROOT, "scripts/devtools-stub.mjs") },
    define: { "process.env.NODE_ENV": '"production"' },
    banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
  });
  const hello: number[] = [];
  const lab: number[] = [];
  for (let i = 0; i < times; i++) {
    hello.push(await firstFrame(`${process.execPath} ${path.join(dir, "hello.mjs")}`, "Hello, world"));
    lab.push(await firstFrame(`${process.execPath} ${BIN}`, "STARTTLS stripping"));
  }
  const consoleMs = median(lab);
  const helloMs = median(hello);
  return { consoleMs, helloMs, ratio: consoleMs / helloMs };
}
