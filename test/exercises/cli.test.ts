import { execFileSync, spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { summariseProgress } from "../../lab/balancer/instructor.js";
import { tempConfig } from "./helpers.js";

const ROOT = path.resolve(__dirname, "../..");
const BIN = path.join(ROOT, "dist/mitm-lab.mjs");
const cfg = tempConfig();

beforeAll(() => {
  if (!fs.existsSync(BIN)) execFileSync(process.execPath, ["scripts/build.mjs"], { cwd: ROOT });
});
afterAll(() => cfg.cleanup());

function lab(args: string[], env: NodeJS.ProcessEnv = cfg.env) {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: "utf8", env: { ...env, CI: "true", NO_COLOR: "1" }, timeout: 30_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe("a student's path through an exercise, on the built bin", () => {
  it("lists, reads, fails with a helpful message, takes a hint, solves, and sees it solved", () => {
    let r = lab(["exercises"]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/· new\s+defend-on-path/);

    r = lab(["exercise", "defend-on-path"]);
    expect(r.code).toBe(0);
    expect(r.out).toContain("Keep an on-path attacker out");
    expect(r.out).toContain("You may change: alice.*");
    expect(r.out).toContain("mitm-lab exercise check defend-on-path --set");

    r = lab(["exercise", "check", "defend-on-path"]);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/✘ defend-on-path: not yet: \d of 5 attackers still get something/);
    expect(r.out).toContain("See it step by step: mitm-lab run starttls-strip");
    expect(r.out + r.err).not.toMatch(/\n\s+at /); // no stack trace

    r = lab(["exercise", "defend-on-path", "--hint"]);
    expect(r.code).toBe(0);
    expect(r.out).toContain("Hint 1 of 3:");
    expect(r.out).not.toContain("Hint 2 of 3:");

    r = lab(["exercise", "check", "defend-on-path", "--set", "alice.tls=required"]);
    expect(r.code).toBe(0);
    expect(r.out).toContain("✔ defend-on-path: solved");

    r = lab(["exercises"]);
    expect(r.out).toMatch(/✔ solved\s+defend-on-path .*\(1 hint\)/);
    const list = JSON.parse(lab(["exercises", "--json"]).out);
    expect(list.find((e: { id: string }) => e.id === "defend-on-path")).toMatchObject({ status: "solved", hintsUsed: 1, hints: 3 });

    // What the classroom's instructor view reads (issue 14), and what a student hands in.
    const report = JSON.parse(lab(["exercise", "report", "--json"]).out);
    expect(report).toMatchObject({ schema: "mitm-lab/exercise-report/1", solved: 1, hintsUsed: 1 });
    expect(report.exercises.find((e: { id: string }) => e.id === "defend-on-path")).toMatchObject({ status: "solved", attempts: 2, hintsUsed: 1 });
    expect(report.exercises.find((e: { id: string }) => e.id === "defend-on-path").solvedAt).toMatch(/^\d{4}-\d\d-\d\dT/);
    // The classroom's instructor view (issue 14) reads this JSON and summarises it.
    expect(summariseProgress(report)).toBe(`1/${report.total} exercises done`);
    const md = lab(["exercise", "report"]);
    expect(md.out).toContain("| defend-on-path | defend | ✔ solved | 1/3 | 2 |");

    // Progress went to the XDG config dir.
    expect(fs.existsSync(path.join(cfg.dir, "mitm-lab/progress.json"))).toBe(true);
  });

  it("exercise <id> --json gives the task, never the reference solution or the wrong answers' explanations", () => {
    for (const id of ["defend-stolen-key", "attack-strip-channel-binding", "investigate-which-scenario"]) {
      const r = lab(["exercise", id, "--json"]);
      expect(r.code).toBe(0);
      const j = JSON.parse(r.out);
      expect(j).toMatchObject({ id, hints: [] });
      expect(j.task).toBeTruthy();
      for (const k of ["solution", "wrong", "teaching", "lesson"]) expect(j).not.toHaveProperty(k);
    }
  });

  it("check --json says solved or not, with every run", () => {
    const r = lab(["exercise", "check", "defend-rogue-ca", "--set", "alice.verify=ca", "--json"]);
    expect(r.code).toBe(1);
    const j = JSON.parse(r.out);
    expect(j).toMatchObject({ id: "defend-rogue-ca", kind: "defend", solved: false, status: "tried" });
    expect(j.runs.map((x: { role: string }) => x.role)).toEqual(["attacker", "attacker", "honest"]);
  });

  it("an investigate exercise: material per student, a wrong answer explained, the found password accepted", () => {
    let r = lab(["exercise", "check", "investigate-crack-scram", "--answer", "x"]);
    expect(r.code).toBe(2);
    expect(r.err.trim()).toBe("mitm-lab: investigate-crack-scram has no material for you yet: mitm-lab exercise investigate-crack-scram makes it");
    r = lab(["exercise", "investigate-crack-scram"]);
    expect(r.code).toBe(0);
    const log = path.join(cfg.dir, "mitm-lab/material/investigate-crack-scram/mallory.jsonl");
    const words = path.join(cfg.dir, "mitm-lab/material/investigate-crack-scram/leaked-passwords.txt");
    expect(r.out).toContain(log);
    const crack = lab(["crack", log, "--wordlist", words]);
    expect(crack.code).toBe(0);
    const password = /password "([^"]+)" found/.exec(crack.out)![1];
    r = lab(["exercise", "check", "investigate-crack-scram", "--answer", "password123"]);
    expect(r.code).toBe(1);
    expect(r.out).toContain("not the password alice used");
    r = lab(["exercise", "check", "investigate-crack-scram", "--answer", password]);
    expect(r.code).toBe(0);
    expect(r.out).toContain("✔ investigate-crack-scram: solved");
  });

  it("an attack exercise: a starter file that does nothing is rejected, the reference tactic accepted; run --tactic shows it", () => {
    const mine = path.join(cfg.dir, "my-tactic.ts");
    let r = lab(["exercise", "attack-rewrite-iban", "--starter", mine]);
    expect(r.code).toBe(0);
    expect(lab(["exercise", "attack-rewrite-iban", "--starter", mine]).code).toBe(2); // never overwrites
    r = lab(["exercise", "check", "attack-rewrite-iban", "--tactic", mine]);
    expect(r.code).toBe(1);
    expect(r.out).toContain("not yet: bob received exactly what alice sent");
    expect(r.out).toContain("changed none of them");
    const solution = path.join(ROOT, "exercises/solutions/rewrite-iban.ts");
    r = lab(["exercise", "check", "attack-rewrite-iban", "--tactic", solution]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/✔ attack-rewrite-iban: solved: bob received "Please wire 100 EUR to GB33/);
    r = lab(["run", "plaintext", "--set", "mallory.tactics=", "--tactic", solution]);
    expect(r.out).toContain('✉ bob receives: "Please wire 100 EUR to GB33');
    expect(r.err).toContain("rewrite-iban.ts: given");
    r = lab(["run", "plaintext", "--tactic", path.join(cfg.dir, "nope.ts")]);
    expect(r.code).toBe(2);
  });

  it("a tactic that talks on stdout and then never returns: the check ends, exit 1, and --json is JSON alone", () => {
    const mine = path.join(cfg.dir, "chatty-loop.js");
    fs.writeFileSync(mine, "export default function (el) {\n  console.log('looking at', el.name);\n  if (el.name === 'message') while (true) {}\n}\n");
    const r = lab(["exercise", "check", "attack-rewrite-iban", "--tactic", mine, "--json"]);
    expect(r.code).toBe(1);
    const j = JSON.parse(r.out);
    expect(j).toMatchObject({ id: "attack-rewrite-iban", solved: false });
    expect(j.summary).toMatch(/^not yet: your tactic did not return within \d+ ms/);
    expect(r.err).toContain("looking at");
  });

  it.each([
    [["exercise", "nope"], /^mitm-lab: no exercise "nope"; mitm-lab exercises lists them$/],
    [["exercise"], /^mitm-lab: name an exercise/],
    [["exercise", "check", "defend-on-path", "--answer", "x"], /^mitm-lab: defend-on-path is a defend exercise: it takes --set, not --answer$/],
    [["exercise", "check", "defend-server", "--set", "alice.tls=required"], /^mitm-lab: defend-server: alice.tls is the exercise's to set, not yours; you may change server\.\*$/],
    [["exercise", "check", "defend-on-path", "--set", "alice.tls=sometimes"], /^mitm-lab: alice.tls must be one of off, opportunistic, required, direct, not "sometimes"$/],
    [["exercise", "defend-on-path", "--fresh"], /^mitm-lab: --fresh makes new material for investigate exercises/],
    [["exercise", "report", "extra"], /^mitm-lab: mitm-lab exercise report takes no argument/],
  ])("bad usage %j: exit 2 and one line", (args, message) => {
    const r = lab(args);
    expect(r.code).toBe(2);
    expect(r.err.trim().split("\n")).toHaveLength(1);
    expect(r.err.trim()).toMatch(message);
  });

  it("without XDG_CONFIG_HOME, progress goes to ~/.config", () => {
    const home = tempConfig();
    const env: NodeJS.ProcessEnv = { ...process.env, HOME: home.dir };
    delete env.XDG_CONFIG_HOME;
    expect(lab(["exercise", "defend-server", "--hint"], env).code).toBe(0);
    expect(JSON.parse(fs.readFileSync(path.join(home.dir, ".config/mitm-lab/progress.json"), "utf8")).exercises["defend-server"].hintsUsed).toBe(1);
    home.cleanup();
  });
});
