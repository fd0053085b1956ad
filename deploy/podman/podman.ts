import { execFileSync, spawnSync } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
/** Every podman command of the project reads this file (runc, explicit ulimits): see its comments. */
export const CONTAINERS_CONF = path.join(ROOT, "deploy/podman/containers.conf");
export const IMAGE = "localhost/xmpp-mitm-lab:latest";

/** Debian's packages podman needs here: runc (not crun) and catatonit for `kube play`'s pause image. */
const PACKAGES = ["podman", "runc", "conmon", "catatonit", "uidmap"];

export const podmanEnv = (): NodeJS.ProcessEnv => ({ ...process.env, CONTAINERS_CONF: process.env.CONTAINERS_CONF ?? CONTAINERS_CONF });

export function podman(args: string[], opts: { input?: string } = {}): string {
  return execFileSync("podman", args, { env: podmanEnv(), encoding: "utf8", input: opts.input, maxBuffer: 64 << 20 });
}

/**
 * Makes sure podman is here: installs Debian's packages when running as root (CI, the workshop
 * VM), otherwise says which command to run. Returns false if it cannot.
 */
export function ensurePodman(log: (line: string) => void = console.log): boolean {
  const installed = (pkg: string) =>
    spawnSync("dpkg-query", ["-W", "-f=${Status}", pkg], { encoding: "utf8" }).stdout?.includes("install ok installed") ?? false;
  const missing = PACKAGES.filter((p) => !installed(p));
  if (!missing.length) return true;
  if (process.getuid?.() !== 0) {
    log(`podman is needed: sudo apt-get install -y --no-install-recommends ${missing.join(" ")}`);
    return false;
  }
  log(`installing ${missing.join(", ")} from Debian's packages`);
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  const apt = (args: string[]) => execFileSync("apt-get", ["-o", "DPkg::Lock::Timeout=600", ...args], { stdio: "inherit", env });
  try {
    apt(["install", "-y", "-qq", "--no-install-recommends", ...missing]);
  } catch {
    apt(["update", "-qq"]);
    apt(["install", "-y", "-qq", "--no-install-recommends", ...missing]);
  }
  return true;
}
