import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join, resolve } from 'node:path';
import { ValidationError } from '../../core/index.js';
import { resolveBin } from './bin.js';
import { runProcess, testEnvironment, type ProcessResult } from './process.js';
import { FILE_TITLE, RUN_TITLE } from './runners/report.js';
import {
  RUNNERS,
  type Invocation,
  type ParsedReport,
  type CoverageContext,
  type RunContext,
  type RunnerPart,
  type RunnerPlugin,
  type ScriptPart,
  type SetupStep,
  type TestFailure,
  type TestOutcome,
  type TestPart,
  type TestRunnerInfo,
} from './runners/index.js';
import { writeStandIns } from './stand-in.js';
import { ownerOf } from './workspaces.js';

export type {
  RunnerPart,
  ScriptPart,
  SetupStep,
  TestOutcome,
  TestPart,
  TestRunnerInfo,
  TestRunnerName,
} from './runners/index.js';

/** The outcome of one run of a repository's tests. Failing tests and timeouts are data. */
export interface TestRun {
  /** `ran`: a report was read; `timeout`: killed at the time limit; `error`: no report (a crash). */
  status: 'ran' | 'timeout' | 'error';
  /** Outcome per stable test id: `file > describe > test` (AVA: its own test title, without the file prefix AVA adds when several files run). */
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
  /**
   * Set when a shuffled order was asked for: `shuffled` when every runner shuffled, `fixed` when
   * one could not (see `orderNote`). Scripts run as they are count as fixed.
   */
  order?: 'shuffled' | 'fixed';
  /** Why the order is fixed: `not shuffled: mocha cannot`. */
  orderNote?: string;
}

export interface RunTestsOptions {
  cwd: string;
  timeoutMs: number;
  /** Changed files relative to `cwd`: run only their related tests where the runner can. */
  related?: readonly string[];
  /** The test processes' environment; `testEnvironment()` by default. */
  env?: NodeJS.ProcessEnv;
  /**
   * Run only these test files (entries of a run's `files`, relative to `cwd`), to re-run failing
   * tests: a runner part runs those it owns, a script part runs when its package.json is listed.
   */
  testFiles?: readonly string[];
  /** The Node binary to run the tests with (and first on their PATH); ours by default. */
  node?: string;
  /**
   * Measure coverage: each runner part writes its coverage into its own folder under `dir` (see
   * `partCoverageDir`), as Istanbul JSON (vitest, jest) or raw V8 coverage (`NODE_V8_COVERAGE`:
   * mocha, ava, node:test). `measureCoverage` reads it back.
   */
  coverage?: RunCoverageOptions;
  /** Run the tests in a random order where the runner can (vitest, jest); see `TestRun.order`. */
  shuffle?: boolean;
}

/** Coverage for `runTests`: where it goes, and what to report. */
export interface RunCoverageOptions {
  /** An existing folder; part `i` of the runner writes into `partCoverageDir(dir, i)`. */
  dir: string;
  /** Source files relative to `cwd` to report even when no test loads them. */
  include?: readonly string[];
  /** A vitest coverage provider module per part folder ('' for the root), for parts without one. */
  vitestProviders?: Readonly<Record<string, string>>;
  /** Folders the test processes must see besides `dir` (a provider's temporary copy). */
  folders?: readonly string[];
}

/** The folder part `index` of a runner writes its coverage into. */
export function partCoverageDir(dir: string, index: number): string {
  return join(dir, `part-${index}`);
}

/** Id of the entry that records a non-zero exit with no failing test (an unhandled error, say). */
export const EXIT_CODE_ID = `${RUN_TITLE} > exit code`;

const OUTPUT_TAIL = 4000;
const LAST_WORDS = 3;

/** Whether a test id stands for a test file that did not load, or for the exit code, not a test. */
export function isSyntheticTest(id: string): boolean {
  return (
    id.startsWith(`${RUN_TITLE} > `) ||
    id.includes(` > ${RUN_TITLE} > `) ||
    id === FILE_TITLE ||
    id.endsWith(` > ${FILE_TITLE}`)
  );
}

/** Tests that ran to a pass or a fail, without the synthetic entries. */
export function executedTests(tests: Record<string, TestOutcome>): number {
  return Object.entries(tests).filter(([id, outcome]) => outcome !== 'skip' && !isSyntheticTest(id))
    .length;
}
const LISTED_FAILURES = 20;

