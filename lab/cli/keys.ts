import fs from "node:fs";
import path from "node:path";
import { UsageError } from "../core/errors.js";
import { spkiPin } from "../core/tls.js";
import { parseArgs, required } from "./args.js";
import { outputDir } from "./paths.js";

export async function pkiCommand(argv: string[]): Promise<number> {
  const p = parseArgs(argv, { out: "string" }, "pki");
  const dir = outputDir("out", required(p, "out", "./lab-pki"));
  const { generatePki, writePki } = await import("../pki.js");
  const files = writePki(await generatePki(), dir);
  // Relative to here when under it (./lab-pki/ca.pem); else as given (/tmp/lab-pki/ca.pem, not ../../../tmp/…).
  for (const f of files) {
    const rel = path.relative(process.cwd(), f);
    console.log(rel && !rel.startsWith("..") && !path.isAbsolute(rel) ? rel : path.resolve(f));
  }
  console.error(`lab identities for lab.example written to ${dir} (LAB ONLY; private keys mode 0600)`);
  return 0;
}

export function pinCommand(argv: string[]): number {
  const p = parseArgs(argv, {}, "pin");
  const file = p.positional[0];
  if (!file || p.positional.length > 1) throw new UsageError("usage: mitm-lab pin FILE.pem");
  if (!fs.existsSync(file)) throw new UsageError(`no such file: ${file}`);
  try {
    console.log(spkiPin(fs.readFileSync(file)));
  } catch {
    throw new UsageError(`${file} is not a PEM certificate`);
  }
  return 0;
}
