import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { podmanLauncher } from "../../lab/serve/launch-podman.js";
import { createServe, type ServeServer } from "../../lab/serve/server.js";
import { TokenBook } from "../../lab/serve/tokens.js";
import { LAB } from "../../test/serve/harness.js";
import { TtyClient } from "../../test/serve/tty-client.js";
import { IMAGE, podman } from "../podman/podman.js";

const LABEL = `t${process.pid}`;
const students = Array.from({ length: 8 }, (_, i) => ({ name: `s${i + 1}`, token: `token-of-s${i + 1}` }));
let serve: ServeServer;
let ws: string;
let stateRoot: string;

const containers = () =>
  podman(["ps", "--all", "--filter", `label=mitm-lab.serve=${LABEL}`, "--format", "{{.Names}}"]).split("\n").filter(Boolean);

beforeAll(async () => {
  stateRoot = fs.mkdtempSync(path.join(os.tmpdir(), "podman-serve-"));
  serve = createServe({
    host: "127.0.0.1",
    port: 0,
    launcher: podmanLauncher({ image: IMAGE, serverLabel: LABEL }),
    tokens: new TokenBook(students),
    idleMs: 60 * 60_000,
    maxSessions: 20,
    stateRoot,
    labCommand: LAB,
  });
  ws = `ws://127.0.0.1:${(await serve.start()).port}`;
});

afterAll(async () => {
  await serve?.stop();
  fs.rmSync(stateRoot, { recursive: true, force: true });
});

describe("mitm-lab serve --isolate podman", () => {
  it("8 students at once: a locked-down container each, each stepped to its own verdict, all removed afterwards", async () => {
    const clients = students.map((s, i) => TtyClient.open(`${ws}/tty?token=${s.token}&scenario=${i % 2 ? "directtls-pinned" : "starttls-strip"}`));
    await Promise.all(clients.map((c) => c.waitFor(/xmpp-mitm-lab/)));
    const names = containers();
    expect(names.sort()).toEqual(serve.sessions().map((s) => s.label).sort());
    expect(names).toHaveLength(8);
    for (const name of names) {
      const [c] = JSON.parse(podman(["inspect", name]));
      expect(c.HostConfig.NetworkMode, name).toBe("none");
      expect(c.HostConfig.ReadonlyRootfs, name).toBe(true);
      expect(c.Config.User, name).toBe("1000:1000");
      expect(c.HostConfig.CapDrop.length, name).toBeGreaterThan(0);
      expect(c.EffectiveCaps ?? [], name).toEqual([]);
      expect(c.HostConfig.Memory, name).toBe(256 * 1024 * 1024);
      expect(c.Config.Labels["mitm-lab.student"], name).toMatch(/^s[1-8]$/);
    }
    const verdicts = await Promise.all(clients.map((c) => c.stepToVerdict()));
    expect(verdicts).toEqual(clients.map((_, i) => (i % 2 ? "ATTACK FAILED" : "ATTACK SUCCEEDED")));
    for (const c of clients) c.close();
    await Promise.all(clients.map((c) => c.waitClosed()));
    for (let i = 0; i < 500 && (serve.sessions().length || containers().length); i++) await new Promise((r) => setTimeout(r, 20));
    expect(serve.sessions()).toEqual([]);
    expect(containers()).toEqual([]);
    // Each student's state dir was theirs alone (handed to uid 1000 in their container).
    expect(fs.readdirSync(stateRoot).sort()).toEqual(students.map((s) => s.name).sort());
  });
});
