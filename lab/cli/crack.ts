import fs from "node:fs";
import { UsageError } from "../core/errors.js";
import { crackScram, ScramExchangeError } from "../core/sasl/crack.js";
import { exchangesFromLog } from "../crack/exchanges.js";
import { BUNDLED_WORDLIST, BUNDLED_WORDLIST_NAME, parseWordlist } from "../crack/wordlist.js";
import { style } from "../style.js";
import { parseArgs, str } from "./args.js";

/**
 * `mitm-lab crack LOG.jsonl [--wordlist FILE]`: a dictionary attack on every SCRAM exchange a
 * mallory `--jsonl` log recorded. Exit 0 if a password was found, 1 if none, 2 on bad usage.
 */
export async function crackCommand(argv: string[]): Promise<number> {
  const p = parseArgs(argv, { wordlist: "string" }, "crack");
  if (p.positional.length !== 1) throw new UsageError("name one log, for example: mitm-lab crack mallory.jsonl [--wordlist FILE]");
  const logFile = p.positional[0];
  if (!fs.existsSync(logFile)) throw new UsageError(`no such log ${logFile} (mitm-lab attacker --jsonl FILE writes one)`);
  const listFile = str(p, "wordlist");
  if (listFile && !fs.existsSync(listFile)) throw new UsageError(`--wordlist: no such file ${listFile}`);
  const words = listFile ? parseWordlist(fs.readFileSync(listFile, "utf8")) : BUNDLED_WORDLIST;
  if (!words.length) throw new UsageError(`--wordlist ${listFile} has no words (one a line)`);
  const log = exchangesFromLog(fs.readFileSync(logFile, "utf8"));
  if (log.lines > 0 && log.unreadable === log.lines) throw new UsageError(`${logFile} is not a JSON-lines log (mitm-lab attacker --jsonl FILE writes one)`);

  const st = style();
  console.log(`${log.exchanges.length} SCRAM exchange${log.exchanges.length === 1 ? "" : "s"} in ${logFile}; wordlist: ${listFile ?? BUNDLED_WORDLIST_NAME} (${words.length} words)`);
  let found = 0;
  for (const [i, x] of log.exchanges.entries()) {
    const where = `${i + 1}.${x.conn ? ` (${x.conn})` : ""}`;
    try {
      const r = await crackScram(x, words);
      const who = `${r.username}, ${r.mechanism}, ${r.iterations} iterations`;
      if (r.password !== null) {
        found++;
        console.log(st.bad(`${where} ${who}: password "${r.password}" found after ${r.guesses} guesses in ${seconds(r.ms)}`));
      } else {
        console.log(st.good(`${where} ${who}: not found - ${r.guesses} guesses failed in ${seconds(r.ms)}`));
      }
    } catch (err) {
      if (!(err instanceof ScramExchangeError)) throw err;
      console.log(`${where} ${x.mechanism}: skipped - ${err.message}`);
    }
  }
  if (!log.exchanges.length) console.log("Nothing to guess: no <auth>, <challenge>, <response> of a SCRAM login crossed this mallory in the clear.");
  return found > 0 ? 0 : 1;
}

function seconds(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`;
}
