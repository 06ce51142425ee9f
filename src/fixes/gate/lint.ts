import { access, mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ValidationError } from '../../core/index.js';
import { runProcess, testEnvironment } from './process.js';
import { resolveBin } from './bin.js';
import { readPackageJson } from './package-json.js';
import { ReportBuilder, readJsonReport, records, text } from './runners/report.js';

/** A repository's linter, as found by `detectLinter`. */
export interface LinterInfo {
  name: 'eslint';
  /** The binary relative to the repository root. */
  bin: string;
  /** The config file (relative to the root), or `package.json` for an `eslintConfig` key. */
  config: string;
  /** Flat config (`eslint.config.*`) rather than the legacy `.eslintrc*`. */
  flat: boolean;
}

/** Errors (severity 2) per file (relative to `cwd`, `/` separators) and rule id. */
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
}

/** One file and rule whose error count went up. */
export interface LintIncrease {
  file: string;
  ruleId: string;
  before: number;
  after: number;
}

/** Rule id of an error that stopped ESLint from linting a file (a parse error). */
export const FATAL_RULE = 'fatal';

const FLAT_CONFIG = /^eslint\.config\.[cm]?[jt]s$/;
const LEGACY_CONFIG = /^\.eslintrc(\.(c?js|ya?ml|json))?$/;
const ESLINT_BIN = 'node_modules/.bin/eslint';

async function findConfig(root: string): Promise<Pick<LinterInfo, 'config' | 'flat'> | undefined> {
  const files = (await readdir(root).catch(() => [])).sort();
  const flat = files.find((file) => FLAT_CONFIG.test(file));
  if (flat !== undefined) return { config: flat, flat: true };
  const legacy = files.find((file) => LEGACY_CONFIG.test(file));
  if (legacy !== undefined) return { config: legacy, flat: false };
  const read = await readPackageJson(root);
  if ('pkg' in read && read.pkg.eslintConfig !== undefined) {
    return { config: 'package.json', flat: false };
  }
  return undefined;
}

/**
 * Finds the repository's linter: ESLint when the root has an ESLint config (`eslint.config.*`,
 * `.eslintrc*` or package.json `eslintConfig`) and `node_modules/.bin/eslint`; a reason otherwise.
 */
export async function detectLinter(
  root: string,
): Promise<{ linter: LinterInfo } | { reason: string }> {
  const config = await findConfig(root);
  if (config === undefined) return { reason: 'no ESLint config' };
  const present = await access(join(root, ESLINT_BIN)).then(
    () => true,
    () => false,
  );
  if (!present) {
    return {
      reason: `${config.config} configures ESLint, but ${ESLINT_BIN} is missing: a linter we cannot start (are the dependencies installed?)`,
    };
  }
  return { linter: { name: 'eslint', bin: ESLINT_BIN, ...config } };
}

function countErrors(builder: ReportBuilder, report: unknown): LintErrors | undefined {
  if (!Array.isArray(report)) return undefined;
  const errors: LintErrors = {};
  for (const result of records(report)) {
    const file = builder.file(text(result.filePath)) ?? '';
    for (const message of records(result.messages)) {
      if (message.severity !== 2) continue;
      const rule = message.fatal === true ? FATAL_RULE : text(message.ruleId) || 'eslint';
      const counts = (errors[file] ??= {});
      counts[rule] = (counts[rule] ?? 0) + 1;
    }
  }
  return errors;
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

function outputOf(status: LintRun['status'], stdout: string, stderr: string): string {
  const prefix = status === 'timeout' ? 'ESLint timed out and was killed\n' : '';
  const all = `${prefix}${stdout}\n${stderr}`.trim();
  return all.length <= 4000 ? all : `…${all.slice(-4000)}`;
}

/**
 * Runs ESLint (`--format json`, report to a file) on the given files and counts their errors by
 * file and rule; warnings are ignored, and a fatal parse error counts under `fatal`.
 */
export async function runLint(linter: LinterInfo, options: RunLintOptions): Promise<LintRun> {
  const files = await existing(options.cwd, options.files);
  if (files.length === 0) return { status: 'ran', errors: {}, output: '' };
  const dir = await mkdtemp(join(tmpdir(), 'beast-lint-'));
  const reportPath = join(dir, 'eslint.json');
  try {
    const program = await resolveBin(join(options.cwd, linter.bin), []);
    const args = [...program.args, '--format', 'json', '--output-file', reportPath, ...files];
    const result = await runProcess(program.command, args, {
      cwd: options.cwd,
      env: {
        ...(options.env ?? testEnvironment()),
        ESLINT_USE_FLAT_CONFIG: linter.flat ? 'true' : 'false',
      },
      timeoutMs: options.timeoutMs,
      writable: [dir],
    });
    if (result.timedOut) {
      return {
        status: 'timeout',
        errors: {},
        output: outputOf('timeout', result.stdout, result.stderr),
      };
    }
    const builder = await ReportBuilder.create(options.cwd);
    const errors = countErrors(builder, await readJsonReport(reportPath));
    const status = errors === undefined ? 'error' : 'ran';
    return { status, errors: errors ?? {}, output: outputOf(status, result.stdout, result.stderr) };
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
