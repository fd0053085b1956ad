import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { BIN, tmpdir } from "./helpers.js";

/**
 * The speaker's backup, played the way a speaker would: `mitm-lab record` writes the cast, and
 * Debian's asciinema plays it offline to the verdict.
 */
describe("a recorded console plays in asciinema", () => {
  it("asciinema play reaches the verdict of starttls-strip, both IBANs whole", () => {
    const cast = path.join(tmpdir("lab-cast-"), "strip.cast");
    const rec = spawnSync(process.execPath, [BIN, "record", "starttls-strip", "--cast", cast], { encoding: "utf8", env: { ...process.env, CI: "true" } });
    expect(rec.status, rec.stderr).toBe(0);
    expect(fs.existsSync(cast)).toBe(true);
    // -s 100: a hundred times the presenter's pace; -i 1: no pause longer than a second.
    const play = spawnSync("asciinema", ["play", "-s", "100", "-i", "1", cast], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], timeout: 30_000 });
    expect(play.status, play.stderr).toBe(0);
    const out = play.stdout.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, "");
    expect(out).toContain("step 1/");
    expect(out).toContain("✘ ATTACK SUCCEEDED");
    expect(out).toContain("DE89 3704 0044 0532 0130 00");
    expect(out).toContain("GB33 BUKB 2020 1555 5555 55");
  });
});
