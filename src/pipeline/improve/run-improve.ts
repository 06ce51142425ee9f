import { readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { readGitInfo, scan } from '../../analysis/index.js';
import { InputError, type FileReport, type Finding, type ScanReport } from '../../core/index.js';
import {
  branchDiff,
  cleanupStaleWorkspaces,
  closeWorkspace,
  commitFiles,
  createTypeChecker,
  createWorkspace,
  applyEdits,
  git,
  loadFormatter,
  minimalEdit,
  type FileChange,
  type Formatter,
  type TypeChecker,
  type Workspace,
} from '../../fixes/index.js';
import type { Model } from '../../models/index.js';
import {
  proposalKey,
  recordImproveRun,
  rejectedProposalKeys,
  type ProposalRecord,
  type Store,
} from '../../store/index.js';
import { createStoreCache } from '../run-scan.js';
import { validateInBatches, type Verdict } from './batches.js';
import { createGate, type Candidate, type Gate, type LintGate } from './gate.js';
import { offsetOf } from './locations.js';
import { orderByValue } from './plan.js';
import { createWorkingState, sha256, type WorkingState } from './state.js';
import type {
  ChangeOutcome,
  FileMetricsDigest,
  CheckAvailability,
  ImproveDeps,
  ImproveOptions,
  ImproveReport,
  ImproveStatus,
  QualitySnapshot,
} from './types.js';
import { prepareLint, prepareTests, type PreparedTests } from './validators.js';

// Failures are attributed to clusters of changes and bisected in parallel, so a large batch costs
// little more when it fails than a small one; bench:improve compares sizes.
const DEFAULT_BATCH = 64;
const DEFAULT_TEST_TIMEOUT_MS = 5 * 60_000;
const MAX_ROUNDS = 5;

interface RunContext {
  deps: ImproveDeps;
  options: ImproveOptions;
  workspace: Workspace;
  /** The scanned folder inside the worktree. */
  root: string;
  /** That folder relative to the worktree's top, with a trailing slash ('' at the top). */
  prefix: string;
  /** Changes accepted in the current round, on top of the round's base. */
  roundAccepted: Candidate[];
  /** The checks of the gate and whether each could run. */
  checks: CheckAvailability[];
  /** The repository's formatter, applied to every proposal. */
  formatter: Formatter | undefined;
  state: WorkingState;
  gate: Gate;
  tests: PreparedTests | undefined;
  outcomes: ChangeOutcome[];
  /** Proposals rejected before, in this run or an earlier one (see `codeHashOf`). */
  rejected: Set<string>;
  validations: { full: number; quick: number };
  timings: { proposeMs: number; validateMs: number; deliverMs: number };
  nextId: number;
}

function snapshot(report: ScanReport): QualitySnapshot {
  return { score: report.score.score, grade: report.score.grade, findings: report.findings.length };
}

function emitPhase(
  ctx: Pick<RunContext, 'deps'>,
  phase: 'baseline' | 'propose' | 'validate' | 'deliver',
  message: string,
): void {
  ctx.deps.onEvent?.({ type: 'phase', phase, message });
}

/**
 * Hash of what a finding is about: its message and the code it spans. Edits elsewhere in the file
 * leave it unchanged, so a model that failed on it is not asked again, in this run or a later one.
 */
function codeHashOf(finding: Finding, text: string): string {
  const { line, column, endLine, endColumn } = finding.location;
  const span = text.slice(offsetOf(text, line, column), offsetOf(text, endLine, endColumn));
  return sha256(`${finding.message}\0${span}`);
}

function keyOf(model: Model, finding: Finding, contentHash: string): string {
  return proposalKey({ model: model.id, ruleId: finding.ruleId, file: finding.file, contentHash });
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
  return { root: info.toplevel, prefix: info.prefix, dirty: info.dirty };
}

/**
 * Asks the models, in order, for a change to each finding; the first model with a proposal not
 * rejected before on the same code wins. Changes that overlap one already chosen wait for the next
 * round, when they are proposed again on the new code.
 */
async function propose(
  ctx: RunContext,
  findings: readonly Finding[],
  limit: number,
): Promise<Candidate[]> {
  const chosen: Candidate[] = [];
  const readFileAt = (file: string): Promise<string> => ctx.state.base(file);
  for (const finding of findings) {
    if (chosen.length >= limit) break;
    const text = await ctx.state.base(finding.file).catch(() => undefined);
    if (text === undefined) continue;
    const contentHash = codeHashOf(finding, text);
    for (const [index, model] of ctx.deps.models.entries()) {
      const task = { kind: 'fix' as const, finding };
      if (!model.supports(task) || ctx.rejected.has(keyOf(model, finding, contentHash))) continue;
      const started = performance.now();
      const proposals = await model.propose(task, { root: ctx.root, readFile: readFileAt });
      const found = proposals.find((p) => p.changes.some((c) => c.edits.length > 0));
      if (!found) continue;
      const proposal = { ...found, changes: await formatChanges(ctx, found.changes) };
      const overlaps = chosen.some((c) => changesTouch(c, proposal.changes));
      if (overlaps) break;
      chosen.push({
        id: ctx.nextId++,
        finding,
        model,
        selection:
          index === 0
            ? `first model in order that supports ${finding.ruleId}`
            : `earlier models had no accepted proposal for ${finding.ruleId} here`,
        title: proposal.title,
        changes: proposal.changes,
        contentHash,
        proposeMs: performance.now() - started,
        checks: [],
        scores: [],
      });
      break;
    }
  }
  return chosen;
}

/** Formats changed files as the repository does, when it has a formatter; see `Formatter`. */
async function formatChanges(ctx: RunContext, changes: FileChange[]): Promise<FileChange[]> {
  if (!ctx.formatter) return changes;
  const formatted: FileChange[] = [];
  for (const change of changes) {
    const base = await ctx.state.base(change.file);
    const proposed = applyEdits(base, change.edits);
    const edit = minimalEdit(base, await ctx.formatter.format(change.file, base, proposed));
    formatted.push({ file: change.file, edits: edit ? [edit] : [] });
  }
  return formatted;
}

function changesTouch(candidate: Candidate, changes: Candidate['changes']): boolean {
  const files = new Set(candidate.changes.map((c) => c.file));
  // Two changes in one file are validated together only if their edits are far apart.
  return changes.some(
    (c) =>
      files.has(c.file) &&
      candidate.changes.some(
        (d) =>
          d.file === c.file &&
          d.edits.some((e) => c.edits.some((f) => e.start <= f.end + 1 && f.start <= e.end + 1)),
      ),
  );
}

function outcomeOf(
  candidate: Candidate,
  status: ChangeOutcome['status'],
  verdict?: Verdict,
): ChangeOutcome {
  return {
    id: candidate.id,
    finding: candidate.finding,
    model: candidate.model.id,
    selection: candidate.selection,
    title: candidate.title,
    changes: candidate.changes,
    status,
    ...(verdict?.gate !== undefined ? { gate: verdict.gate as ChangeOutcome['gate'] } : {}),
    ...(verdict?.reason !== undefined ? { reason: verdict.reason } : {}),
    contentHash: candidate.contentHash,
    checks: candidate.checks,
    scores: candidate.scores,
    durationMs: candidate.proposeMs,
  };
}

function recordScores(
  candidates: readonly Candidate[],
  before: ScanReport,
  after: ScanReport,
): void {
  const was = new Map(before.files.map((f) => [f.path, f]));
  const is = new Map(after.files.map((f) => [f.path, f]));
  for (const c of candidates) {
    c.scores = [...new Set(c.changes.map((ch) => ch.file))].map((file) => ({
      file,
      before: was.get(file)?.score.score ?? 0,
      after: is.get(file)?.score.score,
      metrics: { before: keyMetrics(was.get(file)), after: keyMetrics(is.get(file)) },
    }));
  }
}

/** The file metrics an evidence record keeps. */
function keyMetrics(file: FileReport | undefined): FileMetricsDigest | undefined {
  if (!file) return undefined;
  const m = file.metrics;
  return {
    codeLines: m.codeLines,
    cyclomatic: m.cyclomatic,
    cognitive: m.cognitive,
    maxNesting: m.maxNesting,
    maintainability: m.maintainability,
    duplicatedLines: m.duplicatedLines,
  };
}

function reject(ctx: RunContext, candidate: Candidate, verdict: Verdict): void {
  ctx.rejected.add(keyOf(candidate.model, candidate.finding, candidate.contentHash));
  const outcome = outcomeOf(candidate, 'rejected', verdict);
  ctx.outcomes.push(outcome);
  ctx.deps.onEvent?.({ type: 'change', change: outcome });
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

/** One round: propose on the current code, pre-check each change, validate in batches. */
async function runRound(
  ctx: RunContext,
  findings: readonly Finding[],
  limit: number,
): Promise<{ proposed: number; accepted: Candidate[] }> {
  ctx.state.rebase();
  ctx.roundAccepted = [];
  let started = performance.now();
  const candidates = await propose(ctx, findings, limit);
  ctx.timings.proposeMs += performance.now() - started;
  if (candidates.length === 0) return { proposed: 0, accepted: [] };
  emitPhase(ctx, 'validate', `validating ${candidates.length} proposed change(s)`);
  started = performance.now();
  const screened = await prescreen(ctx, candidates);
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
      ctx.roundAccepted.push(...set);
      return Promise.resolve();
    },
    reject: (candidate, verdict) => reject(ctx, candidate, verdict),
  });
  ctx.validations.full += result.validations;
  // Leave the disk in the accepted state, whatever was tried last.
  await ctx.state.write(ctx.roundAccepted.map((c) => c.changes));
  ctx.timings.validateMs += performance.now() - started;
  return { proposed: candidates.length, accepted: ctx.roundAccepted };
}

