import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import {
  createFileClassifier,
  discoverFiles,
  loadTestPatterns,
  readGitInfo,
} from '../../analysis/index.js';
import {
  applyEdits,
  checkRepositoryRoot,
  InputError,
  readTextInside,
  resolveConfig,
  type Config,
} from '../../core/index.js';
import {
  baselineProblem,
  cleanupStaleWorkspaces,
  closeWorkspace,
  createWorkspace,
  detectTestRunner,
  detectTestStyle,
  findRepositoryNode,
  git,
  measureCoverage,
  runTests,
  sandboxWarnings,
  testPathFor,
  loadFormatter,
  type CoverageRun,
  type Formatter,
  type CoverageTotals,
  type TestRun,
  type TestRunnerInfo,
  type TestStyle,
  type Workspace,
} from '../../fixes/index.js';
import type { Model, RepairRequest, TestGenModel, TestTask } from '../../models/index.js';
import { defaultStorePath, type Store } from '../../store/index.js';
import { parseAuthor } from '../deliver/index.js';
import { setupModels } from '../models.js';
import { commitKept, recordRun } from './deliver.js';
import { gateTests } from './gate.js';
import { chooseTargets, freeTestPath, isConfigFile, type Target } from './targets.js';
import {
  FUNNEL_STAGES,
  type CandidateTest,
  type Funnel,
  type TestGateContext,
  type TestGenOptions,
  type TestGenReport,
  type TestVerdict,
} from './types.js';

/** What a model may read while proposing (the models' `ModelContext`). */
type ModelContext = Parameters<Model['propose']>[1];

/** Environment variables: the config's overrides and the API keys its models name. */
type Env = Readonly<Record<string, string | undefined>>;

/** Who runs `beast tests` and what it shares with them; all optional. */
export interface TestGenDeps {
  /** For config overrides and the LLMs' keys; `process.env` when absent. */
  env?: Env;
  /** Where worktrees and their locks live: beside the store's file by default. */
  stateDir?: string;
  /** Records the run (and the LLM calls in the ledger); nothing is recorded without it. */
  store?: Store;
  /** Names the run's calls in the ledger. */
  runId?: string;
  /** Progress lines for a person. */
  onProgress?: (line: string) => void;
  signal?: AbortSignal;
  /** Models already built, in order (instead of `options.models` and config). */
  models?: Model[];
  fetch?: typeof globalThis.fetch;
}

/** The most characters of an existing test shown to a model as an example. */
const EXAMPLE_CHARS = 8_000;

/** What `beast tests` does when not told otherwise. */
export const TEST_GEN_DEFAULTS: Omit<TestGenOptions, 'branch'> = {
  paths: [],
  target: 0.8,
  models: [],
  maxFiles: 5,
  attempts: 3,
  dryRun: false,
  timeoutMs: 5 * 60_000,
};

/** Pure: the options with defaults filled in, checked (see `checkTestGenOptions`). */
export function resolveTestGenOptions(input: Partial<TestGenOptions>): TestGenOptions {
  const defined = Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined));
  const options = { ...TEST_GEN_DEFAULTS, ...defined } as TestGenOptions;
  checkTestGenOptions(options);
  return options;
}

/** Checks the options once, with a one-line error naming the option. */
export function checkTestGenOptions(options: TestGenOptions): void {
  const { target, maxFiles, attempts, timeoutMs } = options;
  if (!Number.isFinite(target) || target < 0 || target > 1) {
    throw new InputError(`--target: expected a line coverage between 0 and 1, got ${target}`);
  }
  if (!Number.isInteger(maxFiles) || maxFiles < 1) {
    throw new InputError(`--max-files: expected a whole number of at least 1, got ${maxFiles}`);
  }
  if (!Number.isInteger(attempts) || attempts < 1) {
    throw new InputError(`--attempts: expected a whole number of at least 1, got ${attempts}`);
  }
  if (!Number.isInteger(timeoutMs) || timeoutMs < 1) {
    throw new InputError(`--timeout: expected a whole number of milliseconds, got ${timeoutMs}`);
  }
}

