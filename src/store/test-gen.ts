import type { Selectable } from 'kysely';
import { redactOptional, redactSecrets } from '../core/index.js';
import type { Store } from './db.js';
import type { TestGenRunsTable } from './schema.js';
import { ensureRepository } from './scans.js';

/** Covered and total of one coverage measure (as the gate's `CoverageCounts`). */
export interface StoredCoverageCounts {
  covered: number;
  total: number;
}

/** A suite's coverage totals (as the gate's `CoverageTotals`). */
export interface StoredCoverageTotals {
  statements: StoredCoverageCounts;
  branches: StoredCoverageCounts;
  functions: StoredCoverageCounts;
  lines: StoredCoverageCounts;
}

/** One `beast tests` run, as the pipeline records it. */
export interface TestGenRunRecord {
  /** The repository's root (its real path). */
  root: string;
  startedAt: string;
  durationMs: number;
  /** `delivered`, `dry-run`, `nothing-kept` or `not-run`. */
  status: string;
  reason: string | undefined;
  branch: string | undefined;
  baseCommit: string;
  headCommit: string | undefined;
  /** The runner and how coverage was measured. */
  runner: string;
  coverageBefore: StoredCoverageTotals;
  coverageAfter: StoredCoverageTotals;
  /** Test cases that reached each stage of the gate (`generated` … `kept`). */
  funnel: Record<string, number>;
  filesKept: number;
  /** The run's report; generated files' contents are left out before it is stored. */
  report: unknown;
}

/** A stored run without its report, newest first in `listTestGenRuns`. */
export type TestGenRunSummary = Omit<TestGenRunRecord, 'root' | 'report'> & { id: number };

/** A stored run with its report. */
export type TestGenRunDetail = TestGenRunSummary & { report: unknown };

/**
 * Drops `content` from the report's verdicts: the kept files are in the branch's commits, and a
 * rejected file's text is not worth a row (nor a place for a key a model wrote into a test).
 */
function withoutContents(report: unknown): unknown {
  if (typeof report !== 'object' || report === null || !('verdicts' in report)) return report;
  const verdicts = (report as { verdicts: unknown }).verdicts;
  if (!Array.isArray(verdicts)) return report;
  return {
    ...report,
    verdicts: verdicts.map((v: unknown) => {
      if (typeof v !== 'object' || v === null) return v;
      const { content: _content, ...rest } = v as Record<string, unknown>;
      void _content;
      return rest;
    }),
  };
}

/** Records one `beast tests` run; returns its id. Keys are scrubbed from the report and reason. */
export async function recordTestGenRun(store: Store, run: TestGenRunRecord): Promise<number> {
  return store.db.transaction().execute(async (trx) => {
    const repositoryId = await ensureRepository(trx, run.root);
    const { id } = await trx
      .insertInto('test_gen_runs')
      .values({
        repository_id: repositoryId,
        started_at: run.startedAt,
        duration_ms: Math.round(run.durationMs),
        status: run.status,
        reason: redactOptional(run.reason) ?? null,
        branch: run.branch ?? null,
        base_commit: run.baseCommit,
        head_commit: run.headCommit ?? null,
        runner: run.runner,
        coverage_before: JSON.stringify(run.coverageBefore),
        coverage_after: JSON.stringify(run.coverageAfter),
        funnel: JSON.stringify(run.funnel),
        files_kept: run.filesKept,
        report: redactSecrets(JSON.stringify(withoutContents(run.report))),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return id;
  });
}

const SUMMARY_COLUMNS = [
  'test_gen_runs.id',
  'test_gen_runs.started_at',
  'test_gen_runs.duration_ms',
  'test_gen_runs.status',
  'test_gen_runs.reason',
  'test_gen_runs.branch',
  'test_gen_runs.base_commit',
  'test_gen_runs.head_commit',
  'test_gen_runs.runner',
  'test_gen_runs.coverage_before',
  'test_gen_runs.coverage_after',
  'test_gen_runs.funnel',
  'test_gen_runs.files_kept',
] as const;

type SummaryRow = Omit<Selectable<TestGenRunsTable>, 'repository_id' | 'report'>;

function toSummary(r: SummaryRow): TestGenRunSummary {
  return {
    id: r.id,
    startedAt: r.started_at,
    durationMs: r.duration_ms,
    status: r.status,
    reason: r.reason ?? undefined,
    branch: r.branch ?? undefined,
    baseCommit: r.base_commit,
    headCommit: r.head_commit ?? undefined,
    runner: r.runner,
    coverageBefore: JSON.parse(r.coverage_before) as StoredCoverageTotals,
    coverageAfter: JSON.parse(r.coverage_after) as StoredCoverageTotals,
    funnel: JSON.parse(r.funnel) as Record<string, number>,
    filesKept: r.files_kept,
  };
}

/** The runs of the repository at `root`, newest first, without their reports. */
export async function listTestGenRuns(
  store: Store,
  root: string,
  limit = 10,
): Promise<TestGenRunSummary[]> {
  const rows = await store.db
    .selectFrom('test_gen_runs')
    .innerJoin('repositories', 'repositories.id', 'test_gen_runs.repository_id')
    .select(SUMMARY_COLUMNS)
    .where('repositories.root', '=', root)
    .orderBy('test_gen_runs.started_at', 'desc')
    .orderBy('test_gen_runs.id', 'desc')
    .limit(limit)
    .execute();
  return rows.map(toSummary);
}

/**
 * The newest run of the repository at `root` that measured coverage (not a `not-run` one, whose
 * totals are empty); undefined when there is none.
 */
export async function latestTestGenRun(
  store: Store,
  root: string,
): Promise<TestGenRunSummary | undefined> {
  const row = await store.db
    .selectFrom('test_gen_runs')
    .innerJoin('repositories', 'repositories.id', 'test_gen_runs.repository_id')
    .select(SUMMARY_COLUMNS)
    .where('repositories.root', '=', root)
    .where('test_gen_runs.status', '!=', 'not-run')
    .orderBy('test_gen_runs.started_at', 'desc')
    .orderBy('test_gen_runs.id', 'desc')
    .executeTakeFirst();
  return row ? toSummary(row) : undefined;
}

/** One run with its report; undefined when there is none with this id. */
export async function getTestGenRun(
  store: Store,
  id: number,
): Promise<TestGenRunDetail | undefined> {
  const row = await store.db
    .selectFrom('test_gen_runs')
    .select([...SUMMARY_COLUMNS, 'test_gen_runs.report'])
    .where('test_gen_runs.id', '=', id)
    .executeTakeFirst();
  return row ? { ...toSummary(row), report: JSON.parse(row.report) as unknown } : undefined;
}