function ruleDescription(ctx: RunContext, ruleId: string): string {
  return ctx.gate.report.rules.find((r) => r.id === ruleId)?.description ?? ruleId;
}

function commitMessage(ctx: RunContext, group: readonly Candidate[]): string {
  const first = group[0]!;
  const files = [...new Set(group.flatMap((c) => c.changes.map((ch) => ch.file)))];
  const subject =
    group.length === 1
      ? `${first.finding.ruleId}: ${first.title} in ${first.finding.file}`
      : `${first.finding.ruleId}: fix ${group.length} findings in ${files.length} file(s)`;
  const checks = ctx.checks
    .filter((c) => c.ran)
    .map((c) => c.name)
    .join(', ');
  const lines = [
    subject,
    '',
    `Why: ${ruleDescription(ctx, first.finding.ruleId)}`,
    '',
    ...group.map(
      (c) =>
        `- ${c.finding.file}:${c.finding.location.line} ${c.finding.message} (model ${c.model.id})`,
    ),
    '',
    `Validated by beast improve: ${checks}.`,
  ];
  return lines.join('\n');
}

/** Commits the round's accepted changes, one commit per change or per rule. */
async function commitRound(ctx: RunContext, accepted: readonly Candidate[]): Promise<void> {
  const groups: Candidate[][] = [];
  if (ctx.options.group === 'rule') {
    const byRule = new Map<string, Candidate[]>();
    for (const c of accepted)
      byRule.set(c.finding.ruleId, [...(byRule.get(c.finding.ruleId) ?? []), c]);
    groups.push(...byRule.values());
  } else {
    groups.push(...accepted.map((c) => [c]));
  }
  const applied: Candidate[] = [];
  for (const group of groups) {
    applied.push(...group);
    const files = [...new Set(group.flatMap((c) => c.changes.map((ch) => ch.file)))];
    for (const file of files) {
      const text = await ctx.state.contentWith(
        file,
        applied.map((c) => c.changes),
      );
      await writeFile(path.join(ctx.root, file), text);
    }
    const sha = await commitFiles(
      ctx.workspace,
      files.map((f) => path.posix.join(ctx.prefix, f)),
      commitMessage(ctx, group),
    );
    for (const c of group) {
      const outcome = outcomeOf(c, 'accepted');
      outcome.commit = sha;
      ctx.outcomes.push(outcome);
      ctx.deps.onEvent?.({ type: 'change', change: outcome });
    }
  }
}

