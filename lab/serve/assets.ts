import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";

/** The browser files, by URL name. Served from the package: never a CDN. */
const FILES: Record<string, { module: string; type: string }> = {
  "xterm.js": { module: "@xterm/xterm/lib/xterm.js", type: "text/javascript" },
  "xterm.css": { module: "@xterm/xterm/css/xterm.css", type: "text/css" },
  "addon-fit.js": { module: "@xterm/addon-fit/lib/addon-fit.js", type: "text/javascript" },
};

export interface Asset {
  body: Buffer;
  type: string;
}

/**
 * dist/web/ holds copies made by the build, so dist/ alone (what the container image carries)
 * serves the page; from source (tests, `npm run dev`) they come from node_modules.
 */
export function loadAssets(): Map<string, Asset> {
  const here = path.dirname(fileURLToPath(import.meta.url));
  const web = path.join(here, "web");
  const require = createRequire(import.meta.url);
  const out = new Map<string, Asset>();
  for (const [name, f] of Object.entries(FILES)) {
    const copy = path.join(web, name);
    const file = fs.existsSync(copy) ? copy : require.resolve(f.module);
    out.set(name, { body: fs.readFileSync(file), type: f.type });
  }
  return out;
}

/** For the build: which files to copy into dist/web/. */
export const WEB_ASSETS = Object.fromEntries(Object.entries(FILES).map(([name, f]) => [name, f.module]));
