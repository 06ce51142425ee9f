import { existsSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';
import ts from 'typescript';
import { isPathInside, ValidationError } from '../../../core/index.js';
import { runProcess, testEnvironment } from '../../../fixes/index.js';
import type { ChildConfig, ChildEvent, CurrentCall, FunctionPlan } from './child-protocol.js';
import { computeKeys, executedText, isTypeScriptFile } from './coverage-keys.js';
import { DEFAULT_POOL, planInputs } from './inputs.js';
import { typedParams, type TypedParams } from './inputs-types.js';
import { findExamples, findTestExamples, type Examples } from './inputs-examples.js';
import type { CallSite, Exploration, ExploreOptions, ObservedCall, Outcome } from './types.js';

const DEFAULT_CALL_TIMEOUT_MS = 2000;
const DEFAULT_MAX_CALLS = 5000;
/** A child that keeps dying (a hang in every call, say) is not restarted forever. */
const MAX_RESTARTS = 25;
/** Share of the budget kept for the two replays that check determinism. */
const REPLAY_SHARE = 0.25;

/** The two child scripts, as Node runs them. */
interface ChildScripts {
  child: string;
  loader: string;
}

/**
 * From `dist` the child scripts are JavaScript beside this file; from `src` (tests, tsx) they are
 * TypeScript that imports nothing of ours at run time, so each is transpiled alone into the
 * exploration's folder: no loader of ours (tsx) runs in the child to alter the code it measures.
 */
/** This package's folder (with `dist/` or `src/`, and `node_modules/`). */
const OWN_ROOT = fileURLToPath(new URL('../../../../', import.meta.url));

async function childScripts(dir: string): Promise<ChildScripts> {
  const here = import.meta.url;
  if (!here.endsWith('.ts')) {
    return {
      child: fileURLToPath(new URL('./child.js', here)),
      loader: fileURLToPath(new URL('./child-loader.js', here)),
    };
  }
  const out: Partial<ChildScripts> = {};
  for (const name of ['child', 'child-loader'] as const) {
    const source = readFileSync(fileURLToPath(new URL(`./${name}.ts`, here)), 'utf8');
    const { outputText } = ts.transpileModule(source, {
      fileName: `${name}.ts`,
      compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
    });
    const target = path.join(dir, `${name}.mjs`);
    await writeFile(target, outputText);
    out[name === 'child' ? 'child' : 'loader'] = target;
  }
  return out as ChildScripts;
}

/** How Node loads a JavaScript file: by extension, else by the nearest package.json's `type`. */
function loadKind(file: string): 'require' | 'import' {
  if (/\.(mjs|mts|ts|tsx|cts)$/.test(file)) return 'import';
  if (file.endsWith('.cjs')) return 'require';
  for (let dir = path.dirname(file); dir !== path.dirname(dir); dir = path.dirname(dir)) {
    const manifest = path.join(dir, 'package.json');
    if (existsSync(manifest)) {
      try {
        const type = (JSON.parse(readFileSync(manifest, 'utf8')) as { type?: unknown }).type;
        return type === 'module' ? 'import' : 'require';
      } catch {
        return 'require';
      }
    }
  }
  return 'require';
}

function checkOptions(options: ExploreOptions): string {
  if (!existsSync(options.root) || !statSync(options.root).isDirectory())
    throw new ValidationError(`exploreModule: root ${options.root} is not a folder`);
  const absolute = path.resolve(options.root, options.file);
  if (!isPathInside(options.root, absolute))
    throw new ValidationError(`exploreModule: ${options.file} is outside ${options.root}`);
  if (!existsSync(absolute) || !statSync(absolute).isFile())
    throw new ValidationError(`exploreModule: no such file ${options.file}`);
  if (!(options.timeoutMs > 0))
    throw new ValidationError(
      `exploreModule: timeoutMs must be positive, got ${options.timeoutMs}`,
    );
  return realpathSync(absolute);
}

/** Pieces of an outcome that would differ on another machine, folder or moment. */
function looksUnstable(outcome: Outcome, paths: readonly string[]): boolean {
  const text =
    outcome.kind === 'return' ? (outcome.value ?? '') : `${outcome.name} ${outcome.message}`;
  if (paths.some((p) => p.length > 1 && text.includes(p))) return true;
  const year = new Date().getUTCFullYear();
  if (new RegExp(`\\b(${year - 1}|${year}|${year + 1})-\\d\\d-\\d\\d`).test(text)) return true;
  const nowMs = Date.now();
  for (const match of text.matchAll(/\b\d{10,13}(\.\d+)?\b/g)) {
    const n = Number(match[0]);
    const ms = n < 1e11 ? n * 1000 : n;
    if (Math.abs(ms - nowMs) < 366 * 24 * 3600 * 1000) return true;
  }
  return false;
}

function sameOutcome(a: Outcome, b: Outcome | undefined): boolean {
  return b !== undefined && JSON.stringify(a) === JSON.stringify(b);
}

async function readEvents(file: string): Promise<ChildEvent[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    return [];
  }
  const events: ChildEvent[] = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    try {
      events.push(JSON.parse(line) as ChildEvent);
    } catch {
      // a line cut short by a kill
    }
  }
  return events;
}

