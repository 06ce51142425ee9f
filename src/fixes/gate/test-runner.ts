import { access, mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ValidationError } from '../../core/index.js';
import { resolveBin } from './bin.js';
import { resolveFromDependencies, resolveTestScript, toRunnerInfo } from './detect-runner.js';
import { readPackageJson } from './package-json.js';
import { runProcess, testEnvironment, type ProcessResult } from './process.js';
import { FILE_TITLE, RUN_TITLE } from './runners/report.js';
import {
  RUNNERS,
  type Invocation,
  type ParsedReport,
  type RunContext,
  type RunnerPlugin,
  type TestFailure,
  type TestOutcome,
  type TestRunnerInfo,
} from './runners/index.js';

export type { TestOutcome, TestRunnerInfo, TestRunnerName } from './runners/index.js';

/** The outcome of one run of a repository's tests. Failing tests and timeouts are data. */
export interface TestRun {
  /** `ran`: a report was read; `timeout`: killed at the time limit; `error`: no report (a crash). */
  status: 'ran' | 'timeout' | 'error';
  /** Outcome per stable test id: `file > describe > test` (AVA: its own `file › test` title). */
  tests: Record<string, TestOutcome>;
  failed: number;
  passed: number;
  /**
   * Tests that ran to a pass or a fail, not counting the entries that stand for a file that did not
   * load or for an unexplained exit code: zero means the runner started but ran no test.
   */
  executed: number;
  durationMs: number;
  /** True when only the tests related to the given files ran. */
  related: boolean;
  /** Test files the run covered, relative to `cwd` (empty when the runner does not say). */
  files: string[];
  /** What to show a person: the failing tests with their messages, then the output's tail. */
  output: string;
  /** The runner's last meaningful lines (no stack frames, no blank lines): why it stopped. */
  lastWords: string;
}

export interface RunTestsOptions {
  cwd: string;
  timeoutMs: number;
  /** Changed files relative to `cwd`: run only their related tests where the runner can. */
  related?: readonly string[];
  /** The test processes' environment; `testEnvironment()` by default. */
  env?: NodeJS.ProcessEnv;
}

/** Id of the entry that records a non-zero exit with no failing test (an unhandled error, say). */
export const EXIT_CODE_ID = `${RUN_TITLE} > exit code`;

const OUTPUT_TAIL = 4000;
const LAST_WORDS = 3;

/** Whether a test id stands for a test file that did not load, or for the exit code, not a test. */
export function isSyntheticTest(id: string): boolean {
  return id.startsWith(`${RUN_TITLE} > `) || id === FILE_TITLE || id.endsWith(` > ${FILE_TITLE}`);
}

/** Tests that ran to a pass or a fail, without the synthetic entries. */
export function executedTests(tests: Record<string, TestOutcome>): number {
  return Object.entries(tests).filter(([id, outcome]) => outcome !== 'skip' && !isSyntheticTest(id))
    .length;
}
const LISTED_FAILURES = 20;

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}

/**
 * Finds how to run a package's tests: the runner its `test` script runs (vitest, jest, mocha,
 * `node --test`, ava), or the one runner among its dependencies when it has no test script. A
 * reason instead when there is none, or when its binary is not in `node_modules/.bin` (a runner we
 * cannot start).
 */
export async function detectTestRunner(
  root: string,
): Promise<{ runner: TestRunnerInfo } | { reason: string }> {
  const read = await readPackageJson(root);
  if ('reason' in read) return read;
  const { pkg } = read;
  const fromScript = resolveTestScript(pkg.scripts ?? {});
  if (fromScript !== undefined && 'reason' in fromScript) return fromScript;
  let runner: TestRunnerInfo;
  if (fromScript !== undefined) {
    runner = toRunnerInfo(fromScript, 'script');
  } else {
    const rootFiles = await readdir(root).catch(() => []);
    const name = resolveFromDependencies(pkg, rootFiles);
    if (typeof name !== 'string') return name;
    runner = toRunnerInfo({ name, nodeArgs: [], args: [], env: {} }, 'dependencies');
  }
  if (runner.bin !== undefined && !(await exists(join(root, runner.bin)))) {
    return {
      reason: `${runner.name} runs the tests, but ${runner.bin} is missing: a runner we cannot start (are the dependencies installed?)`,
    };
  }
  return { runner };
}

/** Our own Node and the runner's script, so that the script's Node options apply. */
function resolveProgram(
  runner: TestRunnerInfo,
  cwd: string,
): Promise<{ command: string; args: string[] }> {
  if (runner.bin === undefined) {
    return Promise.resolve({ command: process.execPath, args: runner.nodeArgs });
  }
  return resolveBin(join(cwd, runner.bin), runner.nodeArgs);
}

const ANSI = new RegExp(String.raw`\u001b\[[0-9;]*[A-Za-z]`, 'g');

function tail(text: string, max: number): string {
  const clean = text.replace(ANSI, '');
  return clean.length <= max ? clean : `…${clean.slice(clean.length - max)}`;
}

function head(text: string, max: number): string {
  const clean = text.replace(ANSI, '').trim();
  return clean.length <= max ? clean : `${clean.slice(0, max)}…`;
}

function headline(
  status: TestRun['status'],
  result: ProcessResult,
  report: ParsedReport | undefined,
): string {
  if (status === 'timeout') return `timed out after ${result.durationMs} ms and was killed`;
  const exit = result.exitCode ?? result.signal;
  if (status === 'error' && report !== undefined) {
    return `the test runner exited (${exit}) before running any test`;
  }
  if (status === 'error') return `the test runner exited (${exit}) without a report`;
  return `the test runner exited (${exit})`;
}

