import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parseControl } from "../../lab/serve/protocol.js";
import { makeStudents, parseTokenFlag, readTokensFile, TokenBook } from "../../lab/serve/tokens.js";
import { LAB } from "./harness.js";

const lab = (args: string[]) => spawnSync(LAB[0], [LAB[1], ...args], { encoding: "utf8", timeout: 30_000 });

describe("mitm-lab serve, its command line", () => {
  it("refuses bad usage with one line and exit 2", () => {
    for (const [args, says] of [
      [["serve", "--listen", "0.0.0.0:8080"], "not a loopback address"],
      [["serve", "--isolate", "docker"], "--isolate must be one of none, podman"],
      [["serve", "--token", "short"], "shorter than 8"],
      [["serve", "--idle", "0"], "--idle wants a whole number"],
      [["serve", "--memory", "lots"], "--memory wants a size"],
      [["serve", "--tokens", "/nonexistent/tokens.txt"], "cannot read --tokens"],
      [["serve", "extra"], "serve takes no arguments"],
    ] as const) {
      const r = lab([...args]);
      expect(r.status, args.join(" ")).toBe(2);
      expect(r.stderr.trim().split("\n"), args.join(" ")).toHaveLength(1);
      expect(r.stderr).toContain(says);
    }
  });

  it("--make-tokens prints a class list that --tokens reads back", () => {
    const r = lab(["serve", "--make-tokens", "3"]);
    expect(r.status).toBe(0);
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "tokens-")), "tokens.txt");
    fs.writeFileSync(file, "# room 2\n" + r.stdout);
    const students = readTokensFile(file);
    expect(students.map((s) => s.name)).toEqual(["student-01", "student-02", "student-03"]);
    expect(new Set(students.map((s) => s.token)).size).toBe(3);
    for (const s of students) expect(s.token).toMatch(/^[A-Za-z0-9_-]{22}$/);
  });

  it("starts on loopback, says where, and stops cleanly on SIGTERM", async () => {
    const child = spawn(LAB[0], [LAB[1], "serve", "--listen", "127.0.0.1:0"], { stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    for await (const chunk of child.stdout) {
      out += chunk;
      if (out.includes("\n")) break;
    }
    const url = /http:\/\/127\.0\.0\.1:(\d+)\//.exec(out);
    expect(url, out).not.toBeNull();
    expect((await fetch(url![0] + "healthz")).status).toBe(200);
    child.kill("SIGTERM");
    const code = await new Promise((r) => child.on("exit", r));
    expect(code).toBe(0);
  });
});

describe("tokens", () => {
  it("maps each token to its student and nothing else to anyone", () => {
    const book = new TokenBook([
      { name: "ada", token: "ada-secret-1" },
      { name: "bo", token: "bo-secret-22" },
    ]);
    expect(book.check("ada-secret-1")).toBe("ada");
    expect(book.check("bo-secret-22")).toBe("bo");
    for (const wrong of ["", null, undefined, "ada-secret-", "ada-secret-12", "bo-secret-22 "]) expect(book.check(wrong)).toBeNull();
    expect(new TokenBook([]).check(undefined)).toBe("student"); // no tokens: an open lab
  });

  it("names unnamed tokens and checks names", () => {
    expect(parseTokenFlag("abcdefgh", 1)).toEqual({ name: "student-2", token: "abcdefgh" });
    expect(parseTokenFlag("ada:abcdefgh:x", 0)).toEqual({ name: "ada", token: "abcdefgh:x" });
    expect(() => parseTokenFlag("../x:abcdefgh", 0)).toThrow(/letters, digits/);
    expect(makeStudents(2, "room").map((s) => s.name)).toEqual(["room-01", "room-02"]);
  });
});

describe("the /tty control message", () => {
  it("reads resize and nothing else", () => {
    expect(parseControl('{"type":"resize","cols":120,"rows":40}')).toEqual({ type: "resize", cols: 120, rows: 40 });
    expect(parseControl('{"type":"resize","cols":9999,"rows":9999}')).toEqual({ type: "resize", cols: 500, rows: 200 });
    for (const typed of ["ls", "{", '{"type":"resize","cols":0,"rows":5}', '{"type":"resize","cols":"a"}', "[1]", '{"type":"x"}'])
      expect(parseControl(typed), typed).toBeNull();
  });
});
