import type { Kysely, Selectable } from 'kysely';
import { redactOptional, redactSecrets } from '../core/index.js';
import type { Store } from './db.js';
import type { Database, ProposalsTable } from './schema.js';
import { ensureRepository } from './scans.js';

/** A proposal and its outcome, as the improvement loop records it. */
export interface ProposalRecord {
  model: string;
  task: string;
  ruleId: string;
  file: string;
  line: number;
  column: number;
  /** sha256 of the finding's message and the code it spans (see `proposalKey`). */
  contentHash: string;
  title: string;
  status: 'accepted' | 'rejected' | 'withheld';
  gate: string | undefined;
  reason: string | undefined;
  commit: string | undefined;
  costUsd: number | undefined;
  durationMs: number;
  /** Finding, edits, checks and their results, metrics before and after. */
  evidence: unknown;
}

/** One improvement run, with its proposals. */
export interface ImproveRunRecord {
  root: string;
  startedAt: string;
  durationMs: number;
  status: string;
  branch: string | undefined;
  baseCommit: string;
  headCommit: string | undefined;
  scoreBefore: number;
  scoreAfter: number;
  validations: number;
  report: unknown;
  proposals: readonly ProposalRecord[];
}

/** Records a run and every proposal in one transaction; returns the run's id. */
export async function recordImproveRun(store: Store, run: ImproveRunRecord): Promise<number> {
  return store.db.transaction().execute(async (trx) => {
    const repositoryId = await ensureRepository(trx, run.root);
    const accepted = run.proposals.filter((p) => p.status === 'accepted').length;
    const { id } = await trx
      .insertInto('improve_runs')
      .values({
        repository_id: repositoryId,
        started_at: run.startedAt,
        duration_ms: run.durationMs,
        status: run.status,
        branch: run.branch ?? null,
        base_commit: run.baseCommit,
        head_commit: run.headCommit ?? null,
        score_before: run.scoreBefore,
        score_after: run.scoreAfter,
        accepted,
        rejected: run.proposals.filter((p) => p.status === 'rejected').length,
        validations: run.validations,
        report: redactSecrets(JSON.stringify(run.report)),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    for (const p of run.proposals) {
      await trx
        .insertInto('proposals')
        .values({
          run_id: id,
          repository_id: repositoryId,
          created_at: run.startedAt,
          model: p.model,
          task: p.task,
          rule_id: p.ruleId,
          file: p.file,
          line: p.line,
          column: p.column,
          content_hash: p.contentHash,
          title: redactSecrets(p.title),
          status: p.status,
          gate: p.gate ?? null,
          reason: redactOptional(p.reason) ?? null,
          commit_sha: p.commit ?? null,
          cost_usd: p.costUsd ?? null,
          duration_ms: p.durationMs,
          // Evidence quotes answers, edits and checks' output: any of them can hold a key.
          evidence: redactSecrets(JSON.stringify(p.evidence)),
        })
        .execute();
    }
    return id;
  });
}

/**
 * The identity of a proposal on unchanged code: same model, rule and file, and the same hash of
 * the code the finding is about (its message and the text it spans), wherever its lines moved.
 */
export function proposalKey(p: {
  model: string;
  ruleId: string;
  file: string;
  contentHash: string;
}): string {
  return [p.model, p.ruleId, p.file, p.contentHash].join('\0');
}

/**
 * Keys (see `proposalKey`) of the proposals that were rejected before in this repository, unless
 * the same model also made a change on the same code that passed (an LLM's repair did): that
 * model has a good answer there, and a rerun should get it again, from the answer cache.
 */
export async function rejectedProposalKeys(store: Store, root: string): Promise<Set<string>> {
  const rows = await store.db
    .selectFrom('proposals')
    .innerJoin('repositories', 'repositories.id', 'proposals.repository_id')
    .select(['model', 'rule_id', 'file', 'content_hash', 'status'])
    .where('repositories.root', '=', root)
    .where('proposals.status', 'in', ['rejected', 'accepted', 'withheld'])
    .execute();
  const rejected = new Set<string>();
  const passed = new Set<string>();
  for (const r of rows) {
    const key = proposalKey({
      model: r.model,
      ruleId: r.rule_id,
      file: r.file,
      contentHash: r.content_hash,
    });
    (r.status === 'rejected' ? rejected : passed).add(key);
  }
  for (const key of passed) rejected.delete(key);
  return rejected;
}

/** Proposals and acceptances, grouped by model and rule. */
export interface AcceptanceStat {
  model: string;
  /** The task kind (`fix`, `refactor`, ...): models are judged per kind and rule. */
  task: string;
  ruleId: string;
  proposed: number;
  accepted: number;
  rate: number;
  /** Mean over the proposals whose cost is known; undefined when none is. */
  meanCostUsd: number | undefined;
  /** Mean time to propose (an LLM's latency; a built-in engine's compute). */
  meanDurationMs: number;
}

/** Acceptance rates by model, task kind and rule, for one repository or (without `root`) all of them. */
export async function acceptanceStats(store: Store, root?: string): Promise<AcceptanceStat[]> {
  const db: Kysely<Database> = store.db;
  let query = db
    .selectFrom('proposals')
    .innerJoin('repositories', 'repositories.id', 'proposals.repository_id')
    .select(({ fn }) => [
      'proposals.model as model',
      'proposals.task as task',
      'proposals.rule_id as ruleId',
      fn.countAll<number>().as('proposed'),
      fn
        .sum<number>(db.case().when('proposals.status', '=', 'accepted').then(1).else(0).end())
        .as('accepted'),
      fn.avg<number>('proposals.cost_usd').as('cost'),
      fn.avg<number>('proposals.duration_ms').as('duration'),
    ])
    .where('proposals.status', '!=', 'withheld')
    .groupBy(['proposals.model', 'proposals.task', 'proposals.rule_id'])
    .orderBy('proposals.model')
    .orderBy('proposals.task')
    .orderBy('proposals.rule_id');
  if (root !== undefined) query = query.where('repositories.root', '=', root);
  const rows = await query.execute();
  return rows.map((r) => ({
    model: r.model,
    task: r.task,
    ruleId: r.ruleId,
    proposed: Number(r.proposed),
    accepted: Number(r.accepted),
    rate: Number(r.proposed) === 0 ? 0 : Number(r.accepted) / Number(r.proposed),
    meanCostUsd: r.cost === null ? undefined : Number(r.cost),
    meanDurationMs: Number(r.duration),
  }));
}

/** A recorded run, newest first in `listImproveRuns`. */
export interface ImproveRunSummary {
  id: number;
  startedAt: string;
  status: string;
  branch: string | undefined;
  scoreBefore: number;
  scoreAfter: number;
  accepted: number;
  rejected: number;
  validations: number;
}

export async function listImproveRuns(
  store: Store,
  root: string,
  limit = 10,
): Promise<ImproveRunSummary[]> {
  const rows = await store.db
    .selectFrom('improve_runs')
    .innerJoin('repositories', 'repositories.id', 'improve_runs.repository_id')
    // Not the report: a run's whole report can be large, and a summary never reads it.
    .select([
      'improve_runs.id',
      'improve_runs.started_at',
      'improve_runs.status',
      'improve_runs.branch',
      'improve_runs.score_before',
      'improve_runs.score_after',
      'improve_runs.accepted',
      'improve_runs.rejected',
      'improve_runs.validations',
    ])
    .where('repositories.root', '=', root)
    .orderBy('improve_runs.started_at', 'desc')
    .orderBy('improve_runs.id', 'desc')
    .limit(limit)
    .execute();
  return rows.map(runSummary);
}

/** A run's summary from its `improve_runs` row (whole, or the summary's columns). */
export function runSummary(r: {
  id: number;
  started_at: string;
  status: string;
  branch: string | null;
  score_before: number;
  score_after: number;
  accepted: number;
  rejected: number;
  validations: number;
}): ImproveRunSummary {
  return {
    id: r.id,
    startedAt: r.started_at,
    status: r.status,
    branch: r.branch ?? undefined,
    scoreBefore: r.score_before,
    scoreAfter: r.score_after,
    accepted: r.accepted,
    rejected: r.rejected,
    validations: r.validations,
  };
}

/** A proposal's outcome as lists show it: the record without its evidence. */
export type ProposalOutcome = Omit<ProposalRecord, 'evidence'> & { id: number };

const OUTCOME_COLUMNS = [
  'id',
  'model',
  'task',
  'rule_id',
  'file',
  'line',
  'column',
  'content_hash',
  'title',
  'status',
  'gate',
  'reason',
  'commit_sha',
  'cost_usd',
  'duration_ms',
] as const;

function toOutcome(
  r: Pick<Selectable<ProposalsTable>, (typeof OUTCOME_COLUMNS)[number]>,
): ProposalOutcome {
  return {
    id: r.id,
    model: r.model,
    task: r.task,
    ruleId: r.rule_id,
    file: r.file,
    line: r.line,
    column: r.column,
    contentHash: r.content_hash,
    title: r.title,
    status: r.status as ProposalRecord['status'],
    gate: r.gate ?? undefined,
    reason: r.reason ?? undefined,
    commit: r.commit_sha ?? undefined,
    costUsd: r.cost_usd ?? undefined,
    durationMs: r.duration_ms,
  };
}

/**
 * The outcomes of one run's proposals, without their evidence: an evidence record (edits, checks
 * and their output, metrics) can be large, and lists of changes never read it.
 */
export async function listProposalOutcomes(
  store: Store,
  runId: number,
): Promise<ProposalOutcome[]> {
  const rows = await store.db
    .selectFrom('proposals')
    .select(OUTCOME_COLUMNS)
    .where('run_id', '=', runId)
    .orderBy('id')
    .execute();
  return rows.map(toOutcome);
}

/** The evidence records of one run's proposals. */
export async function listProposals(
  store: Store,
  runId: number,
): Promise<(ProposalRecord & { id: number })[]> {
  const rows = await store.db
    .selectFrom('proposals')
    .select([...OUTCOME_COLUMNS, 'evidence'])
    .where('run_id', '=', runId)
    .orderBy('id')
    .execute();
  return rows.map((r) => ({ ...toOutcome(r), evidence: JSON.parse(r.evidence) as unknown }));
}
