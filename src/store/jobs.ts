import type { Selectable } from 'kysely';
import { redactSecrets } from '../core/index.js';
import type { Store } from './db.js';
import type { JobsTable } from './schema.js';

export const JOB_KINDS = ['scan', 'improve', 'refactor', 'tests'] as const;
export type JobKind = (typeof JOB_KINDS)[number];

export const JOB_STATUSES = [
  'queued',
  'running',
  'succeeded',
  'failed',
  'interrupted',
  'cancelled',
] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];

/** Statuses a job never leaves. */
export const FINAL_STATUSES: ReadonlySet<JobStatus> = new Set([
  'succeeded',
  'failed',
  'interrupted',
  'cancelled',
]);

/** A job of the API's persistent queue. */
export interface JobRecord {
  id: number;
  kind: JobKind;
  repoId: number | null;
  status: JobStatus;
  params: unknown;
  progress: unknown;
  result: unknown;
  error: string | null;
  attempts: number;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
}

function parseJson(text: string | null): unknown {
  return text === null ? null : (JSON.parse(text) as unknown);
}

function toJob(row: Selectable<JobsTable>): JobRecord {
  return {
    id: row.id,
    kind: row.kind as JobKind,
    repoId: row.repository_id,
    status: row.status as JobStatus,
    params: parseJson(row.params),
    progress: parseJson(row.progress),
    result: parseJson(row.result),
    error: row.error,
    attempts: row.attempts,
    createdAt: row.created_at,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
  };
}

/** Queues a job; returns it as stored. */
export async function createJob(
  store: Store,
  job: { kind: JobKind; repoId: number | null; params: unknown },
): Promise<JobRecord> {
  const row = await store.db
    .insertInto('jobs')
    .values({
      kind: job.kind,
      repository_id: job.repoId,
      status: 'queued',
      params: JSON.stringify(job.params),
      created_at: new Date().toISOString(),
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return toJob(row);
}

export async function getJob(store: Store, id: number): Promise<JobRecord | undefined> {
  const row = await store.db.selectFrom('jobs').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? toJob(row) : undefined;
}

/** Jobs newest first, of one repository when `repoId` is given. */
export async function listJobs(
  store: Store,
  options: { repoId?: number; limit: number },
): Promise<JobRecord[]> {
  let query = store.db.selectFrom('jobs').selectAll().orderBy('id', 'desc').limit(options.limit);
  if (options.repoId !== undefined) query = query.where('repository_id', '=', options.repoId);
  return (await query.execute()).map(toJob);
}

/** How many jobs are in each status (statuses without jobs are absent). */
export async function countJobs(store: Store): Promise<Partial<Record<JobStatus, number>>> {
  const rows = await store.db
    .selectFrom('jobs')
    .select(({ fn }) => ['status', fn.countAll<number | string>().as('n')])
    .groupBy('status')
    .execute();
  return Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
}

/**
 * Takes the oldest queued job for `owner`, marking it running, in one transaction so two runners
 * never take the same job; undefined when none is queued.
 */
export async function claimNextJob(store: Store, owner: string): Promise<JobRecord | undefined> {
  return store.db.transaction().execute(async (trx) => {
    const next = await trx
      .selectFrom('jobs')
      .select(['id', 'attempts'])
      .where('status', '=', 'queued')
      .orderBy('id')
      .limit(1)
      .executeTakeFirst();
    if (!next) return undefined;
    const row = await trx
      .updateTable('jobs')
      .set({
        status: 'running',
        owner,
        attempts: next.attempts + 1,
        started_at: new Date().toISOString(),
      })
      .where('id', '=', next.id)
      .returningAll()
      .executeTakeFirstOrThrow();
    return toJob(row);
  });
}

/** Saves the latest progress event of a running job. */
export async function setJobProgress(store: Store, id: number, progress: unknown): Promise<void> {
  await store.db
    .updateTable('jobs')
    .set({ progress: redactSecrets(JSON.stringify(progress)) })
    .where('id', '=', id)
    .execute();
}

/**
 * Ends a job `owner` is running. A job that is no longer running under `owner` (it was marked
 * interrupted meanwhile) keeps its status: returns undefined then.
 */
export async function finishJob(
  store: Store,
  id: number,
  owner: string,
  outcome: { status: 'succeeded'; result: unknown } | { status: 'failed'; error: string },
): Promise<JobRecord | undefined> {
  const row = await store.db
    .updateTable('jobs')
    .set({
      status: outcome.status,
      // A job's result and error carry proposal text and provider messages: scrubbed like the
      // other tables (see redactSecrets).
      result: outcome.status === 'succeeded' ? redactSecrets(JSON.stringify(outcome.result)) : null,
      error: outcome.status === 'failed' ? redactSecrets(outcome.error) : null,
      finished_at: new Date().toISOString(),
    })
    .where('id', '=', id)
    .where('status', '=', 'running')
    .where('owner', '=', owner)
    .returningAll()
    .executeTakeFirst();
  return row ? toJob(row) : undefined;
}

/**
 * Marks running jobs interrupted: those of `owner` (a server shutting down), or with
 * `{ except: owner }` those of every other instance (a server starting after a crash).
 *
 * @returns the ids of the jobs marked.
 */
export async function interruptJobs(
  store: Store,
  who: { owner: string } | { except: string },
  reason: string,
): Promise<number[]> {
  let query = store.db
    .updateTable('jobs')
    .set({ status: 'interrupted', error: reason, finished_at: new Date().toISOString() })
    .where('status', '=', 'running');
  query =
    'owner' in who
      ? query.where('owner', '=', who.owner)
      : query.where((eb) => eb.or([eb('owner', '!=', who.except), eb('owner', 'is', null)]));
  const rows = await query.returning('id').execute();
  return rows.map((r) => r.id);
}