async function readCurrent(dir: string): Promise<CurrentCall | undefined> {
  try {
    return JSON.parse(await readFile(path.join(dir, 'current.json'), 'utf8')) as CurrentCall;
  } catch {
    return undefined;
  }
}

/** The last line of a child's error output that says something (a crash at start). */
function lastWords(stderr: string): string {
  const lines = stderr
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('at ') && !l.startsWith('(Use `node'));
  return (
    lines.find((l) => /Error|error:/.test(l)) ??
    lines[lines.length - 1] ??
    'no output'
  ).slice(0, 300);
}

interface Run {
  events: ChildEvent[];
  current: CurrentCall | undefined;
  timedOut: boolean;
  stderr: string;
  exitCode: number | null;
}

export interface ExploreModuleOptions extends ExploreOptions {
  /**
   * Also take argument lists from calls in the repository's own tests. Off by default: an
   * evaluation of generated tests alone must not start from the suite it is compared with.
   */
  fromTests?: boolean;
}

/**
 * Calls the exports of one module in a sandboxed child process (time limit, temporary cwd and
 * HOME, no network, the test environment), feedback-directed: inputs that reach new statements or
 * branches are kept and reused. Never throws for what the module does; a module that does not load
 * gives an exploration with every export skipped and the reason.
 */
