import type { Store } from './db.js';
import { runSummary, type ImproveRunSummary, type ProposalOutcome } from './improvements.js';

/** One recorded improvement run in full: its summary, commits and whole report. */
export interface ImproveRunDetail extends ImproveRunSummary {
  /** The repository's root, as the store knows it. */
  root: string;
  durationMs: number;
  baseCommit: string;
  headCommit: string | undefined;
  /** The run's report as recorded (secrets redacted, without the dry-run diff). */
  report: unknown;
}

/** The run with id `runId`, or undefined when there is none. */
export async function getImproveRun(
  store: Store,
  runId: number,
): Promise<ImproveRunDetail | undefined> {
  const r = await store.db
    .selectFrom('improve_runs')
    .innerJoin('repositories', 'repositories.id', 'improve_runs.repository_id')
    .selectAll('improve_runs')
    .select('repositories.root')
    .where('improve_runs.id', '=', runId)
    .executeTakeFirst();
  if (r === undefined) return undefined;
  return {
    ...runSummary(r),
    root: r.root,
    durationMs: r.duration_ms,
    baseCommit: r.base_commit,
    headCommit: r.head_commit ?? undefined,
    report: JSON.parse(r.report) as unknown,
  };
}

/** A proposal about one file, with the run it belongs to. */
export type FileProposal = Pick<
  ProposalOutcome,
  'id' | 'model' | 'task' | 'ruleId' | 'line' | 'title' | 'status' | 'gate' | 'reason'
> & { runId: number; createdAt: string };

/** The newest `limit` proposals of any run of the repository at `root` about `file`. */
export async function listFileProposals(
  store: Store,
  root: string,
  file: string,
  limit: number,
): Promise<FileProposal[]> {
  const rows = await store.db
    .selectFrom('proposals')
    .innerJoin('repositories', 'repositories.id', 'proposals.repository_id')
    .select([
      'proposals.id',
      'proposals.run_id',
      'proposals.created_at',
      'proposals.model',
      'proposals.task',
      'proposals.rule_id',
      'proposals.line',
      'proposals.title',
      'proposals.status',
      'proposals.gate',
      'proposals.reason',
    ])
    .where('repositories.root', '=', root)
    .where('proposals.file', '=', file)
    .orderBy('proposals.id', 'desc')
    .limit(limit)
    .execute();
  return rows.map((r) => ({
    id: r.id,
    runId: r.run_id,
    createdAt: r.created_at,
    model: r.model,
    task: r.task,
    ruleId: r.rule_id,
    line: r.line,
    title: r.title,
    status: r.status as ProposalOutcome['status'],
    gate: r.gate ?? undefined,
    reason: r.reason ?? undefined,
  }));
}
