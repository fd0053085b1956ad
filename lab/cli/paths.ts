import { X509Certificate } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { UsageError } from "../core/errors.js";
import type { LabPki } from "../pki.js";

/**
 * Paths named on the command line, checked when the command starts (DESIGN §4: bad usage is
 * one line and exit 2), so no node starts and then dies with a stack trace at its first peer.
 */

/** A file the command writes (--jsonl, --keylog, --pcap, --cast): its directory exists and it can be opened. */
export function outputFile(flag: string, file: string | undefined): string | undefined {
  if (file === undefined) return undefined;
  if (fs.existsSync(file) && fs.statSync(file).isDirectory()) throw new UsageError(`--${flag}: ${file} is a directory; give a file name`);
  const dir = path.dirname(path.resolve(file));
  if (!fs.existsSync(dir)) throw new UsageError(`--${flag}: no such directory ${dir} (create it first)`);
  if (!fs.statSync(dir).isDirectory()) throw new UsageError(`--${flag}: ${dir} is not a directory`);
  try {
    fs.closeSync(fs.openSync(file, "a", 0o600)); // appends nothing; mode 0600 as the secrets files want
  } catch (err) {
    throw new UsageError(`--${flag}: cannot write ${file} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
  return file;
}

/**
 * A directory the command writes into, made if missing - one level at a time: Node 20's
 * recursive mkdir never returns under /proc, where `pki --out /proc/x` used to hang.
 */
export function outputDir(flag: string, dir: string): string {
  const abs = path.resolve(dir);
  if (fs.existsSync(abs)) {
    if (!fs.statSync(abs).isDirectory()) throw new UsageError(`--${flag}: ${dir} is a file, not a directory`);
  } else {
    const missing: string[] = [];
    let at = abs;
    while (!fs.existsSync(at)) {
      missing.unshift(at);
      at = path.dirname(at);
    }
    if (!fs.statSync(at).isDirectory()) throw new UsageError(`--${flag}: ${at} is a file, not a directory`);
    for (const d of missing) {
      try {
        fs.mkdirSync(d);
      } catch (err) {
        throw new UsageError(`--${flag}: cannot create ${d} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
      }
    }
  }
  const probe = path.join(abs, `.mitm-lab-${process.pid}`);
  try {
    fs.writeFileSync(probe, "");
    fs.rmSync(probe);
  } catch (err) {
    throw new UsageError(`--${flag}: cannot write in ${dir} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
  return abs;
}

/** A file the command reads. */
export function inputFile(flag: string, file: string): string {
  if (!fs.existsSync(file)) throw new UsageError(`--${flag}: no such file ${file}`);
  if (fs.statSync(file).isDirectory()) throw new UsageError(`--${flag}: ${file} is a directory; give a PEM file`);
  try {
    return fs.readFileSync(file, "utf8");
  } catch (err) {
    throw new UsageError(`--${flag}: cannot read ${file} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
}

/** Trust anchors (--ca): PEM certificates, every one of which parses, and no private key. */
export function certificatesFile(flag: string, file: string): string {
  const pem = inputFile(flag, file);
  if (/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(pem)) throw new UsageError(`--${flag}: ${file} holds a private key; give the CA's certificate (ca.pem from mitm-lab pki)`);
  const certs = pem.match(/-----BEGIN CERTIFICATE-----[^]+?-----END CERTIFICATE-----/g) ?? [];
  if (!certs.length) throw new UsageError(`--${flag}: ${file} holds no PEM certificate`);
  for (const c of certs) {
    try {
      new X509Certificate(c);
    } catch {
      throw new UsageError(`--${flag}: ${file} holds a certificate that does not parse`);
    }
  }
  return pem;
}

/** `--pki DIR`: checked (pki.ts pkiProblem), made if missing, then read or filled. */
export async function labPki(flag: string, dir: string): Promise<LabPki> {
  const { loadOrCreatePki, pkiProblem } = await import("../pki.js");
  const problem = pkiProblem(dir);
  if (problem) throw new UsageError(`--${flag}: ${problem}`);
  outputDir(flag, dir);
  return loadOrCreatePki(dir);
}
