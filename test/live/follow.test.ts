import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { LabEvent } from "../../lab/core/events.js";
import { followJsonl } from "../../lab/live/follow.js";

/** A real file, written in pieces as an attacker's --jsonl log is; read back as it grows. */
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "lab-follow-"));
const line = (seq: number, extra: Record<string, unknown> = {}) => JSON.stringify({ kind: "connected", node: "mallory", conn: "m1", seq, t: seq, peer: "127.0.0.1:1", via: "tcp", ...extra }) + "\n";
const stops: Array<() => void> = [];
afterEach(() => stops.splice(0).forEach((s) => s()));

function follow(file: string) {
  const got: LabEvent[] = [];
  const bad: string[] = [];
  let restarts = 0;
  const f = followJsonl(file, { events: (b) => got.push(...b), badLine: (l) => bad.push(l), restarted: () => restarts++ }, 20);
  stops.push(() => f.close());
  return { got, bad, restarts: () => restarts };
}

describe("following an attacker's --jsonl log", () => {
  it("reads what is there, then each line once it is whole, even split inside a character", async () => {
    const file = path.join(dir, "split.jsonl");
    fs.writeFileSync(file, line(0));
    const f = follow(file);
    await vi.waitFor(() => expect(f.got.map((e) => e.seq)).toEqual([0]));
    // A line cut in the middle of "é" (two bytes): nothing until its end arrives.
    const next = Buffer.from(line(1, { peer: "café" }));
    const cut = next.indexOf(Buffer.from("é")) + 1;
    fs.appendFileSync(file, next.subarray(0, cut));
    fs.appendFileSync(file, next.subarray(cut));
    fs.appendFileSync(file, line(2));
    await vi.waitFor(() => expect(f.got.map((e) => e.seq)).toEqual([0, 1, 2]));
    expect(f.got[1]).toMatchObject({ peer: "café" });
    expect(f.bad).toEqual([]);
  });

  it("waits for a file that does not exist yet", async () => {
    const file = path.join(dir, "later.jsonl");
    const f = follow(file);
    fs.writeFileSync(file, line(0) + line(1));
    await vi.waitFor(() => expect(f.got.map((e) => e.seq)).toEqual([0, 1]));
  });

  it("reports a line that is not a lab event, and reads on", async () => {
    const file = path.join(dir, "bad.jsonl");
    fs.writeFileSync(file, "not json\n" + JSON.stringify({ hello: 1 }) + "\n" + line(0));
    const f = follow(file);
    await vi.waitFor(() => expect(f.got.map((e) => e.seq)).toEqual([0]));
    expect(f.bad).toEqual(["not json", '{"hello":1}']);
  });

  it("starts again from the top when the file is truncated (a new log in its place)", async () => {
    const file = path.join(dir, "truncated.jsonl");
    fs.writeFileSync(file, line(0) + line(1) + line(2));
    const f = follow(file);
    await vi.waitFor(() => expect(f.got).toHaveLength(3));
    fs.writeFileSync(file, line(0));
    await vi.waitFor(() => expect(f.got.map((e) => e.seq)).toEqual([0, 1, 2, 0]));
    expect(f.restarts()).toBe(1);
  });
});
