import path from 'node:path';
import { writeInside } from '../../core/index.js';
import {
  commitFiles,
  measureCoverage,
  ratio,
  type CoverageCounts,
  type CoverageRun,
  type FileCoverage,
  type TestRunnerInfo,
  type Workspace,
} from '../../fixes/index.js';
import { recordTestGenRun, type Store } from '../../store/index.js';
import { FUNNEL_STAGES, type Funnel, type TestGenReport, type TestVerdict } from './types.js';

/** `generated 40 → built 38 → passed 35 → stable 33 → useful 20 → kept 20`. */
export function formatFunnel(funnel: Funnel): string {
  return FUNNEL_STAGES.map((stage) => `${stage} ${funnel[stage]}`).join(' → ');
}

function pct(counts: CoverageCounts): string {
  return `${(ratio(counts) * 100).toFixed(1)}%`;
}

/** `lines 41.2% → 63.0% (+21.8)`; `n/a` for a side that was not measured. */
export function formatChange(
  name: string,
  before: CoverageCounts | undefined,
  after: CoverageCounts | undefined,
): string {
  if (!before || !after) {
    return `${name} ${before ? pct(before) : 'n/a'} → ${after ? pct(after) : 'n/a'}`;
  }
  const delta = (ratio(after) - ratio(before)) * 100;
  const sign = delta >= 0 ? '+' : '';
  return `${name} ${pct(before)} → ${pct(after)} (${sign}${delta.toFixed(1)})`;
}

function coverageLines(before: FileCoverage | undefined, after: FileCoverage | undefined) {
  return [
    formatChange('lines', before?.lines, after?.lines),
    formatChange('branches', before?.branches, after?.branches),
  ].join(', ');
}

/** The commit message of one kept test file: what it tests and the evidence that it earned its place. */
export function commitMessage(verdict: TestVerdict, skipped: readonly string[]): string {
  const generated = verdict.funnel.generated;
  const kept = verdict.funnel.kept;
  return [
    `test: cover ${verdict.target} (${verdict.model})`,
    '',
    `Target: ${verdict.target}`,
    `Model: ${verdict.model}${verdict.attempt > 1 ? ` (after ${verdict.attempt - 1} repair(s))` : ''}`,
    `Cases: ${kept} kept of ${generated} generated`,
    `Coverage of the target: ${coverageLines(verdict.before, verdict.after)}`,
    verdict.mutants.tried > 0
      ? `Mutants of covered lines killed only by these tests: ${verdict.mutants.killedOnlyByNew} of ${verdict.mutants.tried} tried`
      : 'Mutants: none tried',
    `Funnel: ${formatFunnel(verdict.funnel)}`,
    '',
    'Validated by beast tests: each kept case passed the test gate (it builds, passes 5 times alone',
    'and in the whole suite in shuffled order, breaks no other test, passes under another time zone',
    "and locale, asserts something non-trivial, and raises the target's coverage or kills a mutant",
    'the suite let live), except for the checks listed below as not run.',
    ...(skipped.length > 0 ? ['', ...skipped.map((s) => `Not run: ${s}`)] : []),
  ].join('\n');
}

export interface CommitInput {
  /** The worktree's folder of the repository (the user's folder inside the worktree). */
  root: string;
  workspace: Workspace;
  /** `root` relative to the worktree's top, `/` separators ('' at the top). */
  prefix: string;
  runner: TestRunnerInfo;
  node: string;
  sources: readonly string[];
  kept: readonly TestVerdict[];
  /** Candidates gated: with none, nothing needs saying about the gate. */
  proposed: number;
  timeoutMs: number;
  /** Formats a kept file as the repository formats its code. */
  format?: (file: string, text: string) => Promise<string>;
  /** `--scope related`: run only the tests related to these source files. */
  related?: readonly string[];
  skipped: readonly string[];
  author?: { name: string; email: string };
  onProgress?: (line: string) => void;
}

/**
 * Writes every kept file, measures the suite's coverage with all of them (the "after" of the
 * report, and proof that they pass together), and commits each file on its own with its evidence.
 * Nothing is committed when nothing was kept or the suite fails with the kept files together.
 */
