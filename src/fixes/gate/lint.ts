import { access, mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { ValidationError } from '../../core/index.js';
import { resolveBin } from './bin.js';
import { LINTERS, type LinterName, type LinterPlugin, type ScriptUse } from './linters/index.js';
import { lintScriptProblem, runLintScript, scriptUses } from './linters/script.js';
import { readPackageJson, type PackageJson } from './package-json.js';
import { runProcess, testEnvironment } from './process.js';
import { ReportBuilder, readJsonReport } from './runners/report.js';

export { FATAL_RULE } from './linters/index.js';
export type { LinterName } from './linters/index.js';

/**
 * A repository's linter, as found by `detectLinters`: one whose report we read, or `script`, the
 * repository's own `lint` script, run whole and judged by its exit status (a weaker check).
 */
export interface LinterInfo {
  name: LinterName | 'script';
  /** How people write its name: `ESLint`, `the lint script`. */
  label: string;
  /** The binary relative to the repository root; for `script`, the script's name. */
  bin: string;
  /** Where it is configured: a config file, `package.json#key`, or `scripts.<name>`. */
  config: string;
  /** Options the repository's script gives it (`--max-warnings 0`, `-c file`), kept as they are. */
  options: string[];
  /** Warnings fail the repository's lint (`--max-warnings 0`), so they count as errors. */
  warningsAreErrors: boolean;
  /** Environment variables it needs besides the usual ones. */
  env: Record<string, string>;
  /** Its package's version; empty when unknown. */
  version: string;
}

/** A linter the repository configures that cannot run, and why. */
export interface LinterSkip {
  name: LinterName | 'script';
  label: string;
  config: string;
  reason: string;
}

export interface LinterDetection {
  /** The linters to run, in a fixed order. */
  linters: LinterInfo[];
  /** Configured linters that cannot run: never a silent clean lint. */
  notRun: LinterSkip[];
}

/**
 * Errors per file (relative to `cwd`, `/` separators) and `linter/rule` (`eslint/no-unused-vars`,
 * `oxlint/eslint(no-debugger)`, `biome/suspicious/noDebugger`).
 */
export type LintErrors = Record<string, Record<string, number>>;

export interface LintRun {
  /** `ran`: a report was read; `timeout`: killed at the time limit; `error`: no report (a crash). */
  status: 'ran' | 'timeout' | 'error';
  errors: LintErrors;
  /** What to show a person: the output's tail. */
  output: string;
}

export interface RunLintOptions {
  cwd: string;
  /** Files to lint, relative to `cwd`; those that do not exist (deleted by a change) are left out. */
  files: readonly string[];
  timeoutMs: number;
  /** The linter's environment; `testEnvironment()` by default. */
  env?: NodeJS.ProcessEnv;
  /**
   * The Node binary to run linters with instead of ours (the repository's Node); its folder comes
   * first on the child's PATH.
   */
  node?: string;
}

/** One file and rule whose error count went up. */
export interface LintIncrease {
  file: string;
  ruleId: string;
  before: number;
  after: number;
}

const BIN_DIR = 'node_modules/.bin';

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}

async function versionOf(root: string, packageName: string): Promise<string> {
  const text = await readFile(
    join(root, 'node_modules', packageName, 'package.json'),
    'utf8',
  ).catch(() => '{}');
  try {
    const version = (JSON.parse(text) as { version?: unknown }).version;
    return typeof version === 'string' ? version : '';
  } catch {
    return '';
  }
}

/** The script that runs it first: `lint` before the others, then in package.json order. */
function preferLint(uses: readonly ScriptUse[]): ScriptUse[] {
  return [...uses].sort((a, b) => Number(b.script === 'lint') - Number(a.script === 'lint'));
}

async function detectOne(
  plugin: LinterPlugin,
  root: string,
  files: readonly string[],
  pkg: PackageJson | undefined,
): Promise<LinterInfo | LinterSkip | undefined> {
  const uses = preferLint(scriptUses(pkg).filter((use) => use.command.program === plugin.bin));
  const context = { root, files, pkg, uses };
  const setup = await plugin.detect(context);
  if (setup === undefined) return undefined;
  const skip = (reason: string): LinterSkip => ({
    name: plugin.name,
    label: plugin.label,
    config: setup.config,
    reason,
  });
  const disabled = await plugin.disabled?.(context, setup);
  if (disabled !== undefined) return skip(disabled);
  const bin = `${BIN_DIR}/${plugin.bin}`;
  if (!(await exists(join(root, bin)))) {
    return skip(
      `${setup.config} configures ${plugin.label}, but ${bin} is missing: a linter we cannot start (are the dependencies installed?)`,
    );
  }
  const { options, warningsAreErrors } = plugin.scriptOptions(uses[0]?.command.args ?? []);
  return {
    name: plugin.name,
    label: plugin.label,
    bin,
    config: setup.config,
    options,
    warningsAreErrors,
    env: setup.env ?? {},
    version: await versionOf(root, plugin.packageName),
  };
}

/** The `lint` script as the fallback, when it runs none of the linters above; why it cannot, if so. */
function lintScriptFallback(pkg: PackageJson | undefined): LinterInfo | LinterSkip | undefined {
  if (pkg?.scripts?.lint === undefined) return undefined;
  const problem = lintScriptProblem(pkg);
  if (problem === 'covered') return undefined;
  const info = { name: 'script' as const, label: 'the lint script', config: 'scripts.lint' };
  if (problem !== undefined) return { ...info, reason: problem };
  return { ...info, bin: 'lint', options: [], warningsAreErrors: false, env: {}, version: '' };
}

/**
 * Finds every linter the repository uses: ESLint, xo, oxlint and Biome by their config files,
 * package.json keys and the scripts that run them; and, when none of them is what its `lint`
 * script runs, that script as a fallback. A configured linter that cannot run (its binary is
 * missing, its config turns it off) is listed in `notRun` with the reason.
 */
