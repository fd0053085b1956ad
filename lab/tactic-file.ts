import fs from "node:fs";
import { createRequire, isBuiltin } from "node:module";
import path from "node:path";
import vm from "node:vm";
import { type ElementTactic, type TacticFault, userTactic, type UserTacticFn } from "../attacker/tactics/index.js";
import { LabError, UsageError } from "./core/errors.js";
import { labelOf } from "./core/stanzas.js";

/**
 * `--tactic FILE`: a user's tactic for mallory, in JavaScript or TypeScript - one exported
 * function over parsed elements (attacker/tactics/custom.ts; docs/exercises.md). The bin must
 * load TypeScript without tsx or esbuild, which the classroom image does not carry: the types
 * are stripped with sucrase, bundled into dist/ and loaded only here. The file is one
 * self-contained ES module: `node:` built-ins and `import type` are fine; the lab's helpers come
 * as the function's third argument. sucrase also turns its imports and exports into a function
 * body, which runs under the same watchdog as each call: an endless loop at the top of the file
 * is stopped too, instead of hanging the lab while it loads.
 */
export interface LoadedTactic {
  file: string;
  edit: ElementTactic;
  /** How many elements the function was given, and how many it changed. */
  readonly calls: number;
  readonly changed: number;
  /** Exceptions it threw (each element then passed unchanged). */
  readonly faults: TacticFault[];
  /**
   * The call that did not return within TACTIC_CALL_MS (an endless loop, most likely), or null.
   * mallory stops it there and never calls the function again: every later element passes
   * unchanged, so a runaway tactic costs one bounded wait, not a hung check.
   */
  readonly stuck: TacticFault | null;
}

/** How long one call of a user's tactic may run. A real one takes microseconds. */
export const TACTIC_CALL_MS = 1000;

export interface LoadOptions {
  /** Hears each fault as it happens (the standalone attacker logs them live). */
  onFault?: (f: TacticFault, stuck: boolean) => void;
  /** Milliseconds one call may run (TACTIC_CALL_MS). */
  callMs?: number;
}

export class TacticFileError extends LabError {
  constructor(file: string, message: string, explain: string) {
    super("TACTIC_FILE", `${path.basename(file)}: ${message}`, explain);
  }
}

const TS = new Set([".ts", ".mts", ".cts"]);
const JS = new Set([".js", ".mjs"]);

export async function loadTactic(file: string, options: LoadOptions = {}): Promise<LoadedTactic> {
  const ext = path.extname(file).toLowerCase();
  if (!TS.has(ext) && !JS.has(ext)) throw new TacticFileError(file, "not a .js, .mjs, .ts or .mts file", "A tactic file is JavaScript or TypeScript, named for its language (my-tactic.ts, my-tactic.js).");
  let source: string;
  try {
    source = fs.readFileSync(file, "utf8");
  } catch (err) {
    throw new TacticFileError(file, (err as Error).message, `The lab could not read ${file}.`);
  }
  const code = await toFunctionBody(file, source, TS.has(ext));
  const callMs = options.callMs ?? TACTIC_CALL_MS;
  let mod: Record<string, unknown>;
  try {
    // One line, so the file's own line numbers hold in errors (sucrase keeps them).
    const body = vm.runInThisContext(`(function (exports, require, module) {${code}\n})`, { filename: path.resolve(file) }) as (e: object, r: NodeJS.Require, m: { exports: object }) => void;
    const module = { exports: {} as Record<string, unknown> };
    const exports = module.exports;
    bounded(() => body(exports, builtinsOnly(file), module), callMs);
    if (module.exports !== exports) throw new ReferenceError("module is not defined: module.exports");
    mod = module.exports;
  } catch (err) {
    if ((err as { code?: string }).code === "ERR_SCRIPT_EXECUTION_TIMEOUT") {
      throw new TacticFileError(file, `did not finish loading within ${callMs} ms (an endless loop at the top of the file?)`, "Code outside your function runs once, when the file loads: move the loop into the function, or give it an end.");
    }
    throw loadError(file, err);
  }
  const fn = pickFunction(mod);
  if (!fn) throw new TacticFileError(file, "exports no function", "Export your tactic: export default function tactic(el, where, lab) { ... } (docs/exercises.md).");
  let calls = 0;
  let changed = 0;
  let stuck: TacticFault | null = null;
  const faults: TacticFault[] = [];
  const counted: UserTacticFn = (el, where, lab) => {
    calls++;
    return fn(el, where, lab);
  };
  const inner = userTactic(counted, (f) => {
    faults.push(f);
    options.onFault?.(f, false);
  });
  return {
    file,
    edit: (el, where) => {
      if (stuck) return null;
      let r: ReturnType<ElementTactic>;
      try {
        r = bounded(() => inner(el, where), callMs);
      } catch (err) {
        if ((err as { code?: string }).code !== "ERR_SCRIPT_EXECUTION_TIMEOUT") throw err;
        stuck = { error: `did not return within ${callMs} ms (an endless loop?)`, element: labelOf(el), where: { ...where } };
        faults.push(stuck);
        options.onFault?.(stuck, true);
        return null;
      }
      if (r) changed++;
      return r;
    },
    get calls() {
      return calls;
    },
    get changed() {
      return changed;
    },
    get stuck() {
      return stuck;
    },
    faults,
  };
}