function zero(): CoverageTotals {
  const c = () => ({ covered: 0, total: 0 });
  return { statements: c(), branches: c(), functions: c(), lines: c() };
}

function emptyFunnel(): Funnel {
  return Object.fromEntries(FUNNEL_STAGES.map((s) => [s, 0])) as Funnel;
}

function addFunnel(into: Funnel, more: Funnel): void {
  for (const stage of FUNNEL_STAGES) into[stage] += more[stage];
}

async function resolveRepository(target: string) {
  const absolute = path.resolve(target);
  const info = await readGitInfo(absolute).catch(() => undefined);
  if (!info) {
    throw new InputError(
      `${absolute} is not inside a git repository; beast tests delivers tests as commits on a branch`,
    );
  }
  if (!info.commit)
    throw new InputError(`${info.toplevel} has no commits yet; commit something first`);
  await checkRepositoryRoot(info.toplevel);
  return { repoRoot: info.toplevel, prefix: info.prefix, dirty: info.dirty };
}

/** The repository's source files (tests, fixtures, declarations and config files left out). */
async function listSources(root: string, config: Config, packageDir: string): Promise<string[]> {
  const discovery = await discoverFiles(root, {
    include: config.include,
    exclude: config.exclude,
    maxFileSizeKb: config.maxFileSizeKb,
    isGit: true,
    includeVendored: false,
  });
  const kindOf = createFileClassifier(await loadTestPatterns(root));
  const under = packageDir === '' ? '' : `${packageDir}/`;
  return discovery.files.filter(
    (f) => f.startsWith(under) && kindOf(f) === 'source' && !isConfigFile(f),
  );
}

/** Whether generated TypeScript tests can be type-checked: a tsconfig.json and TypeScript. */
function canTypecheck(root: string, packageDir: string): boolean {
  const dir = path.join(root, packageDir);
  if (!existsSync(path.join(dir, 'tsconfig.json'))) return false;
  try {
    createRequire(path.join(dir, 'package.json')).resolve('typescript');
    return true;
  } catch {
    return false;
  }
}

/** One line per failing baseline test, or why the suite could not run. */
function redSuite(run: TestRun): string | undefined {
  const problem = baselineProblem(run, run);
  if (problem) return problem;
  if (run.failed === 0) return undefined;
  const failing = Object.entries(run.tests)
    .filter(([, outcome]) => outcome === 'fail')
    .map(([id]) => id)
    .slice(0, 3);
  return `the test suite fails on HEAD (${run.failed} failing: ${failing.join('; ')}); generated tests are gated against a passing suite`;
}

interface RunState {
  root: string;
  options: TestGenOptions;
  deps: TestGenDeps;
  models: Model[];
  style: TestStyle;
  gate: TestGateContext;
  example: { file: string; content: string } | undefined;
  verdicts: TestVerdict[];
  skipped: Set<string>;
  warnings: string[];
  /** Test files taken by this run (kept ones), besides those on disk. */
  taken: Set<string>;
  /** The repository's formatter: generated tests are formatted as its code is. */
  formatter: Formatter | undefined;
}

/** A candidate's text as the repository's formatter writes it; as it is when that fails. */
async function formatted(state: RunState, file: string, text: string): Promise<string> {
  if (!state.formatter) return text;
  try {
    return await state.formatter.format(file, '', text);
  } catch (error) {
    state.warnings.push(
      `${file}: not formatted (${error instanceof Error ? error.message.split('\n')[0] : String(error)})`,
    );
    return text;
  }
}

function progress(state: { deps: TestGenDeps }, line: string): void {
  state.deps.onProgress?.(line);
}

