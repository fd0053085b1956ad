// Builds the `mitm-lab` bin as one esbuild bundle (plus a lazily loaded console chunk): Ink
// bundled starts in ~0.34 s here, unbundled ~0.7 s, through tsx ~2.1 s. Runs at `npm ci`.
import { build } from "esbuild";
import { fileURLToPath } from "node:url";
import path from "node:path";
import fs from "node:fs";
import { createRequire } from "node:module";

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
fs.rmSync(path.join(root, "dist"), { recursive: true, force: true });
await build({
  // The balancer is a second entry (deploy/k8s runs it from the same image); it shares chunks
  // with the bin but adds nothing to what `mitm-lab` loads.
  entryPoints: { "mitm-lab": path.join(root, "lab/cli/main.ts"), balancer: path.join(root, "lab/balancer/main.ts") },
  outdir: path.join(root, "dist"),
  outExtension: { ".js": ".mjs" },
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  target: "node20",
  jsx: "automatic",
  logLevel: "warning",
  // node-pty is native (a prebuilt .node per platform): it stays a package, loaded only by serve.
  // ws probes for these optional native speed-ups inside try/catch.
  external: ["@lydell/node-pty", "bufferutil", "utf-8-validate"],
  // Ink imports react-devtools-core only when DEV is set; keep it out of the bundle.
  alias: { "react-devtools-core": path.join(root, "scripts/devtools-stub.mjs") },
  define: { "process.env.NODE_ENV": '"production"' },
  banner: {
    js: "#!/usr/bin/env node\nimport { createRequire as __labCreateRequire } from 'node:module'; const require = __labCreateRequire(import.meta.url);",
  },
});
fs.chmodSync(path.join(root, "dist/mitm-lab.mjs"), 0o755);

// The browser terminal's files beside the bundle, so dist/ alone serves the page (the container
// image carries dist/ and no node_modules but node-pty). Same list as lab/serve/assets.ts.
const require = createRequire(import.meta.url);
fs.mkdirSync(path.join(root, "dist/web"));
for (const [name, module] of Object.entries({
  "xterm.js": "@xterm/xterm/lib/xterm.js",
  "xterm.css": "@xterm/xterm/css/xterm.css",
  "addon-fit.js": "@xterm/addon-fit/lib/addon-fit.js",
})) {
  fs.copyFileSync(require.resolve(module), path.join(root, "dist/web", name));
}