export async function detectLinters(root: string): Promise<LinterDetection> {
  const files = (await readdir(root).catch(() => [])).sort();
  const read = await readPackageJson(root);
  const pkg = 'pkg' in read ? read.pkg : undefined;
  const found: (LinterInfo | LinterSkip | undefined)[] = [];
  for (const plugin of Object.values(LINTERS))
    found.push(await detectOne(plugin, root, files, pkg));
  found.push(lintScriptFallback(pkg));
  return {
    linters: found.filter((f): f is LinterInfo => f !== undefined && !('reason' in f)),
    notRun: found.filter((f): f is LinterSkip => f !== undefined && 'reason' in f),
  };
}

async function existing(cwd: string, files: readonly string[]): Promise<string[]> {
  const found = await Promise.all(
    files.map((file) =>
      stat(join(cwd, file)).then(
        (s) => s.isFile(),
        () => false,
      ),
    ),
  );
  return files.filter((_, i) => found[i]);
}

function outputOf(linter: LinterInfo, run: LintRun['status'], stdout: string, stderr: string) {
  const prefix = run === 'timeout' ? `${linter.label} timed out and was killed\n` : '';
  const all = `${prefix}${stdout}\n${stderr}`.trim();
  return all.length <= 4000 ? all : `…${all.slice(-4000)}`;
}

/** The environment with `node`'s folder first on PATH, so that scripts and shims find it. */
export function withNode(env: NodeJS.ProcessEnv, node: string | undefined): NodeJS.ProcessEnv {
  if (node === undefined) return env;
  const path = env.PATH ?? '';
  return { ...env, PATH: path === '' ? dirname(node) : `${dirname(node)}${delimiter}${path}` };
}

function count(
  builder: ReportBuilder,
  linter: LinterInfo,
  messages: ReturnType<LinterPlugin['parse']>,
): LintErrors | undefined {
  if (messages === undefined) return undefined;
  const errors: LintErrors = {};
  for (const message of messages) {
    if (message.severity !== 'error' && !linter.warningsAreErrors) continue;
    const counts = (errors[builder.file(message.file) ?? ''] ??= {});
    const rule = `${linter.name}/${message.rule}`;
    counts[rule] = (counts[rule] ?? 0) + 1;
  }
  return errors;
}

/** How to start a binary: a Node script with `node` (the repository's Node) where one is given. */
async function programOf(bin: string, node: string | undefined) {
  const program = await resolveBin(bin, []);
  const ours = program.command === process.execPath;
  return ours && node !== undefined ? { ...program, command: node } : program;
}

/**
 * Runs one linter on the given files with its machine-readable report and counts their errors by
 * file and `linter/rule` (warnings too where the repository fails on them); a parse error counts
 * under `linter/fatal`. The `script` fallback runs the whole lint script instead (see
 * `runLintScript`).
 */
export async function runLint(linter: LinterInfo, options: RunLintOptions): Promise<LintRun> {
  const env = withNode({ ...(options.env ?? testEnvironment()), ...linter.env }, options.node);
  if (linter.name === 'script') {
    return runLintScript(linter.bin, { cwd: options.cwd, env, timeoutMs: options.timeoutMs });
  }
  const plugin = LINTERS[linter.name];
  const files = await existing(options.cwd, options.files);
  if (files.length === 0) return { status: 'ran', errors: {}, output: '' };
  const dir = await mkdtemp(join(tmpdir(), 'beast-lint-'));
  try {
    const invocation = plugin.invocation(files, {
      dir,
      options: linter.options,
      warningsAreErrors: linter.warningsAreErrors,
      version: linter.version,
    });
    const program = await programOf(join(options.cwd, linter.bin), options.node);
    const result = await runProcess(program.command, [...program.args, ...invocation.args], {
      cwd: options.cwd,
      env,
      timeoutMs: options.timeoutMs,
      writable: [dir],
      ...(invocation.stdoutToReport ? { stdoutFile: invocation.report } : {}),
    });
    if (result.timedOut) {
      const output = outputOf(linter, 'timeout', result.stdout, result.stderr);
      return { status: 'timeout', errors: {}, output };
    }
    const builder = await ReportBuilder.create(options.cwd);
    const errors = count(builder, linter, plugin.parse(await readJsonReport(invocation.report)));
    const status = errors === undefined ? 'error' : 'ran';
    return {
      status,
      errors: errors ?? {},
      output: outputOf(linter, status, result.stdout, result.stderr),
    };
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    return { status: 'error', errors: {}, output: error.message };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * New lint errors: each file and rule whose error count is higher after the change than before,
 * sorted. A renamed file's errors all count as new. Pure; callers check that both runs have
 * `status: 'ran'`, since a run without a report has no errors to compare.
 */
export function compareLint(before: LintRun, after: LintRun): LintIncrease[] {
  const newErrors: LintIncrease[] = [];
  for (const [file, rules] of Object.entries(after.errors)) {
    for (const [ruleId, count] of Object.entries(rules)) {
      const previous = before.errors[file]?.[ruleId] ?? 0;
      if (count > previous) newErrors.push({ file, ruleId, before: previous, after: count });
    }
  }
  return newErrors.sort((a, b) => a.file.localeCompare(b.file) || a.ruleId.localeCompare(b.ruleId));
}

/** Merges the errors of several linters' runs (their rule ids never collide). */
export function mergeLintErrors(...runs: readonly LintErrors[]): LintErrors {
  const merged: LintErrors = {};
  for (const errors of runs) {
    for (const [file, rules] of Object.entries(errors)) {
      merged[file] = { ...merged[file], ...rules };
    }
  }
  return merged;
}