/** The new test file a proposal writes, as a candidate; undefined when it writes none. */
function toCandidate(
  state: RunState,
  proposal: { changes: { file: string; edits: { start: number; end: number; text: string }[] }[] },
  task: TestTask,
  model: Model,
  attempt: number,
): CandidateTest | undefined {
  // A new file inside the repository: a proposal never overwrites a file or writes outside.
  const inside = (file: string) => {
    const normal = path.posix.normalize(file);
    return !normal.startsWith('../') && !path.posix.isAbsolute(normal) && normal === file;
  };
  const change =
    proposal.changes.find((c) => c.file === task.testFile) ??
    proposal.changes.find((c) => inside(c.file) && !existsSync(path.join(state.root, c.file)));
  if (!change) return undefined;
  return {
    file: change.file,
    content: applyEdits('', change.edits),
    target: task.file,
    model: model.id,
    attempt,
  };
}

/** Removes a candidate's file if the gate left it: the next target is gated on the base alone. */
async function removeCandidate(root: string, file: string): Promise<void> {
  const tracked = await git(root, ['ls-files', '--error-unmatch', '--', file]);
  if (tracked.code !== 0) await rm(path.join(root, file), { force: true });
}

function repairOf(candidate: CandidateTest, verdict: TestVerdict, task: TestTask): RepairRequest {
  const still = verdict.after?.uncoveredLines ?? task.uncoveredLines;
  const errors = [
    `rejected at stage "${verdict.stage}": ${verdict.reason ?? 'no reason given'}`,
    still.length > 0 ? `lines of ${task.file} still uncovered: ${still.join(', ')}` : '',
  ].filter(Boolean);
  return { attempt: verdict.attempt, previous: candidate.content, errors: errors.join('\n') };
}

function isTestGenModel(model: Model): model is TestGenModel {
  return 'proposeTests' in model && typeof model.proposeTests === 'function';
}

async function propose(
  state: RunState,
  model: Model,
  task: TestTask,
  context: ModelContext,
): Promise<Awaited<ReturnType<Model['propose']>>> {
  try {
    if (isTestGenModel(model)) {
      // The offline engine says why it offers nothing (the module did not load, nothing to pin).
      const result = await model.proposeTests(task, context);
      if (result.reason !== undefined) {
        state.warnings.push(`${model.id} on ${task.file}: ${result.reason}`);
      }
      return result.proposals;
    }
    return await model.propose(task, context);
  } catch (error) {
    if (state.deps.signal?.aborted) throw error;
    const message = error instanceof Error ? error.message : String(error);
    state.warnings.push(`${model.id} failed on ${task.file}: ${message}`);
    return [];
  }
}

/**
 * Asks the models in order for a test of `target` until one's file is kept; a model that can
 * repair (an LLM) gets the gate's errors and the lines still uncovered, up to `attempts` times.
 */
async function testTarget(state: RunState, target: Target): Promise<TestVerdict | undefined> {
  const { style, root } = state;
  const testFile = freeTestPath(
    testPathFor(style, target.file),
    style,
    (f) => state.taken.has(f) || existsSync(path.join(root, f)),
  );
  const task: TestTask = {
    kind: 'test',
    file: target.file,
    uncoveredLines: target.coverage?.uncoveredLines ?? [],
    style,
    testFile,
    ...(state.example ? { example: state.example } : {}),
  };
  const context: ModelContext = {
    root,
    readFile: (file) => readTextInside(root, file),
    ...(state.deps.signal ? { signal: state.deps.signal } : {}),
  };
  for (const model of state.models) {
    if (!model.supports(task)) continue;
    const tries = model.builtin ? 1 : state.options.attempts;
    let repair: RepairRequest | undefined;
    for (let attempt = 1; attempt <= tries; attempt++) {
      progress(
        state,
        `${target.file}: asking ${model.id}${attempt > 1 ? ` (repair ${attempt - 1})` : ''}`,
      );
      const proposals = await propose(state, model, repair ? { ...task, repair } : task, context);
      const first = proposals[0];
      const candidate = first ? toCandidate(state, first, task, model, attempt) : undefined;
      if (!candidate) break;
      candidate.content = await formatted(state, candidate.file, candidate.content);
      const result = await gateTests(state.gate, [candidate]);
      await removeCandidate(root, candidate.file);
      for (const s of result.skipped) state.skipped.add(s);
      state.verdicts.push(...result.verdicts);
      const verdict = result.verdicts[0];
      if (!verdict) break;
      progress(
        state,
        `${target.file}: ${verdict.kept ? 'kept' : `rejected at ${verdict.stage}`} ${candidate.file} (${model.id})`,
      );
      if (verdict.kept && verdict.content !== undefined) return verdict;
      repair = repairOf(candidate, verdict, task);
    }
  }
  return undefined;
}

