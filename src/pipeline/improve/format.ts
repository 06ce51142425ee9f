import type { ChangeOutcome, ChangeStatus, ImproveReport } from './types.js';

function signed(n: number): string {
  const rounded = Math.round(n * 10) / 10;
  return rounded >= 0 ? `+${rounded}` : String(rounded);
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)}s`;
}

const STATUS_LINE: Record<ImproveReport['status'], string> = {
  delivered: 'changes delivered on branch',
  'dry-run': 'dry run: nothing kept',
  'nothing-to-do': 'no change passed the gate; nothing delivered',
  unvalidated: 'the tests could not run: no change applied (pass --allow-unvalidated to apply)',
  failed: 'the full test suite failed on the result: nothing delivered',
};

/** Whether the validations ran the repository's tests (a baseline that executed none did not). */
function testsRan(report: ImproveReport): boolean {
  return report.checks.some((c) => c.name === 'tests' && c.ran);
}

function qualityLine(report: ImproveReport): string {
  const { before, after } = report;
  if (report.afterBasis === 'nothing-delivered') {
    return `Quality    ${before.score} ${before.grade}; findings ${before.findings} (unchanged: nothing delivered)`;
  }
  const line = `${before.score} ${before.grade} -> ${after.score} ${after.grade} (${signed(after.score - before.score)}); findings ${before.findings} -> ${after.findings}`;
  return `Quality    ${line}${report.afterBasis === 'dry-run' ? ' (as it would be; dry run, nothing kept)' : ''}`;
}

function summarySection(report: ImproveReport): string[] {
  const count = (status: ChangeStatus) => report.changes.filter((c) => c.status === status).length;
  const t = report.timings;
  return [
    `beast improve  ${report.repository}${report.kind === 'fix' ? '' : `  (task: ${report.kind})`}`,
    `Status     ${STATUS_LINE[report.status]}${report.branch ? ` ${report.branch}` : ''}`,
    qualityLine(report),
    `Changes    ${report.changes.length} proposed · ${count('accepted')} accepted · ${count('withheld')} withheld · ${count('rejected')} rejected`,
    `Validation ${report.validations.full} full (${testsRan(report) ? 'with tests' : 'without tests: they did not run'}) · ${report.validations.quick} quick pre-checks`,
    `Time       ${seconds(t.totalMs)} (baseline ${seconds(t.baselineMs)}, propose ${seconds(t.proposeMs)}, validate ${seconds(t.validateMs)} of which the test baseline ${seconds(t.testBaselineMs)}, deliver ${seconds(t.deliverMs)})`,
    `Format     ${report.formatter}`,
    `Order      ${report.ordering}`,
  ];
}

function checksSection(report: ImproveReport): string[] {
  const lines = ['', 'Checks'];
  for (const check of report.checks) {
    lines.push(`  ${check.ran ? 'ran    ' : 'NOT RUN'} ${check.name.padEnd(12)} ${check.detail}`);
  }
  if (report.flakyTests.length > 0) {
    lines.push('', `Flaky tests excluded (${report.flakyTests.length})`);
    for (const test of report.flakyTests.slice(0, 10)) lines.push(`  ${test}`);
  }
  return lines;
}

function filesSection(report: ImproveReport): string[] {
  if (report.files.length === 0) return [];
  return [
    '',
    'Touched files',
    ...report.files.map(
      (f) => `  ${f.path.padEnd(40)} ${f.before} -> ${f.after} (${signed(f.after - f.before)})`,
    ),
  ];
}

function changeLine(c: ChangeOutcome): string {
  const where = `${c.finding.file}:${c.finding.location.line}`;
  const head = `  ${c.finding.ruleId.padEnd(30)} ${where.padEnd(28)}`;
  if (c.status === 'rejected') return `${head} ${c.gate ?? '?'}: ${c.reason ?? ''}`;
  return `${head} ${c.title} [${c.model}]${c.commit ? ` ${c.commit.slice(0, 8)}` : ''}`;
}

const SECTION_NOTE: Record<ChangeStatus, (report: ImproveReport) => string> = {
  accepted: (report) => (report.dryRun ? ', dry run: not kept' : ''),
  withheld: () => ', passed every check that ran but not applied: the tests could not run',
  rejected: () => '',
};

/** One section per outcome, each change in exactly one of them. */
function changesSection(report: ImproveReport): string[] {
  const lines: string[] = [];
  for (const status of ['accepted', 'withheld', 'rejected'] as const) {
    const changes = report.changes.filter((c) => c.status === status);
    if (changes.length === 0) continue;
    const title = status[0]!.toUpperCase() + status.slice(1);
    lines.push('', `${title} (${changes.length}${SECTION_NOTE[status](report)})`);
    lines.push(...changes.map(changeLine));
  }
  return lines;
}

function trailerSection(report: ImproveReport): string[] {
  const lines: string[] = [];
  for (const warning of report.warnings) lines.push('', `warning: ${warning}`);
  if (report.cleanedUp.length > 0) {
    lines.push('', `Cleaned up after earlier interrupted runs: ${report.cleanedUp.join(', ')}`);
  }
  if (report.patchFile) lines.push('', `Patch written to ${report.patchFile}`);
  if (report.diff) lines.push('', report.diff.trimEnd());
  return lines;
}

/** The improvement report as text for a terminal. */
export function formatImproveReport(report: ImproveReport): string {
  const lines = [
    ...summarySection(report),
    ...checksSection(report),
    ...filesSection(report),
    ...changesSection(report),
    ...trailerSection(report),
  ];
  return `${lines.join('\n')}\n`;
}
