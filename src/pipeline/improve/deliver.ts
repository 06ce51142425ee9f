import path from 'node:path';
import { writeInside } from '../../core/index.js';
import { commitFiles } from '../../fixes/index.js';
import { recordImproveRun, type ProposalRecord, type Store } from '../../store/index.js';
import { type Candidate } from './gate.js';
import type { ChangeOutcome, ImproveReport } from './types.js';
import { outcomeOf, type RunContext } from './context.js';

function ruleDescription(ctx: RunContext, ruleId: string): string {
  return ctx.gate.report.rules.find((r) => r.id === ruleId)?.description ?? ruleId;
}

function commitMessage(ctx: RunContext, group: readonly Candidate[]): string {
  const first = group[0]!;
  const files = [...new Set(group.flatMap((c) => c.changes.map((ch) => ch.file)))];
  const subject =
    group.length === 1
      ? `${first.finding.ruleId}: ${first.title} in ${first.finding.file}`
      : `${first.finding.ruleId}: ${ctx.kind.delivery.groupVerb} ${group.length} findings in ${files.length} file(s)`;
  const executed = ctx.tests?.executed ?? 0;
  const checks = ctx.checks
    .filter((c) => c.ran && (c.name !== 'tests' || executed > 0))
    .map((c) => (c.name === 'tests' ? `tests (${executed} executed)` : c.name))
    .join(', ');
  // Only what validated the change is named; a check that could not run says why instead.
  const notRun = ctx.checks
    .filter((c) => !c.ran || (c.name === 'tests' && executed === 0))
    .map((c) => `Not validated by ${c.name}: ${c.detail}`);
  const lines = [
    subject,
    '',
    `Why: ${ruleDescription(ctx, first.finding.ruleId)}`,
    '',
    ...group.map(
      (c) =>
        `- ${c.finding.file}:${c.finding.location.line} ${c.finding.message} (model ${c.model.id}${c.deployment && c.deployment !== c.model.id ? ` via ${c.deployment}` : ''})`,
    ),
    '',
    `Validated by ${ctx.kind.delivery.validatedBy}: ${checks}.`,
    ...(notRun.length > 0 ? ['', ...notRun] : []),
  ];
  return lines.join('\n');
}

/** Commits the round's accepted changes, one commit per change or per rule. */
export async function commitRound(ctx: RunContext, accepted: readonly Candidate[]): Promise<void> {
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
      await writeInside(ctx.root, file, text);
    }
    const sha = await commitFiles(
      ctx.workspace,
      files.map((f) => path.posix.join(ctx.prefix, f)),
      commitMessage(ctx, group),
      ...(ctx.deps.author ? [ctx.deps.author] : []),
    );
    for (const c of group) {
      const outcome = { ...outcomeOf(c, 'accepted'), proposedOn: ctx.round.base };
      outcome.commit = sha;
      ctx.outcomes.push(outcome);
      ctx.deps.onEvent?.({ type: 'change', change: outcome });
    }
  }
}

export function withhold(ctx: RunContext, accepted: readonly Candidate[]): void {
  for (const c of accepted) {
    const outcome = {
      proposedOn: ctx.round.base,
      ...outcomeOf(c, 'withheld', {
        ok: false,
        reason:
          'passed every check that ran, but the tests could not run (see --allow-unvalidated)',
      }),
    };
    ctx.outcomes.push(outcome);
    ctx.deps.onEvent?.({ type: 'change', change: outcome });
  }
}

function toProposalRecord(kind: string, outcome: ChangeOutcome): ProposalRecord {
  return {
    model: outcome.model,
    task: kind,
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
    // The built-in engines cost nothing; LLM proposals carry their provider-reported cost.
    costUsd: outcome.costUsd,
    durationMs: outcome.durationMs,
    evidence: outcome,
  };
}

export async function record(store: Store, root: string, report: ImproveReport): Promise<void> {
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
    proposals: report.changes.map((c) => toProposalRecord(report.kind, c)),
  });
}