/** The Node binary and the runner's script, so that the script's Node options apply. */
function resolveProgram(
  runner: RunnerPart,
  cwd: string,
  node: string,
): Promise<{ command: string; args: string[] }> {
  if (runner.bin === undefined) {
    return Promise.resolve({ command: node, args: runner.nodeArgs });
  }
  return resolveBin(join(cwd, runner.bin), runner.nodeArgs, node);
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
 * Why a baseline of scripts run as they are cannot judge a change, or undefined when it can: when
 * every part is a script and none passed, a change that breaks them looks like one that does not.
 */
export function scriptBaselineProblem(runner: TestRunnerInfo, run: TestRun): string | undefined {
  if (run.status !== 'ran' || run.passed > 0 || runner.parts.some((p) => p.kind !== 'script')) {
    return undefined;
  }
  return `the tests could not run (the script fails before any change, so its exit status cannot judge one): ${run.lastWords}`;
}

/** What one part's run gets: its folder, and what to narrow it to. */
interface PartRun {
  cwd: string;
  /**
   * The repository's folder: writable (and so visible) in the sandbox besides the package's, since
   * a package resolves hoisted dependencies and writes caches there, as `pnpm -r test` lets it.
   */
  root: string;
  deadline: number;
  env: NodeJS.ProcessEnv;
  node: string;
  /** Absolute paths of the changed files the part owns; undefined for a full run. */
  related: string[] | undefined;
  /** Test files relative to the part's folder; undefined for its own selection. */
  testFiles: string[] | undefined;
  /** Coverage of this part: its folder, and `include` relative to the part's folder. */
  coverage: CoverageContext | undefined;
  /** Folders the sandbox must show for coverage: the part's coverage folder and a provider's. */
  coverageFolders: string[];
  shuffle: boolean;
}

/** What every part of a run shares. */
type BaseRun = Pick<PartRun, 'root' | 'deadline' | 'env' | 'node'>;

/** The environment with Node's folder, and the given folders, first on PATH. */
function withPath(
  env: NodeJS.ProcessEnv,
  node: string,
  dirs: readonly string[],
): NodeJS.ProcessEnv {
  const key = Object.keys(env).find((k) => k.toUpperCase() === 'PATH') ?? 'PATH';
  const path = [...dirs, dirname(node), env[key] ?? ''].filter((p) => p !== '').join(delimiter);
  return { ...env, [key]: path };
}

/** The order a part ran in, when a shuffled one was asked for. */
function order(part: TestPart, run: PartRun): Pick<TestRun, 'order' | 'orderNote'> {
  if (!run.shuffle) return {};
  if (part.kind === 'runner' && RUNNERS[part.name].shuffle) return { order: 'shuffled' };
  const who = part.kind === 'runner' ? part.name : `the \`${part.script}\` script`;
  return { order: 'fixed', orderNote: `not shuffled: ${who} cannot` };
}

/** Shuffled when every part shuffled; otherwise fixed, with each part's reason. */
function mergeOrder(runs: readonly TestRun[]): Pick<TestRun, 'order' | 'orderNote'> {
  const notes = [...new Set(runs.flatMap((r) => (r.orderNote === undefined ? [] : [r.orderNote])))];
  if (runs.every((r) => r.order === 'shuffled')) return { order: 'shuffled' };
  return { order: 'fixed', orderNote: notes.join('; ') || 'not shuffled' };
}

async function runRunnerPart(part: RunnerPart, run: PartRun): Promise<TestRun> {
  const plugin = RUNNERS[part.name];
  const related = plugin.supportsRelated ? run.related : undefined;
  if (related?.length === 0) return emptyRun('ran', true, 'no changed file to find tests for');
  const dir = await mkdtemp(join(tmpdir(), 'beast-tests-'));
  try {
    const context: RunContext = {
      cwd: run.cwd,
      dir,
      related,
      testFiles: run.testFiles,
      coverage: run.coverage,
      shuffle: run.shuffle,
    };
    const program = await resolveProgram(part, run.cwd, run.node);
    const invocation = await plugin.invocation(part, context);
    const coverageDir = run.coverage?.dir;
    if (coverageDir !== undefined) await mkdir(coverageDir, { recursive: true });
    // Child processes inherit NODE_V8_COVERAGE: each writes its own file into the folder.
    const v8 =
      coverageDir !== undefined && plugin.coverage === 'node-v8'
        ? { NODE_V8_COVERAGE: coverageDir }
        : {};
    const result = await runProcess(program.command, [...program.args, ...invocation.args], {
      cwd: run.cwd,
      env: { ...run.env, ...part.env, ...v8 },
      timeoutMs: Math.max(1, run.deadline - Date.now()),
      stdoutFile: invocation.stdoutFile,
      writable: [dir, run.root, ...run.coverageFolders],
    });
    const testRun = {
      ...(await toTestRun(plugin, context, invocation, result)),
      ...order(part, run),
    };
    return run.testFiles === undefined ? testRun : { ...testRun, related: true };
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    return emptyRun('error', related !== undefined, error.message);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Id of the one test that stands for a script run as it is. */
function scriptTestId(script: string): string {
  return `package.json > scripts.${script}`;
}

/** `node_modules/.bin` of the part's folder and of each folder above it up to the root. */
function binFolders(root: string, dir: string): string[] {
  const parts = dir === '' ? [] : dir.split('/');
  return parts
    .map((_, i) => parts.slice(0, parts.length - i).join('/'))
    .concat([''])
    .map((d) => join(root, d, 'node_modules', '.bin'));
}

/**
 * Runs a script as it is, with `sh -c` and the package's and the root's `node_modules/.bin` first
 * on PATH, as npm, pnpm, yarn and bun all run a script; not through the package manager itself,
 * which may not be installed (or would be downloaded by corepack), and which reads the user's
 * configuration and writes logs and caches that the sandbox hides. A package manager the script
 * calls in turn that is not installed gets a stand-in (see `writeStandIns`).
 */
/** Runs a package's script text with `sh -c`, `node_modules/.bin` and stand-ins on PATH. */
async function runScriptText(
  step: { dir: string; script: string; command: string },
  run: BaseRun & { cwd: string },
): Promise<ProcessResult> {
  const scratch = await mkdtemp(join(tmpdir(), 'beast-script-'));
  try {
    const withBins = withPath(run.env, run.node, binFolders(run.root, step.dir));
    const standIns = await writeStandIns(scratch, withBins);
    const key = Object.keys(withBins).find((k) => k.toUpperCase() === 'PATH') ?? 'PATH';
    const env = {
      ...withBins,
      ...(standIns === undefined ? {} : { [key]: `${withBins[key] ?? ''}${delimiter}${standIns}` }),
      npm_lifecycle_event: step.script,
    };
    return await runProcess('sh', ['-c', step.command], {
      cwd: join(run.root, step.dir),
      env,
      timeoutMs: Math.max(1, run.deadline - Date.now()),
      writable: [run.root, scratch],
    });
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

async function runScriptPart(part: ScriptPart, run: PartRun): Promise<TestRun> {
  try {
    return { ...scriptRun(part, await runScriptText(part, run)), ...order(part, run) };
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    return emptyRun('error', false, error.message);
  }
}

/**
 * Runs the setup scripts (`pretest`) of the packages that run; the run that stands for the first
 * one that fails or times out (nothing can be tested after it), or undefined when all passed.
 */
async function runSetup(
  steps: readonly SetupStep[],
  run: BaseRun,
  narrowed: boolean,
): Promise<TestRun | undefined> {
  for (const step of steps) {
    const where = step.dir === '' ? '' : ` of ${step.dir}`;
    let result: ProcessResult;
    try {
      result = await runScriptText(step, { ...run, cwd: join(run.root, step.dir) });
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      return emptyRun('error', narrowed, error.message);
    }
    if (result.timedOut) {
      const said = `the \`${step.script}\` script${where} timed out after ${result.durationMs} ms and was killed`;
      return { ...emptyRun('timeout', narrowed, said), durationMs: result.durationMs };
    }
    if (result.exitCode !== 0) {
      const said = `the \`${step.script}\` script${where} failed (${result.exitCode ?? result.signal})`;
      const words = lastWords(result.stdout, result.stderr);
      const text = tail(`${result.stdout}\n${result.stderr}`.trim(), OUTPUT_TAIL);
      return {
        ...emptyRun('error', narrowed, `${said}\n\n${text}`),
        lastWords: words === '' ? said : `${said}: ${words}`,
        durationMs: result.durationMs,
      };
    }
  }
  return undefined;
}

/** A script's run as one test: passed when it exits with 0. */
function scriptRun(part: ScriptPart, result: ProcessResult): TestRun {
  const said = `the \`${part.script}\` script exited (${result.exitCode ?? result.signal})`;
  if (result.timedOut) {
    const timeout = `timed out after ${result.durationMs} ms and was killed`;
    return { ...emptyRun('timeout', false, timeout), durationMs: result.durationMs };
  }
  const id = scriptTestId(part.script);
  const ok = result.exitCode === 0;
  const text = tail(`${result.stdout}\n${result.stderr}`.trim(), OUTPUT_TAIL);
  return {
    status: 'ran',
    tests: { [id]: ok ? 'pass' : 'fail' },
    failed: ok ? 0 : 1,
    passed: ok ? 1 : 0,
    executed: 1,
    durationMs: result.durationMs,
    related: false,
    files: ['package.json'],
    output: [said, ...(ok ? [] : [`✗ ${id}`]), text].join('\n\n'),
    lastWords: lastWords(result.stdout, result.stderr) || said,
  };
}

function partLabel(part: TestPart): string {
  const where = part.dir === '' ? '' : ` (${part.dir})`;
  return part.kind === 'runner' ? `${part.name}${where}` : `\`${part.script}\` script${where}`;
}

/** A part's test ids and files under its package folder: `packages/a/test/x.test.js > t`. */
function underDir(run: TestRun, dir: string): TestRun {
  if (dir === '') return run;
  const files = new Set(run.files);
  const prefixed = (id: string) => {
    const file = id.split(' > ')[0] ?? id;
    return files.has(file) ? `${dir}/${id}` : `${dir} > ${id}`;
  };
  const tests = Object.fromEntries(Object.entries(run.tests).map(([id, o]) => [prefixed(id), o]));
  const covered = run.files.map((f) => `${dir}/${f}`);
  // Ids without a file (AVA's titles) are covered by the package folder itself.
  const bare = Object.keys(run.tests).some((id) => !files.has(id.split(' > ')[0] ?? id));
  return { ...run, tests, files: bare ? [...covered, dir] : covered };
}

const RANK: Record<TestOutcome, number> = { pass: 0, skip: 1, fail: 2 };

/** One run from the parts' runs; a part that did not run fails as a `(run)` entry of its own. */
function mergeRuns(parts: readonly { part: TestPart; run: TestRun }[], related: boolean): TestRun {
  const tests: Record<string, TestOutcome> = {};
  const add = (id: string, outcome: TestOutcome) => {
    const before = tests[id];
    tests[id] = before === undefined || RANK[outcome] > RANK[before] ? outcome : before;
  };
  const output: string[] = [];
  const failing: string[] = [];
  for (const { part, run } of parts) {
    const placed = underDir(run, part.dir);
    for (const [id, outcome] of Object.entries(placed.tests)) add(id, outcome);
    if (run.status !== 'ran') {
      const prefix = part.dir === '' ? '' : `${part.dir} > `;
      add(
        `${prefix}${RUN_TITLE} > ${part.kind === 'runner' ? part.name : part.script} ${run.status}`,
        'fail',
      );
      failing.push(`${partLabel(part)}: ${run.lastWords}`);
    } else if (run.failed > 0) failing.push(`${partLabel(part)}: ${run.lastWords}`);
    output.push(`── ${partLabel(part)} ──\n${run.output}`);
  }
  const runs = parts.map((p) => p.run);
  const ran = runs.some((r) => r.status === 'ran');
  const status: TestRun['status'] = ran
    ? 'ran'
    : runs.some((r) => r.status === 'timeout')
      ? 'timeout'
      : 'error';
  const outcomes = Object.values(tests);
  return {
    status,
    tests: ran ? tests : {},
    failed: outcomes.filter((o) => o === 'fail').length,
    passed: outcomes.filter((o) => o === 'pass').length,
    executed: ran ? executedTests(tests) : 0,
    durationMs: runs.reduce((sum, r) => sum + r.durationMs, 0),
    related,
    files: parts.flatMap(({ part, run }) => underDir(run, part.dir).files).sort(),
    output: output.join('\n\n'),
    lastWords: failing[0] ?? runs.at(-1)?.lastWords ?? '',
  };
}

/** A path relative to a part's folder, or undefined when the part does not own it. */
function ownedBy(part: TestPart, dirs: readonly string[], file: string): string | undefined {
  if (ownerOf(file, dirs) !== part.dir) return undefined;
  return part.dir === '' ? file : file.slice(part.dir.length + 1);
}

/** What each part to run gets: the parts that own a changed or asked-for file, or all of them. */
function selectParts(
  runner: TestRunnerInfo,
  options: RunTestsOptions,
  base: BaseRun,
): { part: TestPart; run: PartRun }[] {
  const dirs = [...new Set(runner.parts.map((p) => p.dir))];
  const selected: { part: TestPart; run: PartRun }[] = [];
  for (const [index, part] of runner.parts.entries()) {
    const cwd = join(options.cwd, part.dir);
    const own = (files: readonly string[] | undefined) =>
      files
        ?.map((f) => ownedBy(part, dirs, f.split('\\').join('/')))
        .filter((f): f is string => f !== undefined);
    const testFiles = own(options.testFiles);
    const related = options.testFiles === undefined ? own(options.related) : undefined;
    const wanted =
      testFiles === undefined ||
      (part.kind === 'script' ? testFiles.includes('package.json') : testFiles.length > 0);
    // One package: its runner decides what no related file means; several: the others' tests.
    const owns = related === undefined || related.length > 0 || dirs.length === 1;
    if (!wanted || !owns) continue;
    selected.push({
      part,
      run: {
        ...base,
        cwd,
        related: related?.map((f) => resolve(cwd, f)),
        testFiles: part.kind === 'script' ? undefined : testFiles,
        shuffle: options.shuffle === true,
        coverage:
          options.coverage === undefined
            ? undefined
            : {
                dir: partCoverageDir(options.coverage.dir, index),
                include: own(options.coverage.include),
                providerModule: options.coverage.vitestProviders?.[part.dir],
              },
        coverageFolders:
          options.coverage === undefined
            ? []
            : // The parent, not the part's folder: vitest and jest empty their report folder
              // first, and a folder bound into the sandbox cannot be removed there (EBUSY).
              [options.coverage.dir, ...(options.coverage.folders ?? [])],
      },
    });
  }
  return selected;
}

/**
 * Runs a repository's tests: each part of `runner` in its package folder, one after the other, each
 * with its runner's machine-readable report (per-test ids, under the package folder: `packages/a/
 * test/x.test.js > title`), or a script run as it is (one test per script: `package.json >
 * scripts.test`, its exit status). With `related`, only the parts whose package owns a changed file
 * run, vitest and jest only the tests related to those files (no related file: nothing runs); the
 * other runners run everything of their package. With `testFiles`, only those files run (a script,
 * when its package.json is listed). The processes see `testEnvironment()` plus the variables the
 * test script sets, with the chosen Node first on PATH, and are killed with their process group
 * when `timeoutMs` (for all parts together) has passed.
 */
export async function runTests(runner: TestRunnerInfo, options: RunTestsOptions): Promise<TestRun> {
  const node = options.node ?? process.execPath;
  const env = withPath(options.env ?? testEnvironment(), node, []);
  const deadline = Date.now() + options.timeoutMs;
  const selected = selectParts(runner, options, { root: options.cwd, deadline, env, node });
  const narrowed = options.related !== undefined || options.testFiles !== undefined;
  if (selected.length === 0) {
    return emptyRun('ran', narrowed, 'no test belongs to the changed files');
  }
  const running = new Set(selected.map((s) => s.part.dir));
  const steps = runner.setup.filter((step) => step.dir === '' || running.has(step.dir));
  const setupFailed = await runSetup(steps, { root: options.cwd, deadline, env, node }, narrowed);
  if (setupFailed !== undefined) return setupFailed;
  const runs: { part: TestPart; run: TestRun }[] = [];
  for (const { part, run } of selected) {
    const result =
      part.kind === 'runner' ? await runRunnerPart(part, run) : await runScriptPart(part, run);
    runs.push({ part, run: result });
  }
  const only = runs[0];
  if (
    runs.length === 1 &&
    only !== undefined &&
    only.part.dir === '' &&
    runner.parts.length === 1
  ) {
    return only.run;
  }
  const skipped = selected.length < runner.parts.length;
  const merged = mergeRuns(runs, narrowed && (skipped || runs.some((r) => r.run.related)));
  return options.shuffle === true ? { ...merged, ...mergeOrder(runs.map((r) => r.run)) } : merged;
}
