import { createLintConfigRunner, memoizedLintConfigRunner } from '../lint-config-runner.js';
import path from 'node:path';
import { orderByValue, readGitInfo, ruleOptionsByFile, scan } from '../../analysis/index.js';
import {
  checkRepositoryRoot,
  InputError,
  resolveConfig,
  readTextInside,
  writeFileAtomic,
  type Finding,
  type ScanReport,
} from '../../core/index.js';
import {
  branchDiff,
  cleanupStaleWorkspaces,
  closeWorkspace,
  createWorkspace,
  git,
  sandboxWarnings,
  type TypeChecker,
  type Workspace,
} from '../../fixes/index.js';
import { rejectedProposalKeys } from '../../store/index.js';
import { createStoreCache } from '../run-scan.js';
import { validateInBatches } from './batches.js';
import { createGate, type Candidate } from './gate.js';
import { createWorkingState } from './state.js';
import type {
  ChangeOutcome,
  ImproveDeps,
  ImproveOptions,
  ImproveReport,
  ImproveStatus,
  QualitySnapshot,
} from './types.js';

import { emitPhase, recordScores, reject, type RunContext } from './context.js';
import { commitRound, record, withhold } from './deliver.js';
import { loadRiskOrder, takeBaseline, type Baseline } from './baseline.js';
import { propose } from './propose.js';
import { afterBasisOf, outcomeLists } from './outcomes.js';
import { taskKind, type TaskKindSpec } from '../tasks/index.js';

// Failures are attributed to clusters of changes and bisected in parallel, so a large batch costs
// little more when it fails than a small one; bench:improve compares sizes.
const DEFAULT_BATCH = 64;

const MAX_ROUNDS = 5;

/** Skipped files named one by one in the warnings, per kind; more are counted. */
const SKIPS_NAMED = 10;

const NOT_OURS = new Set(['vendored', 'bundled', 'minified']);

/**
 * The symlinks, and the vendored, bundled and minified files, that the baseline scan skipped: the
 * run left them alone, and says so with the reason each was recognised by.
 */
function skipWarnings(report: ScanReport): string[] {
  const links = report.skipped.filter((s) => s.reason === 'symlink');
  const named = links
    .slice(0, SKIPS_NAMED)
    .map((s) => `skipped ${s.path}: ${s.detail}; symlinks are never read, analysed or written`);
  const more = links.length - named.length;
  if (more > 0) named.push(`skipped ${more} more symlink(s) the same way`);
  const foreign = report.skipped.filter((s) => NOT_OURS.has(s.reason));
  for (const s of foreign.slice(0, SKIPS_NAMED))
    named.push(`skipped ${s.path}: ${s.reason}: ${s.detail}; never edited`);
  if (foreign.length > SKIPS_NAMED)
    named.push(
      `skipped ${foreign.length - SKIPS_NAMED} more vendored, bundled or minified file(s)`,
    );
  return named;
}

function snapshot(report: ScanReport): QualitySnapshot {
  return { score: report.score.score, grade: report.score.grade, findings: report.findings.length };
}

async function resolveRepository(
  target: string,
): Promise<{ root: string; prefix: string; dirty: boolean }> {
  const absolute = path.resolve(target);
  const info = await readGitInfo(absolute).catch(() => undefined);
  if (!info) {
    throw new InputError(
      `${absolute} is not inside a git repository; beast improve delivers changes as commits on a branch`,
    );
  }
  if (!info.commit)
    throw new InputError(`${info.toplevel} has no commits yet; commit something first`);
  await checkRepositoryRoot(info.toplevel);
  return { root: info.toplevel, prefix: info.prefix, dirty: info.dirty };
}

/** Per-change quick checks: what fails them never costs a test run. */
async function prescreen(ctx: RunContext, candidates: readonly Candidate[]): Promise<Candidate[]> {
  const passed: Candidate[] = [];
  for (const candidate of candidates) {
    ctx.validations.quick++;
    const { verdict, checks } = await ctx.gate.validate([candidate], 'quick');
    candidate.checks = checks;
    if (verdict.ok) passed.push(candidate);
    else reject(ctx, candidate, verdict);
  }
  return passed;
}

/**
 * Takes the test baseline the first time a change has passed the quick checks, on the accepted
 * state. When the tests cannot run after all, the run goes on unvalidated: nothing is delivered
 * unless the user allowed it.
 */
async function ensureTestBaseline(ctx: RunContext): Promise<void> {
  const tests = ctx.tests;
  if (!tests || tests.taken) return;
  emitPhase(ctx, 'baseline', `running the test suite once on the base (${tests.runner})`);
  await ctx.state.write(ctx.round.accepted.map((c) => c.changes));
  const availability = await tests.takeBaseline();
  ctx.timings.testBaselineMs = tests.baselineMs;
  ctx.checks = ctx.checks.map((check) => (check.name === 'tests' ? availability : check));
  if (availability.ran) return;
  ctx.tests = undefined;
  ctx.unvalidated = ctx.options.allowUnvalidated !== true;
}