interface Prepared {
  runner: TestRunnerInfo;
  style: TestStyle;
  node: string;
  sources: string[];
  baselineRun: TestRun;
  coverage: CoverageRun;
  /** `--scope related`: the source files whose related tests stand for the suite. */
  related: string[] | undefined;
}

/** The named paths' source files, for `--scope related`; or why that scope cannot be used. */
function relatedScope(
  options: TestGenOptions,
  runner: TestRunnerInfo,
  sources: readonly string[],
): { related: string[] | undefined } | { reason: string } {
  if (options.scope !== 'related') return { related: undefined };
  if (!runner.supportsRelated) {
    return {
      reason: `--scope related: ${runner.describe} cannot run only the tests related to a file (vitest and jest can)`,
    };
  }
  const under = (file: string, p: string) =>
    file === p || file.startsWith(`${p.replace(/\/$/, '')}/`);
  const related = sources.filter((file) => options.paths.some((p) => under(file, p)));
  if (related.length === 0) {
    return { reason: '--scope related needs the source files or folders to test' };
  }
  return { related };
}

/** Runner, style, Node, the baseline suite and its coverage; or why tests cannot be generated. */
async function prepare(
  root: string,
  config: Config,
  options: TestGenOptions,
  deps: TestGenDeps,
): Promise<Prepared | { reason: string; runner?: string; coverageHow?: string }> {
  progress({ deps }, 'detecting the test runner and how the tests are written');
  const detected = await detectTestRunner(root);
  if (!('runner' in detected)) return { reason: `no test runner: ${detected.reason}` };
  const { runner } = detected;
  const found = await findRepositoryNode(root, {});
  if (!('node' in found)) return { reason: found.reason, runner: runner.describe };
  const style = await detectTestStyle(root, runner);
  if (!style) {
    return {
      reason: `no test runner we can write for: ${runner.describe} (vitest, jest, mocha, ava and node:test are)`,
      runner: runner.describe,
    };
  }
  const node = found.node.path;
  const sources = await listSources(root, config, style.packageDir);
  const scope = relatedScope(options, runner, sources);
  if ('reason' in scope) return { reason: scope.reason, runner: runner.describe };
  const { related } = scope;
  const base = { cwd: root, timeoutMs: options.timeoutMs, node, ...(related ? { related } : {}) };
  const which = related ? `the tests related to ${related.length} file(s)` : 'the test suite';
  progress({ deps }, `running ${which} on HEAD (${runner.describe})`);
  const baselineRun = await runTests(runner, base);
  // A repository without tests is where generation starts: a clean run of no test is 0% covered.
  const empty =
    baselineRun.status === 'ran' && baselineRun.executed === 0 && baselineRun.failed === 0;
  const red = empty ? undefined : redSuite(baselineRun);
  if (red) return { reason: red, runner: runner.describe };
  progress({ deps }, `measuring coverage of ${sources.length} source file(s)`);
  const coverage = await measureCoverage(runner, {
    ...base,
    include: sources,
    ...(empty ? { emptySuite: 'zero' as const } : {}),
  });
  if (coverage.status !== 'measured') {
    return {
      reason: `coverage could not be measured: ${coverage.how}`,
      runner: runner.describe,
      coverageHow: coverage.how,
    };
  }
  return { runner, style, node, sources, baselineRun, coverage, related };
}