/**
 * Run `f` (synchronous: the tactic and the lab's comparison of its result) under V8's watchdog:
 * a loop that never ends is terminated after `ms`, which no try/catch in the tactic can stop,
 * and surfaces here as ERR_SCRIPT_EXECUTION_TIMEOUT. The function stays an ordinary module of
 * the user's (same realm, same imports); only the call goes through a one-line script.
 */
const CALL_KEY = Symbol.for("mitm-lab.tactic-call");
const CALL = new vm.Script("globalThis[Symbol.for('mitm-lab.tactic-call')]()", { filename: "mitm-lab:tactic-call" });
function bounded<T>(f: () => T, ms: number): T {
  const g = globalThis as unknown as Record<symbol, unknown>;
  const outer = g[CALL_KEY];
  g[CALL_KEY] = f;
  try {
    return CALL.runInThisContext({ timeout: ms }) as T;
  } finally {
    g[CALL_KEY] = outer;
  }
}

/**
 * `--tactic FILE` on the command line (run, attacker): the file loaded, or exit 2 with one line
 * saying what is wrong with it and what to do.
 */
export async function tacticFileOption(file: string, options: LoadOptions = {}): Promise<LoadedTactic> {
  if (!fs.existsSync(file)) throw new UsageError(`--tactic: no such file ${file}`);
  try {
    return await loadTactic(file, options);
  } catch (err) {
    if (err instanceof TacticFileError) throw new UsageError(`--tactic ${err.message}. ${err.explain}`);
    throw err;
  }
}

/** Whether a --tactic item names a file rather than one of mallory's built-in tactics. */
export function looksLikeTacticFile(item: string): boolean {
  return /[\\/]/.test(item) || /\.(m?[jt]s|cts)$/i.test(item);
}

function pickFunction(mod: Record<string, unknown>): UserTacticFn | null {
  if (typeof mod.default === "function") return mod.default as UserTacticFn;
  if (typeof mod.tactic === "function") return mod.tactic as UserTacticFn;
  const fns = Object.values(mod).filter((v) => typeof v === "function");
  return fns.length === 1 ? (fns[0] as UserTacticFn) : null;
}

/**
 * The file as the body of a function (exports, require, module): types out (TypeScript), ES
 * imports and exports as require() and exports.*, nothing else changed - the code runs as the
 * user wrote it (Node 20 runs modern JS).
 */
async function toFunctionBody(file: string, source: string, typescript: boolean): Promise<string> {
  // sucrase is CommonJS: bundled, its exports may sit on the namespace's default.
  const mod = (await import("sucrase")) as typeof import("sucrase") & { default?: typeof import("sucrase") };
  const transform = mod.transform ?? mod.default!.transform;
  const as = (ts: boolean) => transform(source, { transforms: ts ? ["typescript", "imports"] : ["imports"], disableESTransforms: true, filePath: file }).code;
  try {
    return as(typescript);
  } catch (err) {
    const message = (err as Error).message.replace(/^Error transforming [^:]*: /, "");
    let typed = false;
    if (!typescript) {
      try {
        as(true);
        typed = true;
      } catch {}
    }
    const explain = typed ? "It parses as TypeScript: name the file .ts (my-tactic.ts), or take the types out." : "Fix the syntax error at the line and column given, then check again.";
    throw new TacticFileError(file, `does not parse: ${message}`, explain);
  }
}

/** require() for a tactic file: node: built-ins only, as an ES import of one would be. */
function builtinsOnly(file: string): NodeJS.Require {
  const real = createRequire(path.resolve(file));
  return Object.assign((id: string) => {
    if (isBuiltin(id)) return real(id);
    throw Object.assign(new Error(`Cannot find module '${id}'`), { code: "ERR_MODULE_NOT_FOUND" });
  }, real);
}

function loadError(file: string, err: unknown): TacticFileError {
  const e = err as Error & { code?: string };
  if (e instanceof SyntaxError) {
    // Loaded as JavaScript (sucrase strips types only from .ts): a type annotation is a syntax error here.
    const typed = /^Unexpected token ':'|^Unexpected identifier '(type|interface|any)'|^Unexpected strict mode reserved word/.test(e.message) ? " If it is TypeScript (el: any, type Where = ...), name the file .ts." : "";
    const at = new RegExp(`${path.basename(file).replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}:(\\d+)`).exec(e.stack ?? "");
    return new TacticFileError(file, `does not parse: ${e.message}${at ? ` (line ${at[1]})` : ""}`, `Fix the syntax error, then check again (node --check FILE shows where it is).${typed}`);
  }
  if (e?.code === "ERR_UNSUPPORTED_RESOLVE_REQUEST" || e?.code === "ERR_MODULE_NOT_FOUND" || /Cannot find (module|package)|Invalid URL|resolve/i.test(e?.message ?? "")) {
    return new TacticFileError(file, `imports something the lab cannot give it (${e.message})`, "A tactic file is self-contained: import only node: built-ins and types (import type); the lab's helpers come as the third argument, lab.");
  }
  if (e instanceof ReferenceError && /module|require|exports/.test(e.message)) {
    return new TacticFileError(file, e.message, "Write the tactic as an ES module: export default function tactic(el, where, lab) { ... } (not module.exports).");
  }
  return new TacticFileError(file, `failed while loading: ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`, "The file's top level threw while loading; the tactic function itself runs later, on each element.");
}
