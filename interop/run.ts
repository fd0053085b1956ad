/**
 * `npm run test:interop`: make sure the real XMPP software is installed (Debian's packages,
 * installed here when running as root), then run the interop tests against it.
 */
import { execFileSync, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

// lua-unbound: or Prosody warns at every start; asciinema plays `mitm-lab record` casts; tshark and
// testssl.sh check the lab's captures and listeners.
const NEEDED = ["prosody", "lua-unbound", "python3-slixmpp", "go-sendxmpp", "asciinema", "ejabberd", "sendxmpp", "tshark", "testssl.sh", "tmux"];

const installed = (pkg: string) =>
  spawnSync("dpkg-query", ["-W", "-f=${Status}", pkg], { encoding: "utf8" }).stdout?.includes("install ok installed") ?? false;
const missing = NEEDED.filter((pkg) => !installed(pkg));
if (missing.length) {
  if (process.getuid?.() !== 0) {
    console.error(`test:interop needs Debian packages ${missing.join(" ")}; install them (sudo apt-get install -y --no-install-recommends ${missing.join(" ")}) or run as root`);
    process.exit(1);
  }
  console.log(`installing ${missing.join(", ")} from Debian's packages`);
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  execFileSync("apt-get", ["-o", "DPkg::Lock::Timeout=600", "update", "-qq"], { stdio: "inherit", env });
  execFileSync("apt-get", ["-o", "DPkg::Lock::Timeout=600", "install", "-y", "-qq", "--no-install-recommends", ...missing], { stdio: "inherit", env });
}
// Debian starts no service on install in a container, but make sure no system Prosody holds ports.
spawnSync("prosodyctl", ["stop"], { stdio: "ignore" });

if (!fs.existsSync("dist/mitm-lab.mjs")) execFileSync(process.execPath, ["scripts/build.mjs"], { stdio: "inherit" });
const matrix = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "lab-matrix-")), "matrix.md");
const t0 = performance.now();
const r = spawnSync("npx", ["vitest", "run", "--config", "interop/vitest.config.ts", ...process.argv.slice(2)], { stdio: "inherit", env: { ...process.env, LAB_MATRIX_OUT: matrix } });
if (fs.existsSync(matrix)) console.log(`\nThe interop matrix (docs/real-software.md explains it):\n\n${fs.readFileSync(matrix, "utf8")}`);
console.log(`interop run: ${Math.round((performance.now() - t0) / 1000)} s`);
process.exit(r.status ?? 1);