export async function commitKept(
  input: CommitInput,
): Promise<{ coverage: CoverageRun; head: string } | { reason: string | undefined }> {
  const kept = input.kept.filter((v) => v.content !== undefined);
  if (kept.length === 0) {
    return {
      reason: input.proposed > 0 ? 'no generated test passed the test gate' : undefined,
    };
  }
  for (const v of kept) {
    if (input.format) v.content = await input.format(v.file, v.content!);
    await writeInside(input.root, v.file, v.content!);
  }
  input.onProgress?.(`measuring coverage with the ${kept.length} kept test file(s)`);
  const coverage = await measureCoverage(input.runner, {
    cwd: input.root,
    timeoutMs: input.timeoutMs,
    node: input.node,
    include: input.sources,
    ...(input.related ? { related: input.related } : {}),
  });
  const run = coverage.run;
  if (coverage.status !== 'measured' || !run || run.status !== 'ran' || run.failed > 0) {
    const why =
      coverage.status !== 'measured' ? coverage.how : (run?.lastWords ?? 'the suite did not run');
    return {
      reason: `the suite did not pass with the kept test files together, so none was delivered: ${why}`,
    };
  }
  let head = input.workspace.base;
  for (const v of kept) {
    head = await commitFiles(
      input.workspace,
      [path.posix.join(input.prefix, v.file)],
      commitMessage(v, input.skipped),
      ...(input.author ? [input.author] : []),
    );
  }
  return { coverage, head };
}

/** Records the run in the store: totals, funnel and the report, without the files' contents. */
export async function recordRun(
  store: Store,
  root: string,
  startedAt: string,
  report: TestGenReport,
): Promise<number> {
  return recordTestGenRun(store, {
    root,
    startedAt,
    durationMs: report.durationMs,
    status: report.status,
    reason: report.reason,
    branch: report.branch,
    baseCommit: report.base,
    headCommit: report.head,
    runner: report.runner,
    coverageBefore: report.before,
    coverageAfter: report.after,
    funnel: report.funnel,
    filesKept: report.verdicts.filter((v) => v.kept).length,
    report: { ...report, verdicts: report.verdicts.map((v) => ({ ...v, content: undefined })) },
  });
}

/** The report for a person; with `showFiles`, the kept files' text too (`--dry-run`). */
export function formatTestGenReport(report: TestGenReport, showFiles = false): string {
  const lines: string[] = [];
  const head = `beast tests: ${report.status}`;
  if (report.status === 'not-run') {
    lines.push(`${head}: ${report.reason ?? 'no reason given'}`);
  } else {
    lines.push(
      head,
      `  runner   ${report.runner}`,
      `  coverage ${report.coverageHow}`,
      `  ${formatChange('lines', report.before.lines, report.after.lines)}, ${formatChange('branches', report.before.branches, report.after.branches)}`,
      `  funnel   ${formatFunnel(report.funnel)}`,
    );
    if (report.files.length > 0) {
      lines.push('', 'Files');
      for (const f of report.files) lines.push(`  ${f.file}: ${coverageLines(f.before, f.after)}`);
    }
    if (report.verdicts.length > 0) {
      lines.push('', 'Generated tests');
      for (const v of report.verdicts) {
        const outcome = v.kept ? 'kept' : `rejected at ${v.stage}: ${v.reason ?? ''}`;
        lines.push(`  ${v.file} (${v.model}, attempt ${v.attempt}): ${outcome}`);
      }
    }
    if (report.branch)
      lines.push('', `Branch: ${report.branch} (${report.head?.slice(0, 10) ?? ''})`);
  }
  if (report.skipped.length > 0) {
    lines.push('', 'Checks not run');
    for (const s of report.skipped) lines.push(`  ${s}`);
  }
  if (report.warnings.length > 0) {
    lines.push('', 'Warnings');
    for (const w of report.warnings) lines.push(`  ${w}`);
  }
  if (showFiles) {
    for (const v of report.verdicts) {
      if (!v.kept || v.content === undefined) continue;
      lines.push('', `--- ${v.file} (would be committed; dry run)`, v.content.trimEnd());
    }
  }
  return `${lines.join('\n')}\n`;
}