function withhold(ctx: RunContext, accepted: readonly Candidate[]): void {
  for (const c of accepted) {
    const outcome = outcomeOf(c, 'withheld', {
      ok: false,
      reason: 'passed every check that ran, but the tests could not run (see --allow-unvalidated)',
    });
    ctx.outcomes.push(outcome);
    ctx.deps.onEvent?.({ type: 'change', change: outcome });
  }
}

async function atomicWrite(file: string, text: string): Promise<void> {
  const temporary = `${file}.${process.pid}.tmp`;
  await writeFile(temporary, text);
  await rename(temporary, file);
}

interface Baseline {
  report: ScanReport;
  formatter: Formatter | undefined;
  formatterDetail: string;
  checker: TypeChecker | undefined;
  checks: CheckAvailability[];
  lint: LintGate | undefined;
  tests: PreparedTests | undefined;
}

async function takeBaseline(
  root: string,
  scanWorktree: () => Promise<ScanReport>,
  options: ImproveOptions,
): Promise<Baseline> {
  const report = await scanWorktree();
  const checks: CheckAvailability[] = [
    { name: 'parse', ran: true, detail: 'every touched file parses (oxc-parser)' },
    { name: 'rescan', ran: true, detail: 'targeted finding gone, no new finding, no score lower' },
    { name: 'idempotence', ran: true, detail: 'the same model changes nothing on the result' },
  ];
  const typecheck = createTypeChecker(root);
  let checker: TypeChecker | undefined;
  if ('checker' in typecheck) {
    checker = typecheck.checker;
    const { source, version } = checker.typescript;
    const projects = checker.projects.length > 0 ? checker.projects.join(', ') : 'default options';
    checks.push({
      name: 'typecheck',
      ran: true,
      detail: `TypeScript ${version} (${source}), ${projects}`,
    });
  } else {
    checks.push({ name: 'typecheck', ran: false, detail: typecheck.reason });
  }
  const lint = await prepareLint(root, report);
  checks.push(lint.availability);
  const tests = await prepareTests(
    root,
    options.testTimeoutMs ?? DEFAULT_TEST_TIMEOUT_MS,
    report.files.map((f) => f.path),
  );
  checks.push(tests.availability);
  const format = await loadFormatter(root);
  return {
    report,
    checker,
    checks,
    lint: lint.gate,
    tests: tests.prepared,
    formatter: 'formatter' in format ? format.formatter : undefined,
    formatterDetail:
      'formatter' in format
        ? `${format.formatter.name}: changed code is formatted as the repository formats it`
        : `not formatted: ${format.reason}`,
  };
}