/** One round: propose on the current code, pre-check each change, validate in batches. */
async function runRound(
  ctx: RunContext,
  findings: readonly Finding[],
  limit: number,
): Promise<{ proposed: number; accepted: Candidate[] }> {
  ctx.state.rebase();
  ctx.round.accepted = [];
  ctx.round.base = (await git(ctx.workspace.dir, ['rev-parse', 'HEAD'])).stdout.trim();
  let started = performance.now();
  const candidates = await propose(ctx, findings, limit);
  ctx.timings.proposeMs += performance.now() - started;
  if (candidates.length === 0) return { proposed: 0, accepted: [] };
  emitPhase(ctx, 'validate', `validating ${candidates.length} proposed change(s)`);
  started = performance.now();
  const screened = await prescreen(ctx, candidates);
  if (screened.length > 0) await ensureTestBaseline(ctx);
  const result = await validateInBatches(screened, {
    batchSize: ctx.options.batchSize ?? DEFAULT_BATCH,
    filesOf: (c) => c.changes.map((ch) => ch.file),
    validate: async (trial) => {
      const { verdict, checks } = await ctx.gate.validate(trial, 'full');
      for (const c of trial) c.checks = checks;
      return verdict;
    },
    accept: (set) => {
      const before = ctx.gate.report;
      ctx.gate.accept();
      recordScores(set, before, ctx.gate.report);
      ctx.round.accepted.push(...set);
      return Promise.resolve();
    },
    reject: (candidate, verdict) => reject(ctx, candidate, verdict),
  });
  ctx.validations.full += result.validations;
  // Leave the disk in the accepted state, whatever was tried last.
  await ctx.state.write(ctx.round.accepted.map((c) => c.changes));
  ctx.timings.validateMs += performance.now() - started;
  return { proposed: candidates.length, accepted: ctx.round.accepted };
}

function touchedScores(before: ScanReport, after: ScanReport, outcomes: readonly ChangeOutcome[]) {
  const files = new Set(
    outcomes.filter((o) => o.status === 'accepted').flatMap((o) => o.changes.map((c) => c.file)),
  );
  const was = new Map(before.files.map((f) => [f.path, f.score.score]));
  const is = new Map(after.files.map((f) => [f.path, f.score.score]));
  return [...files].sort().map((file) => ({
    path: file,
    before: was.get(file) ?? 0,
    after: is.get(file) ?? 0,
  }));
}

/** Runs the final full test suite when batches only ran related tests; false when it failed. */
async function finalSuite(ctx: RunContext, accepted: number): Promise<boolean> {
  if (!ctx.tests || !ctx.tests.gate.related || accepted === 0) return true;
  emitPhase(ctx, 'validate', 'running the full test suite on the result');
  ctx.validations.full++;
  const result = await ctx.tests.gate.check([], 'full');
  if (result.ok) return true;
  for (const outcome of ctx.outcomes) {
    if (outcome.status !== 'accepted') continue;
    outcome.status = 'rejected';
    outcome.gate = 'tests';
    outcome.reason = `the full test suite failed on the result: ${result.detail}`;
    delete outcome.commit;
  }
  return false;
}

function statusOf(
  ctx: RunContext,
  flags: { unvalidated: boolean; finalOk: boolean },
): ImproveStatus {
  if (!flags.finalOk) return 'failed';
  if (flags.unvalidated && ctx.outcomes.some((o) => o.status === 'withheld')) return 'unvalidated';
  if (!ctx.outcomes.some((o) => o.status === 'accepted')) return 'nothing-to-do';
  return ctx.options.dryRun ? 'dry-run' : 'delivered';
}

/** Adds the outcomes decided since the last call to the selection stats, so a run learns too. */
function learn(ctx: RunContext): void {
  const stats = ctx.deps.selection?.stats;
  for (const outcome of ctx.outcomes.slice(ctx.counted)) {
    if (stats && outcome.status !== 'withheld') {
      const at = { kind: ctx.kind.kind, ruleId: outcome.finding.ruleId };
      stats.add(outcome.model, at, 1, outcome.status === 'accepted' ? 1 : 0);
    }
  }
  ctx.counted = ctx.outcomes.length;
}

