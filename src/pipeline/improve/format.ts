import type { ImproveReport } from './types.js';

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

/** The improvement report as text for a terminal. */
export function formatImproveReport(report: ImproveReport): string {
  const accepted = report.changes.filter((c) => c.status === 'accepted');
  const rejected = report.changes.filter((c) => c.status === 'rejected');
  const withheld = report.changes.filter((c) => c.status === 'withheld');
  const lines: string[] = [];
  lines.push(`beast improve  ${report.repository}`);
  lines.push(`Status     ${STATUS_LINE[report.status]}${report.branch ? ` ${report.branch}` : ''}`);
  lines.push(
    `Quality    ${report.before.score} ${report.before.grade} -> ${report.after.score} ${report.after.grade} (${signed(report.after.score - report.before.score)}); findings ${report.before.findings} -> ${report.after.findings}`,
  );
  lines.push(
    `Changes    ${report.changes.length} proposed · ${accepted.length} accepted · ${rejected.length} rejected${withheld.length ? ` · ${withheld.length} withheld` : ''}`,
  );
  lines.push(
    `Validation ${report.validations.full} full (with tests) · ${report.validations.quick} quick pre-checks`,
  );
  lines.push(
    `Time       ${seconds(report.timings.totalMs)} (baseline ${seconds(report.timings.baselineMs)}, propose ${seconds(report.timings.proposeMs)}, validate ${seconds(report.timings.validateMs)}, deliver ${seconds(report.timings.deliverMs)})`,
  );
  lines.push(`Format     ${report.formatter}`);
  lines.push('', 'Checks');
  for (const check of report.checks) {
    lines.push(`  ${check.ran ? 'ran    ' : 'NOT RUN'} ${check.name.padEnd(12)} ${check.detail}`);
  }
  if (report.flakyTests.length > 0) {
    lines.push('', `Flaky tests excluded (${report.flakyTests.length})`);
    for (const test of report.flakyTests.slice(0, 10)) lines.push(`  ${test}`);
  }
  if (report.files.length > 0) {
    lines.push('', 'Touched files');
    for (const f of report.files) {
      lines.push(
        `  ${f.path.padEnd(40)} ${f.before} -> ${f.after} (${signed(f.after - f.before)})`,
      );
    }
  }
  if (accepted.length + withheld.length > 0) {
    lines.push('', 'Accepted');
    for (const c of [...accepted, ...withheld]) {
      const where = `${c.finding.file}:${c.finding.location.line}`;
      lines.push(
        `  ${c.finding.ruleId.padEnd(30)} ${where.padEnd(28)} ${c.title} [${c.model}]${c.commit ? ` ${c.commit.slice(0, 8)}` : ''}`,
      );
    }
  }
  if (rejected.length > 0) {
    lines.push('', 'Rejected');
    for (const c of rejected) {
      const where = `${c.finding.file}:${c.finding.location.line}`;
      lines.push(
        `  ${c.finding.ruleId.padEnd(30)} ${where.padEnd(28)} ${c.gate ?? '?'}: ${c.reason ?? ''}`,
      );
    }
  }
  for (const warning of report.warnings) lines.push('', `warning: ${warning}`);
  if (report.cleanedUp.length > 0) {
    lines.push('', `Cleaned up after earlier interrupted runs: ${report.cleanedUp.join(', ')}`);
  }
  if (report.patchFile) lines.push('', `Patch written to ${report.patchFile}`);
  if (report.diff) lines.push('', report.diff.trimEnd());
  return `${lines.join('\n')}\n`;
}
