/**
 * `npm run test:classroom`: installs what the classroom suite needs (podman and runc from
 * Debian's packages when running as root, kubectl for `kubectl kustomize` if the machine has
 * none), builds the image the registry-free way (`npm run image`), then runs the suite.
 */
import { execFileSync, spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { buildImage } from "../image/build.js";
import { ensurePodman, podmanEnv, ROOT } from "../podman/podman.js";

const has = (cmd: string, args: string[]) => spawnSync(cmd, args, { stdio: "ignore" }).status === 0;

if (!ensurePodman()) process.exit(1);
if (!has("kubectl", ["kustomize", "--help"])) {
  if (process.getuid?.() !== 0) {
    console.error("test:classroom needs kubectl (for kubectl kustomize): sudo apt-get install -y kubernetes-client");
    process.exit(1);
  }
  console.log("installing kubernetes-client (kubectl) from Debian's packages");
  execFileSync("apt-get", ["-o", "DPkg::Lock::Timeout=600", "install", "-y", "-qq", "--no-install-recommends", "kubernetes-client"], {
    stdio: "inherit",
    env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" },
  });
}
if (!fs.existsSync(path.join(ROOT, "dist/web/xterm.js"))) execFileSync(process.execPath, ["scripts/build.mjs"], { cwd: ROOT, stdio: "inherit" });
const t0 = Date.now();
buildImage();
console.log(`image built in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
const r = spawnSync("npx", ["vitest", "run", "--config", "deploy/test/vitest.config.ts"], { cwd: ROOT, stdio: "inherit", env: podmanEnv() });
process.exit(r.status ?? 1);