function failureList(failures: readonly TestFailure[]): string[] {
  const lines = failures
    .slice(0, LISTED_FAILURES)
    .map(({ id, message }) => `✗ ${id}\n${head(message, 600).replace(/^/gm, '    ')}`);
  if (failures.length > LISTED_FAILURES) {
    lines.push(`… and ${failures.length - LISTED_FAILURES} more failing tests`);
  }
  return lines;
}

async function readTail(path: string | undefined, fallback: string): Promise<string> {
  if (path === undefined) return fallback;
  return (await readFile(path, 'utf8').catch(() => '')).slice(-OUTPUT_TAIL * 2);
}

/**
 * A report with no test in it from a runner that exited non-zero is a crash before any test ran
 * (a config that throws, an unsupported Node), not a run: it is an error, never "1 test failed".
 */
function runStatus(result: ProcessResult, report: ParsedReport | undefined): TestRun['status'] {
  if (result.timedOut) return 'timeout';
  if (report === undefined) return 'error';
  const empty = Object.keys(report.tests).length === 0;
  return empty && result.exitCode !== 0 ? 'error' : 'ran';
}

const STACK_FRAME = /^\s*at\s|^\s*[-─━⎯=~^|*]*\s*$|^\s*\d+\s*\|/;

const ERROR_LINE = /^(\w*Error|Error\b|error\b|ERR_)/;

/**
 * Why the runner stopped, from stderr (or stdout when stderr says nothing): its last error line
 * (`Error: ...`) when there is one, else its last lines that are not stack frames or rules.
 */
function lastWords(stdout: string, stderr: string): string {
  const meaningful = (text: string) =>
    text
      .replace(ANSI, '')
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => !STACK_FRAME.test(line));
  const fromStderr = meaningful(stderr);
  const lines = fromStderr.length > 0 ? fromStderr : meaningful(stdout);
  const error = lines.findLast((line) => ERROR_LINE.test(line));
  return head(error ?? lines.slice(-LAST_WORDS).join(' | '), 600);
}

/** The report's tests and failures, plus a failing entry for a non-zero exit no test explains. */
function withExitCode(
  report: ParsedReport,
  result: ProcessResult,
): Pick<ParsedReport, 'tests' | 'failures'> {
  const explained = result.exitCode === 0 || Object.values(report.tests).includes('fail');
  if (explained) return report;
  return {
    tests: { ...report.tests, [EXIT_CODE_ID]: 'fail' },
    failures: [
      ...report.failures,
      { id: EXIT_CODE_ID, message: 'no test failed, yet the runner exited non-zero' },
    ],
  };
}

async function toTestRun(
  plugin: RunnerPlugin,
  context: RunContext,
  invocation: Invocation,
  result: ProcessResult,
): Promise<TestRun> {
  const report = result.timedOut ? undefined : await plugin.parse(context, result.stdout);
  const status = runStatus(result, report);
  const { tests, failures } =
    report && status === 'ran' ? withExitCode(report, result) : { tests: {}, failures: [] };
  const outcomes = Object.values(tests);
  const stdout = await readTail(invocation.stdoutFile, result.stdout);
  const output = [
    headline(status, result, report),
    ...failureList(failures),
    tail(`${stdout}\n${result.stderr}`.trim(), OUTPUT_TAIL),
  ];
  return {
    status,
    tests,
    failed: outcomes.filter((o) => o === 'fail').length,
    passed: outcomes.filter((o) => o === 'pass').length,
    executed: executedTests(tests),
    durationMs: result.durationMs,
    related: context.related !== undefined,
    files: status === 'ran' ? (report?.files ?? []) : [],
    output: output.filter((part) => part !== '').join('\n\n'),
    lastWords: lastWords(stdout, result.stderr) || headline(status, result, report),
  };
}

function emptyRun(status: TestRun['status'], related: boolean, output: string): TestRun {
  return {
    status,
    tests: {},
    failed: 0,
    passed: 0,
    executed: 0,
    durationMs: 0,
    related,
    files: [],
    output,
    lastWords: output,
  };
}

/**
 * Runs a repository's tests with its runner and reads per-test results from the runner's
 * machine-readable report. With `related`, vitest and jest run only the tests related to those
 * files (no related file: nothing runs); the other runners run everything (`related: false`). The
 * processes see `testEnvironment()` plus the variables the test script sets, and are killed with
 * their process group after `timeoutMs`.
 */
export async function runTests(runner: TestRunnerInfo, options: RunTestsOptions): Promise<TestRun> {
  const plugin = RUNNERS[runner.name];
  const related =
    plugin.supportsRelated && options.related !== undefined
      ? options.related.map((file) => resolve(options.cwd, file))
      : undefined;
  if (related?.length === 0) return emptyRun('ran', true, 'no changed file to find tests for');
  const dir = await mkdtemp(join(tmpdir(), 'beast-tests-'));
  try {
    const context: RunContext = { cwd: options.cwd, dir, related };
    const program = await resolveProgram(runner, options.cwd);
    const invocation = await plugin.invocation(runner, context);
    const result = await runProcess(program.command, [...program.args, ...invocation.args], {
      cwd: options.cwd,
      env: { ...(options.env ?? testEnvironment()), ...runner.env },
      timeoutMs: options.timeoutMs,
      stdoutFile: invocation.stdoutFile,
      writable: [dir],
    });
    return await toTestRun(plugin, context, invocation, result);
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    return emptyRun('error', related !== undefined, error.message);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