async function readExample(root: string, style: TestStyle) {
  if (style.example === undefined) return undefined;
  const content = await readTextInside(root, style.example).catch(() => undefined);
  return content === undefined
    ? undefined
    : { file: style.example, content: content.slice(0, EXAMPLE_CHARS) };
}

function baseReport(input: {
  repository: string;
  workspace: Workspace;
  runner: string;
  coverageHow: string;
  before: CoverageTotals;
}): TestGenReport {
  return {
    repository: input.repository,
    status: 'not-run',
    base: input.workspace.base,
    branch: undefined,
    head: undefined,
    runner: input.runner,
    coverageHow: input.coverageHow,
    before: input.before,
    after: input.before,
    files: [],
    funnel: emptyFunnel(),
    verdicts: [],
    skipped: [],
    warnings: [],
    durationMs: 0,
  };
}

/** Generates, gates and delivers in the worktree at `root`. */
async function runInWorktree(input: {
  root: string;
  repository: string;
  workspace: Workspace;
  config: Config;
  models: Model[];
  options: TestGenOptions;
  deps: TestGenDeps;
}): Promise<TestGenReport> {
  const { root, workspace, config, options, deps } = input;
  const prepared = await prepare(root, config, options, deps);
  if ('reason' in prepared) {
    const report = baseReport({
      repository: input.repository,
      workspace,
      runner: prepared.runner ?? 'none',
      coverageHow: prepared.coverageHow ?? 'not measured',
      before: zero(),
    });
    report.reason = prepared.reason;
    return report;
  }
  const { runner, style, coverage } = prepared;
  const report = baseReport({
    repository: input.repository,
    workspace,
    runner: runner.describe,
    coverageHow: coverage.how,
    before: coverage.totals,
  });
  const choice = chooseTargets({
    sources: prepared.sources,
    paths: options.paths,
    coverage,
    target: options.target,
    maxFiles: options.maxFiles,
  });
  report.warnings.push(...choice.skipped);
  const state: RunState = {
    root,
    options,
    deps,
    models: input.models,
    style,
    gate: {
      root,
      info: runner,
      style,
      baselineRun: prepared.baselineRun,
      baselineCoverage: coverage,
      timeoutMs: options.timeoutMs,
      node: prepared.node,
      typecheck: canTypecheck(root, style.packageDir),
      ...(prepared.related ? { related: prepared.related } : {}),
      ...(deps.signal ? { signal: deps.signal } : {}),
      ...(deps.onProgress ? { onProgress: deps.onProgress } : {}),
    },
    example: await readExample(root, style),
    verdicts: [],
    skipped: new Set(
      prepared.related
        ? [
            `whole suite: --scope related ran only the tests related to ${prepared.related.length} target file(s); a generated test breaking an unrelated test through shared state would go unnoticed`,
          ]
        : [],
    ),
    warnings: [],
    taken: new Set(),
    formatter: undefined,
  };
  const format = await loadFormatter(root);
  if ('formatter' in format) state.formatter = format.formatter;
  else state.skipped.add(`formatting: generated tests are left as written: ${format.reason}`);
  if (choice.targets.length === 0) {
    report.status = 'nothing-kept';
    report.warnings.push(
      `no source file under the line-coverage target of ${(options.target * 100).toFixed(0)}%`,
    );
    return report;
  }
  const kept: TestVerdict[] = [];
  for (const target of choice.targets) {
    const verdict = await testTarget(state, target);
    if (verdict) {
      kept.push(verdict);
      state.taken.add(verdict.file);
    }
  }
  if (state.verdicts.length === 0) {
    const asked = input.models.map((m) => m.id).join(', ') || 'none';
    state.warnings.push(
      `no model proposed a test for the ${choice.targets.length} target file(s) (asked: ${asked})`,
    );
  }
  report.verdicts = state.verdicts;
  for (const v of state.verdicts) addFunnel(report.funnel, v.funnel);
  report.skipped = [...state.skipped];
  report.warnings.push(...state.warnings);
  const delivered = await commitKept({
    root,
    workspace,
    prefix: path.relative(workspace.dir, root).split(path.sep).join('/'),
    runner,
    node: prepared.node,
    sources: prepared.sources,
    kept,
    proposed: state.verdicts.length,
    timeoutMs: options.timeoutMs,
    ...(prepared.related ? { related: prepared.related } : {}),
    skipped: report.skipped,
    ...(config.delivery.author ? { author: parseAuthor(config.delivery.author) } : {}),
    onProgress: (line) => progress(state, line),
    // Pruned cases leave gaps; the kept file is formatted once more as the repository formats.
    format: (file, text) => formatted(state, file, text),
  });
  if ('reason' in delivered) {
    if (delivered.reason !== undefined) report.warnings.push(delivered.reason);
    report.funnel.kept = 0;
    for (const v of report.verdicts) v.kept = false;
  }
  report.files = choice.targets.map((t) => ({
    file: t.file,
    before: t.coverage,
    after: 'coverage' in delivered ? delivered.coverage.files[t.file] : t.coverage,
  }));
  if (!('coverage' in delivered)) {
    report.status = 'nothing-kept';
    return report;
  }
  report.after = delivered.coverage.totals;
  report.head = delivered.head;
  report.branch = workspace.branch;
  report.status = options.dryRun ? 'dry-run' : 'delivered';
  return report;
}

