import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { TtyClient } from "../../test/serve/tty-client.js";
import { podman, podmanEnv, ROOT } from "../podman/podman.js";

describe("deploy/podman/classroom.sh, as an instructor runs it", () => {
  it("hands out links, gives each student a container, and removes them all on Ctrl-C", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "classroom-"));
    const child = spawn("bash", ["deploy/podman/classroom.sh", "--students", "2", "--listen", "127.0.0.1:0", "--url", "http://lab.test:8080", "--dir", dir], {
      cwd: ROOT,
      env: podmanEnv(),
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    let err = "";
    child.stderr.on("data", (d) => (err += d));
    for await (const chunk of child.stdout) {
      out += chunk;
      if (/mitm-lab serve: http:\/\/127\.0\.0\.1:\d+\//.test(out)) break;
    }
    const port = /127\.0\.0\.1:(\d+)\//.exec(out)![1];
    const links = fs.readFileSync(path.join(dir, "links.txt"), "utf8").trim().split("\n");
    expect(links).toHaveLength(2);
    expect(links[0]).toMatch(/^student-01 http:\/\/lab\.test:8080\/\?token=[A-Za-z0-9_-]{22}$/);
    expect(fs.statSync(path.join(dir, "tokens.txt")).mode & 0o077).toBe(0);
    const tokens = links.map((l) => new URL(l.split(" ")[1]).searchParams.get("token")!);

    const clients = tokens.map((t) => TtyClient.open(`ws://127.0.0.1:${port}/tty?token=${t}`));
    await Promise.all(clients.map((c) => c.waitFor(/xmpp-mitm-lab/)));
    const names = [...err.matchAll(/started \(container (\S+)\)/g)].map((m) => m[1]);
    expect(names).toHaveLength(2);
    expect(podman(["ps", "--format", "{{.Names}}"]).split("\n")).toEqual(expect.arrayContaining(names));

    child.kill("SIGINT");
    expect(await new Promise((r) => child.on("exit", r))).toBe(0);
    await Promise.all(clients.map((c) => c.waitClosed()));
    const left = podman(["ps", "--all", "--format", "{{.Names}}"]).split("\n");
    for (const n of names) expect(left).not.toContain(n);
    expect(fs.readdirSync(path.join(dir, "state")).sort()).toEqual(["student-01", "student-02"]);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