function toProposalRecord(outcome: ChangeOutcome): ProposalRecord {
  return {
    model: outcome.model,
    task: 'fix',
    ruleId: outcome.finding.ruleId,
    file: outcome.finding.file,
    line: outcome.finding.location.line,
    column: outcome.finding.location.column,
    contentHash: outcome.contentHash,
    title: outcome.title,
    status: outcome.status,
    gate: outcome.gate,
    reason: outcome.reason,
    commit: outcome.commit,
    // The built-in engines cost nothing; priced models fill this in from provider usage.
    costUsd: outcome.model.startsWith('builtin:') ? 0 : undefined,
    durationMs: outcome.durationMs,
    evidence: outcome,
  };
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
  const { root: repoRoot, prefix, dirty } = await resolveRepository(target);
  const userRoot = path.resolve(target);
  const cleanedUp = await cleanupStaleWorkspaces(repoRoot, deps.stateDir);
  const workspace = await createWorkspace(repoRoot, {
    stateDir: deps.stateDir,
    ...(options.branch !== undefined ? { branch: options.branch } : {}),
  });
  let keepBranch = false;
  let checker: TypeChecker | undefined;
  try {
    const root = path.join(workspace.dir, prefix);
    const cache = deps.store ? createStoreCache(deps.store) : undefined;
    const scanWorktree = (): Promise<ScanReport> => scan(root, { cache });
    emitPhase({ deps }, 'baseline', 'scanning and taking the baseline on HEAD');
    const baselineStarted = performance.now();
    const baseline = await takeBaseline(root, scanWorktree, options);
    checker = baseline.checker;
    const baselineMs = performance.now() - baselineStarted;
    const state = createWorkingState(root);
    const ctx: RunContext = {
      deps,
      options,
      workspace,
      root,
      prefix,
      state,
      gate: undefined as unknown as Gate,
      tests: baseline.tests,
      outcomes: [],
      rejected: deps.store ? await rejectedProposalKeys(deps.store, userRoot) : new Set(),
      validations: { full: 0, quick: 0 },
      timings: { proposeMs: 0, validateMs: 0, deliverMs: 0 },
      nextId: 1,
      roundAccepted: [],
      checks: baseline.checks,
      formatter: baseline.formatter,
    };
    ctx.gate = createGate(
      {
        root,
        scan: scanWorktree,
        write: (trial) => state.write([...ctx.roundAccepted, ...trial].map((c) => c.changes)),
        contentBefore: (file) => state.base(file),
        readFile: (file) => readFile(path.join(root, file), 'utf8'),
        typecheck: checker,
        lint: baseline.lint,
        tests: baseline.tests?.gate,
      },
      {
        report: baseline.report,
        diagnostics: checker ? await checker.check() : undefined,
      },
    );
    const unvalidated = !baseline.tests && !options.allowUnvalidated;
    const maxChanges = options.maxChanges ?? Number.POSITIVE_INFINITY;
    const only = options.rules ? new Set(options.rules) : undefined;
    let accepted = 0;
    for (let round = 0; round < MAX_ROUNDS && accepted < maxChanges; round++) {
      emitPhase(
        ctx,
        'propose',
        `round ${round + 1}: asking ${deps.models.map((m) => m.id).join(', ')}`,
      );
      const findings = orderByValue(ctx.gate.report).filter((f) => !only || only.has(f.ruleId));
      const { proposed, accepted: roundAccepted } = await runRound(
        ctx,
        findings,
        maxChanges - accepted,
      );
      if (proposed === 0) break;
      const deliverStarted = performance.now();
      if (unvalidated) {
        withhold(ctx, roundAccepted);
        break;
      }
      await commitRound(ctx, roundAccepted);
      ctx.timings.deliverMs += performance.now() - deliverStarted;
      accepted += roundAccepted.length;
    }
    const finalOk = await finalSuite(ctx, accepted);
    const status = statusOf(ctx, { unvalidated, finalOk });
    const report = await finish(ctx, {
      status,
      baselineReport: baseline.report,
      checks: baseline.checks,
      formatter: baseline.formatterDetail,
      dirty,
      cleanedUp,
      timings: { started, baselineMs },
    });
    keepBranch = status === 'delivered';
    if (!keepBranch) report.branch = undefined;
    if (!keepBranch) report.head = undefined;
    if (deps.store) await record(deps.store, userRoot, report);
    return report;
  } finally {
    checker?.dispose();
    await closeWorkspace(workspace, { keepBranch });
  }
}

