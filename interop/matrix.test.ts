import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generatePki, writePki } from "../lab/pki.js";
import { CLIENTS } from "./clients.js";
import { tmpdir } from "./helpers.js";
import { label, Malloreys, MODES, runCell, table, type CellResult } from "./matrix.js";
import { ejabberd, labServer, prosody, type RealServer, type Setup } from "./servers.js";
import { expectedCells, MATRIX } from "./expected.js";

const EXPECTED = expectedCells();

const USERS = { alice: "alice-matrix-pw", bob: "bob-matrix-pw" };
const SERVERS = ["Prosody 0.12", "ejabberd 23.01", "lab server"];
let setup: Setup;
const servers = new Map<string, RealServer>();
const malloreys = new Malloreys();
const results = new Map<string, string>();

beforeAll(async () => {
  const pki = await generatePki();
  const pkiDir = tmpdir("lab-matrix-pki-");
  writePki(pki, pkiDir);
  setup = { pki, pkiDir, users: USERS };
  const started = await Promise.all([prosody(setup), ejabberd(setup), labServer(setup)]);
  for (const s of started) servers.set(s.name, s);
}, 120_000);

afterAll(async () => {
  const rows = CLIENTS.flatMap((c) => MODES.map((m) => ({ client: c.name, mode: m.id, cells: SERVERS.map((s) => results.get(`${c.name}|${m.id}|${s}`) ?? "not run") })));
  const md = table(SERVERS, rows);
  // interop/run.ts prints it after vitest's summary.
  if (process.env.LAB_MATRIX_OUT) fs.writeFileSync(process.env.LAB_MATRIX_OUT, md + "\n");
  await malloreys.stop();
  await Promise.all([...servers.values()].map((s) => s.stop()));
}, 120_000);

describe.each(CLIENTS.map((c) => [c.name, c] as const))("%s", (_name, client) => {
  it.each(MODES.flatMap((m) => SERVERS.map((s) => [`${m.id} → ${s}`, m, s] as const)))("%s", async (_t, mode, serverName) => {
    const key = `${client.name}|${mode.id}|${serverName}`;
    const body = `matrix ${client.name} / ${mode.id} / ${serverName}: wire 100 EUR to DE89 3704 0044 0532 0130 00`;
    const r: CellResult = await runCell(client, servers.get(serverName)!, mode, malloreys, { password: USERS.alice, ca: path.join(setup.pkiDir, "ca.pem") }, body);
    const got = label(r);
    results.set(key, got);
    // mallory says only what the server's log and bob's inbox confirm.
    for (const c of r.claims) expect(c.confirmed, `${c.what}: ${c.why}\n${r.out}`).toBe(true);
    // Without a claim, the password must not be anywhere in mallory's log either.
    if (!r.claims.some((c) => c.what === "★ password")) expect(r.passwordInLog).toBe(false);
    expect(got, r.out).toBe(EXPECTED.get(key) ?? "(no expectation)");
  });
});

describe("docs", () => {
  it("docs/real-software.md quotes the matrix", () => {
    const docs = fs.readFileSync(path.join(path.dirname(new URL(import.meta.url).pathname), "../docs/real-software.md"), "utf8");
    expect(docs).toContain(MATRIX);
  });
});