/**
 * `beast tests`: in a worktree on a new branch, measure coverage with the repository's runner,
 * pick the least-covered files (or the given ones), ask the models for tests (`test` tasks, with
 * repairs from the gate's errors for models that can), gate them, and commit the kept ones with
 * their evidence. The user's working tree is never touched.
 */
export async function generateRepositoryTests(
  root: string,
  options: TestGenOptions,
  deps: TestGenDeps = {},
): Promise<TestGenReport> {
  checkTestGenOptions(options);
  const started = performance.now();
  const startedAt = new Date().toISOString();
  const env = deps.env ?? process.env;
  const userRoot = path.resolve(root);
  const { repoRoot, prefix, dirty } = await resolveRepository(userRoot);
  const { config } = await resolveConfig(userRoot, env);
  const stateDir = deps.stateDir ?? path.dirname(defaultStorePath(env));
  const setup = deps.models
    ? { models: deps.models, warnings: [] as string[], close: () => Promise.resolve() }
    : await setupModels({
        config: config.models,
        env,
        kind: 'test',
        runId: deps.runId ?? `tests-${startedAt}-${randomUUID().slice(0, 8)}`,
        ...(deps.store ? { store: deps.store } : {}),
        ...(options.models.length > 0 ? { override: options.models } : {}),
        ...(deps.fetch ? { fetch: deps.fetch } : {}),
      });
  try {
    await cleanupStaleWorkspaces(repoRoot, stateDir);
    const workspace = await createWorkspace(repoRoot, {
      stateDir,
      branchPrefix: 'tests',
      ...(options.branch !== undefined ? { branch: options.branch } : {}),
    });
    let keepBranch = false;
    let report: TestGenReport;
    try {
      report = await runInWorktree({
        root: path.join(workspace.dir, prefix),
        repository: userRoot,
        workspace,
        config,
        models: setup.models,
        options,
        deps,
      });
      keepBranch = report.status === 'delivered';
    } finally {
      await closeWorkspace(workspace, { keepBranch });
    }
    if (report.status !== 'delivered') {
      report.branch = undefined;
      report.head = undefined;
    }
    report.warnings.unshift(...setup.warnings);
    if (dirty) {
      report.warnings.unshift(
        'the working tree has uncommitted changes; they were left alone and are not in the branch',
      );
    }
    report.warnings.push(...sandboxWarnings());
    report.durationMs = performance.now() - started;
    if (deps.store) await recordRun(deps.store, userRoot, startedAt, report);
    return report;
  } finally {
    await setup.close();
  }
}