/** Rounds of propose and validate until nothing new is proposed or `maxChanges` is reached. */
async function runRounds(
  ctx: RunContext,
  defectRisk: ReadonlyMap<string, number> | undefined,
): Promise<number> {
  const maxChanges = ctx.options.maxChanges ?? Number.POSITIVE_INFINITY;
  const only = ctx.options.rules ? new Set(ctx.options.rules) : undefined;
  const files = ctx.options.files ? new Set(ctx.options.files) : undefined;
  const models = ctx.deps.models.map((m) => m.id).join(', ');
  let accepted = 0;
  for (let round = 1; round <= MAX_ROUNDS && accepted < maxChanges; round++) {
    emitPhase(ctx, 'propose', `round ${round}: asking ${models}`);
    const includeTests = ctx.options.includeTests ?? ctx.options.files !== undefined;
    const report = ctx.gate.report;
    const findings = ctx.kind.findWork({
      report,
      findings: orderByValue(report, defectRisk, { includeTests }).filter(
        (f) => (!only || only.has(f.ruleId)) && (!files || files.has(f.file)),
      ),
      options: ctx.options,
    });
    const result = await runRound(ctx, findings, maxChanges - accepted);
    learn(ctx);
    if (result.proposed === 0 && ctx.repairs.size === 0) break;
    if (ctx.unvalidated) {
      withhold(ctx, result.accepted);
      break;
    }
    const deliverStarted = performance.now();
    await commitRound(ctx, result.accepted);
    ctx.timings.deliverMs += performance.now() - deliverStarted;
    accepted += result.accepted.length;
  }
  return accepted;
}

interface ContextInput {
  kind: TaskKindSpec;
  ruleOptions: RunContext['ruleOptions'];
  deps: ImproveDeps;
  options: ImproveOptions;
  workspace: Workspace;
  root: string;
  prefix: string;
  userRoot: string;
  baseline: Baseline;
  scanWorktree: () => Promise<ScanReport>;
}

async function createContext(input: ContextInput): Promise<RunContext> {
  const { kind, deps, options, workspace, root, baseline, scanWorktree } = input;
  const state = createWorkingState(root);
  const round = { accepted: [] as Candidate[], base: workspace.base };
  const holder: { ctx?: RunContext } = {};
  const gate = createGate(
    {
      root,
      scan: scanWorktree,
      write: (trial) => state.write([...round.accepted, ...trial].map((c) => c.changes)),
      contentBefore: (file) => state.base(file),
      readFile: (file) => readTextInside(root, file),
      typecheck: baseline.checker,
      lint: baseline.lint,
      // Read at every check: the tests drop out when their lazily taken baseline cannot run.
      get tests() {
        return holder.ctx?.tests?.gate;
      },
      taskFor: (finding) => kind.task(finding),
      ruleOptions: input.ruleOptions,
    },
    {
      report: baseline.report,
      diagnostics: baseline.diagnostics,
    },
    kind.checks,
  );
  const ctx: RunContext = {
    kind,
    deps,
    options,
    workspace,
    root,
    prefix: input.prefix,
    state,
    gate,
    tests: baseline.tests,
    outcomes: [],
    rejected: deps.store ? await rejectedProposalKeys(deps.store, input.userRoot) : new Set(),
    validations: { full: 0, quick: 0 },
    timings: { proposeMs: 0, validateMs: 0, deliverMs: 0, testBaselineMs: 0 },
    unvalidated: !baseline.tests && options.allowUnvalidated !== true,
    nextId: 1,
    repairs: new Map(),
    llmStopped: undefined,
    warnings: [...(deps.warnings ?? [])],
    counted: 0,
    ruleOptions: input.ruleOptions,
    round,
    checks: baseline.checks,
    formatter: baseline.formatter,
  };
  holder.ctx = ctx;
  return ctx;
}

/**
 * Improves a repository: scans it in a worktree on a new branch, asks the models for changes,
 * validates every change against a baseline taken on HEAD, commits the accepted ones to the branch
 * and measures quality before and after. The user's working tree is never touched.
 */
