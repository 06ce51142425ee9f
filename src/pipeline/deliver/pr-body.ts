import type { ChangeOutcome, ImproveReport } from '../improve/types.js';

/** GitHub refuses bodies longer than 65,536 characters; the list is cut well before that. */
const BODY_LIMIT = 60_000;

/** Text from the repository (messages, file names) shown as text, never as HTML or a mention. */
function plain(text: string): string {
  // `<` alone opens a tag; `@name` would notify someone.
  return text.replace(/</g, '&lt;').replace(/@/g, '@\u200b');
}

function signed(n: number): string {
  const rounded = Math.round(n * 10) / 10;
  return rounded >= 0 ? `+${rounded}` : String(rounded);
}

/** Pure: the pull request's title. */
export function pullRequestTitle(report: ImproveReport): string {
  const accepted = report.changes.filter((c) => c.status === 'accepted');
  const rules = [...new Set(accepted.map((c) => c.finding.ruleId))];
  const first = accepted[0];
  if (accepted.length === 1 && first) {
    return `${first.finding.ruleId}: ${first.title} in ${first.finding.file}`.slice(0, 250);
  }
  const named = rules.slice(0, 3).join(', ') + (rules.length > 3 ? `, +${rules.length - 3}` : '');
  return `beast improve: ${accepted.length} validated changes (${named})`;
}

function changeSection(change: ChangeOutcome, notRun: ReadonlySet<string>): string[] {
  const where = `${change.finding.file}:${change.finding.location.line}`;
  const model =
    change.deployment && change.deployment !== change.model
      ? `${change.model} via ${change.deployment}`
      : change.model;
  // A check that could not run in this repository counts as passed in a change's record.
  const checks = change.checks.map((c) =>
    notRun.has(c.name)
      ? `${c.name} not run`
      : `${c.name} ${c.ok ? 'passed' : 'failed'}${c.detail ? ` (${plain(c.detail)})` : ''}`,
  );
  const scores = change.scores.map(
    (s) =>
      `${plain(s.file)} ${s.before}${s.after === undefined ? '' : ` -> ${s.after} (${signed(s.after - s.before)})`}`,
  );
  return [
    `- **${change.finding.ruleId}** \`${plain(where)}\`: ${plain(change.title)}`,
    `  - Finding: ${plain(change.finding.message)}`,
    `  - Model: ${plain(model)}${change.commit ? ` · commit ${change.commit.slice(0, 12)}` : ''}`,
    `  - Checks: ${checks.length > 0 ? checks.join('; ') : 'none recorded'}`,
    ...(scores.length > 0 ? [`  - Score: ${scores.join('; ')}`] : []),
  ];
}

/**
 * Pure: the pull request's body: the quality before and after, each accepted change with its
 * evidence (rule, place, model, the checks that validated it with their details, the touched
 * files' scores), and the checks that could not run, with why.
 */
export function pullRequestBody(report: ImproveReport): string {
  const accepted = report.changes.filter((c) => c.status === 'accepted');
  const { before, after } = report;
  const head = [
    `Changes made and validated by \`beast improve\` (task: ${report.kind}) on ${report.base.slice(0, 12)}.`,
    '',
    `Quality: ${before.score} ${before.grade} -> ${after.score} ${after.grade} (${signed(after.score - before.score)}); findings ${before.findings} -> ${after.findings}.`,
    '',
    `## Changes (${accepted.length})`,
    '',
  ];
  const notRun = report.checks.filter((c) => !c.ran);
  const tail = [
    '',
    '## Checks',
    '',
    ...report.checks.filter((c) => c.ran).map((c) => `- ran: **${c.name}**, ${plain(c.detail)}`),
    ...(notRun.length > 0
      ? [
          '',
          '## Checks that did not run',
          '',
          ...notRun.map((c) => `- **${c.name}**: ${plain(c.detail)}`),
        ]
      : []),
  ];
  const lines = [...head];
  let size = [...head, ...tail].join('\n').length;
  for (const [index, change] of accepted.entries()) {
    const section = changeSection(change, new Set(notRun.map((c) => c.name)));
    const length = section.join('\n').length + 1;
    if (size + length > BODY_LIMIT) {
      lines.push(
        `- … and ${accepted.length - index} more; every commit message names its evidence`,
      );
      break;
    }
    lines.push(...section);
    size += length;
  }
  return [...lines, ...tail].join('\n');
}
