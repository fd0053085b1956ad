import { describe, expect, it } from "vitest";
import { IMAGE, podman } from "../podman/podman.js";

/** The restrictions the issue and docs promise the image runs under. */
const LOCKED = ["--rm", "--network", "none", "--read-only", "--cap-drop", "all", "--security-opt", "no-new-privileges", "--user", "1000", "--memory", "256m", "--pids-limit", "128"];

describe("the registry-free image", () => {
  it("runs every scenario as expected with no network, a read-only root, no capabilities, uid 1000", () => {
    const out = podman(["run", ...LOCKED, IMAGE, "run", "--all", "--json"]);
    const results = out.trim().split("\n").map((l) => JSON.parse(l));
    expect(results.length).toBeGreaterThanOrEqual(16);
    for (const r of results) expect(r.asExpected, r.id).toBe(true);
  });

  it("really is locked down inside: uid 1000, only loopback, root not writable, no capabilities", () => {
    const probe = `
      const fs = require("fs"), os = require("os");
      let rootWritable = true; try { fs.writeFileSync("/app/x", "x"); } catch (e) { rootWritable = e.code; }
      const caps = fs.readFileSync("/proc/self/status", "utf8").match(/CapEff:\\s*(\\w+)/)[1];
      console.log(JSON.stringify({ uid: process.getuid(), ifaces: Object.keys(os.networkInterfaces()), rootWritable, caps }));`;
    const seen = JSON.parse(podman(["run", ...LOCKED, "--entrypoint", "/usr/local/bin/node", IMAGE, "-e", probe]));
    expect(seen).toEqual({ uid: 1000, ifaces: ["lo"], rootWritable: "EROFS", caps: "0000000000000000" });
  });

  it("carries no shell and nothing but node, the lab and its libraries", () => {
    const files = podman(["run", "--rm", "--network", "none", "--entrypoint", "/usr/local/bin/node", IMAGE, "-e",
      `const fs=require("fs");console.log(["/bin/sh","/usr/bin/env","/app/dist/mitm-lab.mjs","/app/dist/web/xterm.js"].map(f=>f+":"+fs.existsSync(f)).join(" "))`]);
    expect(files.trim()).toBe("/bin/sh:false /usr/bin/env:false /app/dist/mitm-lab.mjs:true /app/dist/web/xterm.js:true");
  });
});