export async function runImprove(
  target: string,
  deps: ImproveDeps,
  options: ImproveOptions = {},
): Promise<ImproveReport> {
  const started = performance.now();
  const kind = taskKind(options.kind ?? 'fix');
  const { root: repoRoot, prefix, dirty } = await resolveRepository(target);
  const userRoot = path.resolve(target);
  const cleanedUp = await cleanupStaleWorkspaces(repoRoot, deps.stateDir);
  const workspace = await createWorkspace(repoRoot, {
    stateDir: deps.stateDir,
    branchPrefix: kind.delivery.branchPrefix,
    ...(options.branch !== undefined ? { branch: options.branch } : {}),
  });
  let keepBranch = false;
  let checker: TypeChecker | undefined;
  try {
    const root = path.join(workspace.dir, prefix);
    const cache = deps.store ? createStoreCache(deps.store) : undefined;
    const lintConfig = { runScript: memoizedLintConfigRunner(createLintConfigRunner()) };
    const scanWorktree = (): Promise<ScanReport> => scan(root, { cache, lintConfig });
    emitPhase({ deps }, 'baseline', 'scanning and taking the baseline on HEAD');
    const baselineStarted = performance.now();
    const baseline = await takeBaseline(root, scanWorktree, options);
    checker = baseline.checker;
    const order = await loadRiskOrder(deps.store, userRoot);
    const baselineMs = performance.now() - baselineStarted;
    // As the scan reads them, so that a fix is computed for the finding the scan reported.
    const ruleOptions = ruleOptionsByFile((await resolveConfig(root, {})).config);
    const ctx = await createContext({
      kind,
      ruleOptions,
      deps,
      options,
      workspace,
      root,
      prefix,
      userRoot,
      baseline,
      scanWorktree,
    });
    const accepted = await runRounds(ctx, order.risk);
    const finalOk = await finalSuite(ctx, accepted);
    const status = statusOf(ctx, { unvalidated: ctx.unvalidated, finalOk });
    keepBranch = status === 'delivered';
    const report = await finish(ctx, {
      status,
      baseline,
      dirty,
      cleanedUp,
      ordering: order.ordering,
      timings: { started, baselineMs },
    });
    if (deps.store) await record(deps.store, userRoot, report);
    return report;
  } finally {
    checker?.dispose();
    await closeWorkspace(workspace, { keepBranch });
  }
}

/** Writes the diff for `--dry-run` and `--patch` into the report. */
async function attachDiff(ctx: RunContext, report: ImproveReport): Promise<void> {
  const { workspace, options } = ctx;
  if (!options.dryRun && !options.patchFile) return;
  if (report.status === 'failed' || report.head === workspace.base) return;
  const diff = await branchDiff(workspace);
  if (options.dryRun) report.diff = diff;
  if (options.patchFile) {
    await writeFileAtomic(options.patchFile, diff);
    report.patchFile = options.patchFile;
  }
}

async function finish(
  ctx: RunContext,
  input: {
    status: ImproveStatus;
    baseline: Baseline;
    dirty: boolean;
    cleanedUp: string[];
    ordering: string;
    timings: { started: number; baselineMs: number };
  },
): Promise<ImproveReport> {
  const { workspace, options } = ctx;
  const before = input.baseline.report;
  const basis = afterBasisOf(input.status);
  // The gate's report includes withheld changes; only what was delivered may move the score.
  const after = basis === 'nothing-delivered' ? before : ctx.gate.report;
  const changes = [...ctx.outcomes].sort((a, b) => a.id - b.id);
  const head = (await git(workspace.dir, ['rev-parse', 'HEAD'])).stdout.trim();
  const report: ImproveReport = {
    repository: path.resolve(ctx.workspace.repoRoot, ctx.prefix),
    kind: ctx.kind.kind,
    status: input.status,
    branch: workspace.branch,
    base: workspace.base,
    head,
    dryRun: options.dryRun === true,
    dirty: input.dirty,
    before: snapshot(before),
    after: snapshot(after),
    afterBasis: basis,
    files: basis === 'nothing-delivered' ? [] : touchedScores(before, after, ctx.outcomes),
    findingsFixed:
      basis === 'nothing-delivered' ? 0 : changes.filter((o) => o.status === 'accepted').length,
    changes,
    outcomes: outcomeLists(changes),
    checks: ctx.checks,
    formatter: input.baseline.formatterDetail,
    ordering: input.ordering,
    flakyTests: ctx.tests?.flaky ?? [],
    validations: ctx.validations,
    timings: { totalMs: 0, baselineMs: input.timings.baselineMs, ...ctx.timings },
    cleanedUp: input.cleanedUp,
    warnings: [
      ...(input.dirty
        ? [
            input.status === 'delivered'
              ? 'the working tree has uncommitted changes; they were left alone and are not in the branch'
              : 'the working tree has uncommitted changes; they were left alone',
          ]
        : []),
      ...skipWarnings(before),
      ...input.baseline.nodeNotes,
      ...ctx.warnings,
      ...sandboxWarnings(),
    ],
    spend: {
      costUsd: ctx.outcomes.reduce((sum, o) => sum + (o.costUsd ?? 0), 0),
      unknownCost: ctx.outcomes.filter((o) => o.costUsd === undefined).length,
    },
  };
  await attachDiff(ctx, report);
  // Only a delivered run keeps its branch; the others report none.
  if (input.status !== 'delivered') {
    report.branch = undefined;
    report.head = undefined;
  }
  report.timings.totalMs = performance.now() - input.timings.started;
  return report;
}