export async function exploreModule(options: ExploreModuleOptions): Promise<Exploration> {
  const started = performance.now();
  const file = checkOptions(options);
  const callTimeoutMs = Math.max(50, options.callTimeoutMs ?? DEFAULT_CALL_TIMEOUT_MS);
  const maxCalls = options.maxCalls ?? DEFAULT_MAX_CALLS;
  const node = options.node ?? process.execPath;
  const raw = readFileSync(file, 'utf8').replace(/^\uFEFF/, '');
  const executed = executedText(file, raw);
  const table = computeKeys(file, executed.text, executed.originalLine);
  const inputs = planInputs(file, raw);
  const realRoot = realpathSync(options.root);
  let plans = withExamples(
    mergeTyped(inputs.plans, typedParams(file)),
    findExamples(file, realRoot, raw),
  );
  if (options.fromTests) plans = withExamples(plans, findTestExamples(file, realRoot));
  const common = [...new Set([...DEFAULT_POOL, ...inputs.literals.slice(0, 80)])];
  const targetLines = new Set(options.targetLines ?? []);
  const targetKeys =
    targetLines.size === 0
      ? undefined
      : [...table.lines].filter(([, line]) => targetLines.has(line)).map(([key]) => key);

  const dir = await mkdtemp(path.join(tmpdir(), 'beast-explore-'));
  try {
    const scripts = await childScripts(dir);
    for (const sub of ['work', 'home', 'tmp']) await mkdir(path.join(dir, sub));
    const base: Omit<
      ChildConfig,
      'mode' | 'outFile' | 'covered' | 'banned' | 'poison' | 'triedBefore' | 'budgetMs' | 'seed'
    > = {
      file,
      load: loadKind(file),
      cwd: path.join(dir, 'work'),
      keys: table.probes,
      ...(targetKeys ? { targetKeys } : {}),
      plans,
      common,
      ...(options.exports ? { exports: [...options.exports] } : {}),
      maxCalls,
      callTimeoutMs,
      ...(isTypeScriptFile(file) || hasTypeScriptImports(raw)
        ? {
            loaderUrl: pathToFileURL(scripts.loader).href,
            loaderData: {
              typescript: createRequire(import.meta.url).resolve('typescript'),
              sources: isTypeScriptFile(file) ? { [pathToFileURL(file).href]: table.text } : {},
            },
          }
        : {}),
    };
    const env = {
      ...testEnvironment(),
      HOME: path.join(dir, 'home'),
      TMPDIR: path.join(dir, 'tmp'),
    };
    let runs = 0;
    const runChild = async (
      config: ChildConfig,
      timeoutMs: number,
      extraEnv: NodeJS.ProcessEnv = {},
    ): Promise<Run> => {
      const id = `run-${runs++}`;
      const runDir = path.join(dir, id);
      await mkdir(runDir);
      const configFile = path.join(runDir, 'config.json');
      const outFile = path.join(runDir, 'events.jsonl');
      await writeFile(configFile, JSON.stringify({ ...config, outFile }));
      const result = await runProcess(
        node,
        ['--no-warnings', '--stack-size=4000', scripts.child, configFile],
        {
          cwd: options.root,
          readOnlyCwd: true,
          writable: [dir],
          // The child script, its loader and TypeScript are ours: shown read-only wherever we are
          // installed (under /tmp or $HOME the sandbox would hide them).
          readOnly: [OWN_ROOT],
          env: { ...env, ...extraEnv },
          timeoutMs,
          maxOutputBytes: 64 * 1024,
          killGraceMs: 500,
        },
      );
      return {
        events: await readEvents(outFile),
        current: await readCurrent(runDir),
        timedOut: result.timedOut,
        stderr: result.stderr,
        exitCode: result.exitCode,
      };
    };

    // Exploring: restart after a call that hung or crashed the child, with what was learnt.
    const exploreBudget = options.timeoutMs * (1 - REPLAY_SHARE);
    const calls: { call: CallSite; outcome: Outcome; keys: string[] }[] = [];
    const covered = new Set<string>();
    const banned: string[] = [];
    const poison: string[] = [];
    const exits = new Map<string, number>();
    let skipped: { exportName: string; reason: string }[] = [];
    let loadKeys: string[] = [];
    let esModuleInterop = false;
    let tried = 0;
    let loadError: string | undefined;
    for (let restart = 0; restart <= MAX_RESTARTS; restart++) {
      const left = exploreBudget - (performance.now() - started);
      if (left < 200 || options.signal?.aborted) break;
      const run = await runChild(
        {
          ...base,
          mode: 'explore',
          outFile: '',
          covered: [...covered],
          banned,
          poison,
          triedBefore: tried,
          budgetMs: Math.max(100, left - 300),
          seed: (options.seed ?? 1) + restart * 7919,
        },
        left + 5000,
      );
      let done = false;
      for (const event of run.events) {
        if (event.type === 'loaded') {
          skipped = event.skipped;
          loadKeys = event.loadKeys;
          if (event.esModule === true) esModuleInterop = true;
          for (const k of loadKeys) covered.add(k);
        } else if (event.type === 'load-error') {
          loadError = event.message;
        } else if (event.type === 'call') {
          calls.push({ call: event.call, outcome: event.outcome, keys: event.keys });
          for (const k of event.keys) covered.add(k);
        } else if (event.type === 'exit') {
          exits.set(event.call.exportName, (exits.get(event.call.exportName) ?? 0) + 1);
        } else if (event.type === 'progress') {
          tried = Math.max(tried, event.tried);
        } else if (event.type === 'done') {
          tried = Math.max(tried, event.tried);
          done = true;
        }
      }
      if (done || loadError !== undefined) break;
      if (!run.events.some((e) => e.type === 'loaded')) {
        // It died before the module loaded: a crash at start, not a call's doing.
        loadError = run.timedOut ? 'timed out while loading' : lastWords(run.stderr);
        break;
      }
      if (run.current) {
        tried = Math.max(tried, run.current.tried);
        banned.push(run.current.target);
        poison.push(JSON.stringify(run.current.call));
      } else {
        break;
      }
    }

    if (loadError !== undefined && calls.length === 0) {
      skipped = moduleExports(raw, file).map((exportName) => ({
        exportName,
        reason: `module did not load: ${loadError}`,
      }));
      if (skipped.length === 0)
        skipped = [{ exportName: '*', reason: `module did not load: ${loadError}` }];
    }
    for (const [exportName, count] of exits) {
      if (!calls.some((c) => c.call.exportName === exportName))
        skipped.push({
          exportName,
          reason: `calls end the process (process.exit) in ${count} tries`,
        });
    }
    const hung = new Set(
      banned
        .filter((t, i) => banned.indexOf(t) !== i)
        .map((t) => t.replace(/^new /, '').replace(/[#.].*$/, '')),
    );
    for (const exportName of hung) {
      if (
        !calls.some((c) => c.call.exportName === exportName) &&
        !skipped.some((s) => s.exportName === exportName)
      )
        skipped.push({ exportName, reason: `calls did not end within ${callTimeoutMs} ms` });
    }

    // Determinism: the kept calls replayed in fresh children, here and in another zone and locale.
    const deterministic = calls.map(() => true);
    if (calls.length > 0) {
      const left = Math.max(2000, options.timeoutMs - (performance.now() - started));
      const replayConfig: ChildConfig = {
        ...base,
        mode: 'replay',
        outFile: '',
        covered: [],
        banned: [],
        poison: [],
        triedBefore: 0,
        budgetMs: left,
        seed: 1,
        replay: calls.map((c) => c.call),
      };
      const replays = await Promise.all([
        runChild(replayConfig, left),
        runChild(replayConfig, left, {
          TZ: 'Pacific/Chatham',
          LANG: 'de_DE.UTF-8',
          LC_ALL: 'de_DE.UTF-8',
        }),
      ]);
      for (const replay of replays) {
        const outcomes = new Map<number, Outcome>();
        for (const e of replay.events) if (e.type === 'replayed') outcomes.set(e.index, e.outcome);
        calls.forEach((c, i) => {
          if (!sameOutcome(c.outcome, outcomes.get(i))) deterministic[i] = false;
        });
      }
    }
    const unstablePaths = [dir, options.root, realpathSync(options.root), tmpdir()];
    const observed: ObservedCall[] = calls.map((c, i) => ({
      call: c.call,
      outcome: c.outcome,
      keys: c.keys,
      deterministic: deterministic[i]! && !looksUnstable(c.outcome, unstablePaths),
    }));
    const reached = new Set([...loadKeys, ...calls.flatMap((c) => c.keys)]);
    return {
      file: path.relative(realpathSync(options.root), file) || options.file,
      calls: observed,
      totalKeys: table.probes.length,
      coveredKeys: reached.size,
      skipped,
      ...(esModuleInterop ? { esModuleInterop } : {}),
      tried,
      durationMs: Math.round(performance.now() - started),
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * Plans with the declared types' candidates woven in: the code's own evidence (compared literals)
 * and the types' alternate, so that both are among the first candidates the child favours.
 */
export function mergeTyped(
  plans: Record<string, FunctionPlan>,
  typed: TypedParams,
): Record<string, FunctionPlan> {
  const out: Record<string, FunctionPlan> = { ...plans };
  for (const [name, params] of Object.entries(typed)) {
    const plan = out[name] ?? { params: [], arity: params.length, examples: [] };
    const merged = Array.from({ length: Math.max(plan.params.length, params.length) }, (_, i) => {
      const own = plan.params[i] ?? [];
      const types = params[i] ?? [];
      const list: string[] = [];
      for (let k = 0; k < Math.max(own.length, types.length); k++) {
        if (own[k] !== undefined) list.push(own[k]!);
        if (types[k] !== undefined) list.push(types[k]!);
      }
      return [...new Set(list)];
    });
    out[name] = { ...plan, params: merged, arity: Math.max(plan.arity, params.length) };
  }
  return out;
}

/**
 * Plans with the argument lists of examples: whole (the child replays and mutates them) and each
 * argument as a candidate of its position. `parse` examples go to `parse` and `Class.parse`.
 */
export function withExamples(
  plans: Record<string, FunctionPlan>,
  examples: Examples,
): Record<string, FunctionPlan> {
  const out: Record<string, FunctionPlan> = { ...plans };
  for (const [name, lists] of Object.entries(examples)) {
    const keys = Object.keys(out).filter((k) => k === name || k.endsWith(`.${name}`));
    if (keys.length === 0 && name === 'default') keys.push('default');
    for (const key of keys) {
      const plan = out[key] ?? { params: [], arity: 0, examples: [] };
      const params = plan.params.map((p) => [...p]);
      for (const list of lists)
        list.forEach((arg, i) => {
          while (params.length <= i) params.push([]);
          if (!params[i]!.includes(arg)) params[i]!.splice(Math.min(2, params[i]!.length), 0, arg);
        });
      out[key] = { params, arity: plan.arity, examples: [...plan.examples, ...lists] };
    }
  }
  return out;
}

/** Whether a JavaScript module imports TypeScript files (a `.ts` specifier). */
function hasTypeScriptImports(text: string): boolean {
  return /from\s+['"][^'"]+\.(ts|tsx|mts|cts)['"]|require\(\s*['"][^'"]+\.(ts|mts|cts)['"]/.test(
    text,
  );
}

/** The export names a module declares, read from its text (for a module that does not load). */
function moduleExports(text: string, file: string): string[] {
  const names = new Set<string>();
  for (const m of text.matchAll(
    /export\s+(?:async\s+)?(?:function\*?|class|const|let|var)\s+([A-Za-z_$][\w$]*)/g,
  ))
    names.add(m[1]!);
  for (const m of text.matchAll(/export\s*\{([^}]*)\}/g))
    for (const part of m[1]!.split(','))
      if (part.trim() !== '')
        names.add(
          part
            .trim()
            .split(/\s+as\s+/)
            .pop()!
            .trim(),
        );
  if (/export\s+default\b/.test(text) || /module\.exports\s*=/.test(text)) names.add('default');
  for (const m of text.matchAll(/(?:module\.)?exports\.([A-Za-z_$][\w$]*)\s*=/g)) names.add(m[1]!);
  void file;
  return [...names].filter((n) => n !== 'type');
}