async function finish(
  ctx: RunContext,
  input: {
    status: ImproveStatus;
    baselineReport: ScanReport;
    checks: CheckAvailability[];
    formatter: string;
    dirty: boolean;
    cleanedUp: string[];
    timings: { started: number; baselineMs: number };
  },
): Promise<ImproveReport> {
  const { workspace, options } = ctx;
  const after = input.status === 'failed' ? input.baselineReport : ctx.gate.report;
  const head = await git(workspace.dir, ['rev-parse', 'HEAD']);
  const report: ImproveReport = {
    repository: path.resolve(ctx.workspace.repoRoot, ctx.prefix),
    status: input.status,
    branch: workspace.branch,
    base: workspace.base,
    head: head.stdout.trim() || undefined,
    dryRun: options.dryRun === true,
    dirty: input.dirty,
    before: snapshot(input.baselineReport),
    after: snapshot(after),
    files: touchedScores(input.baselineReport, after, ctx.outcomes),
    findingsFixed: ctx.outcomes.filter((o) => o.status === 'accepted').length,
    changes: [...ctx.outcomes].sort((a, b) => a.id - b.id),
    checks: input.checks,
    formatter: input.formatter,
    flakyTests: ctx.tests?.flaky ?? [],
    validations: ctx.validations,
    timings: {
      totalMs: 0,
      baselineMs: input.timings.baselineMs,
      ...ctx.timings,
    },
    cleanedUp: input.cleanedUp,
    warnings: input.dirty
      ? ['the working tree has uncommitted changes; they were left alone and are not in the branch']
      : [],
  };
  const hasCommits = report.head !== undefined && report.head !== workspace.base;
  if (hasCommits && (options.dryRun || options.patchFile) && input.status !== 'failed') {
    const diff = await branchDiff(workspace);
    if (options.dryRun) report.diff = diff;
    if (options.patchFile) {
      await atomicWrite(options.patchFile, diff);
      report.patchFile = options.patchFile;
    }
  }
  report.timings.totalMs = performance.now() - input.timings.started;
  return report;
}

async function record(store: Store, root: string, report: ImproveReport): Promise<void> {
  await recordImproveRun(store, {
    root,
    startedAt: new Date(Date.now() - report.timings.totalMs).toISOString(),
    durationMs: report.timings.totalMs,
    status: report.status,
    branch: report.branch,
    baseCommit: report.base,
    headCommit: report.head,
    scoreBefore: report.before.score,
    scoreAfter: report.after.score,
    validations: report.validations.full,
    report: { ...report, diff: undefined },
    proposals: report.changes.map(toProposalRecord),
  });
}
