import { git } from '../../fixes/index.js';
import type {
  ChangeOutcome,
  ImproveEvent,
  ImproveOptions,
  ImproveReport,
} from '../improve/index.js';
import { improveRepository } from '../run.js';
import { runScan } from '../run-scan.js';
import {
  generateRepositoryTests,
  resolveTestGenOptions,
  type TestGenOptions,
} from '../testgen/index.js';
import {
  findRegisteredRepository,
  type JobKind,
  type JobRecord,
  type Store,
} from '../../store/index.js';
import type { JobHandler } from './runner.js';

/** Options of an improve job, as the API accepts them. */
export interface ImproveJobOptions {
  /** The task kind (`fix` by default, `refactor`, ...), as the CLI's --task. */
  kind?: string;
  dryRun?: boolean;
  maxChanges?: number;
  rules?: string[];
  batchSize?: number;
  allowUnvalidated?: boolean;
  /** Also fix findings in test code (off by default, as in the CLI's --include-tests). */
  includeTests?: boolean;
}

export interface RefactorParams {
  file: string;
  rule?: string;
  apply?: boolean;
}

/** What the API's test-generation job is asked for; absent fields take `beast tests`' defaults. */
export interface TestsJobParams {
  /** Source files or folders, root-relative; the least-covered files when both lists are empty. */
  paths?: string[];
  /** The same (as the CLI's --files). */
  files?: string[];
  target?: number;
  models?: string[];
  maxFiles?: number;
  attempts?: number;
  dryRun?: boolean;
}

/**
 * A test-generation job's params as the run's options, with the CLI's defaults and checks; the
 * one place a tests job's run is shaped.
 */
export function testsJobOptions(params: TestsJobParams): TestGenOptions {
  return resolveTestGenOptions({
    paths: [...new Set([...(params.paths ?? []), ...(params.files ?? [])])],
    target: params.target,
    models: params.models ?? [],
    maxFiles: params.maxFiles,
    attempts: params.attempts,
    dryRun: params.dryRun ?? false,
  });
}

/** Environment variables, for the API keys configured models name. */
type Env = Readonly<Record<string, string | undefined>>;

/** A change as the API lists it (the server's `Change` schema). */
export interface ListedChange {
  ruleId: string;
  file: string;
  line: number;
  model: string;
  status: string;
  gate: string | null;
  reason: string | null;
}

/** A change as the API lists it, from a run's report or a stored proposal alike. */
export function listedChange(c: {
  ruleId: string;
  file: string;
  line: number;
  model: string;
  status: string;
  gate?: string | undefined;
  reason?: string | undefined;
}): ListedChange {
  return {
    ruleId: c.ruleId,
    file: c.file,
    line: c.line,
    model: c.model,
    status: c.status,
    gate: c.gate ?? null,
    reason: c.reason ?? null,
  };
}

/** A change of a run's report as the API lists it. */
function changeSummary(c: ChangeOutcome): ListedChange {
  return listedChange({
    ...c,
    ruleId: c.finding.ruleId,
    file: c.finding.file,
    line: c.finding.location.line,
  });
}

function improveEventData(event: ImproveEvent): unknown {
  return event.type === 'phase'
    ? { type: 'phase', phase: event.phase, message: event.message }
    : { type: 'change', change: changeSummary(event.change) };
}

function reportSummary(report: ImproveReport) {
  return {
    kind: report.kind,
    status: report.status,
    branch: report.branch ?? null,
    base: report.base,
    dryRun: report.dryRun,
    before: report.before,
    after: report.after,
    findingsFixed: report.findingsFixed,
    accepted: report.changes.filter((c) => c.status === 'accepted').length,
    withheld: report.changes.filter((c) => c.status === 'withheld').length,
    rejected: report.changes.filter((c) => c.status === 'rejected').length,
    afterBasis: report.afterBasis,
    outcomes: report.outcomes,
    validations: report.validations,
    checks: report.checks,
    changes: report.changes.map(changeSummary),
    warnings: report.warnings,
  };
}

/**
 * A refactor as a run's options: the refactor task kind, one accepted change at most, to one file,
 * of one rule if named (else of the restructuring findings the kind works on), kept on a branch
 * only when asked. The one place a refactor job's run is shaped.
 */
export function refactorOptions(params: RefactorParams): ImproveOptions {
  return {
    kind: 'refactor',
    files: [params.file],
    maxChanges: 1,
    dryRun: params.apply !== true,
    ...(params.rule !== undefined ? { rules: [params.rule] } : {}),
  };
}

/** The handlers of the job kinds, over one store; the server queues jobs, these run them. */
export function createJobHandlers(
  store: Store,
  stateDir: string,
  env: Env,
): Record<JobKind, JobHandler> {
  const rootOf = async (job: JobRecord): Promise<string> => {
    const repo =
      job.repoId === null ? undefined : await findRegisteredRepository(store, { id: job.repoId });
    if (!repo) throw new Error(`repository ${job.repoId ?? '?'} is no longer registered`);
    return repo.root;
  };
  const improve = async (
    job: JobRecord,
    progress: (data: unknown) => void,
    options: ImproveOptions,
  ): Promise<ImproveReport> =>
    improveRepository(
      {
        root: await rootOf(job),
        env,
        stateDir,
        store,
        runId: `job-${job.id}`,
        onEvent: (e) => progress(improveEventData(e)),
      },
      options,
    );

  return {
    async scan(job, progress) {
      const { report, scanId } = await runScan(await rootOf(job), {
        store,
        onProgress: (p) => progress({ type: 'files', done: p.done, total: p.total }),
      });
      return {
        scanId: scanId ?? null,
        score: report.score.score,
        grade: report.score.grade,
        files: report.summary.files,
        findings: report.summary.findings,
      };
    },
    async improve(job, progress) {
      const options = (job.params as { options?: ImproveJobOptions }).options ?? {};
      return reportSummary(await improve(job, progress, options));
    },
    async refactor(job, progress) {
      const params = job.params as RefactorParams;
      const report = await improve(job, progress, refactorOptions(params));
      const change = report.changes.find((c) => c.status === 'accepted') ?? report.changes[0];
      let diff = report.diff ?? null;
      if (diff === null && report.branch !== undefined) {
        const run = await git(await rootOf(job), [
          'diff',
          '--no-color',
          `${report.base}..${report.branch}`,
        ]);
        diff = run.stdout;
      }
      return {
        status: report.status,
        branch: report.dryRun ? null : (report.branch ?? null),
        diff,
        change: change ?? null,
        checks: report.checks,
        before: report.before,
        after: report.after,
      };
    },
    async tests(job, progress) {
      // The run records itself in the store, as `beast tests` does; the job's result is its report.
      return generateRepositoryTests(
        await rootOf(job),
        testsJobOptions((job.params ?? {}) as TestsJobParams),
        {
          env,
          stateDir,
          store,
          runId: `job-${job.id}`,
          onProgress: (line) => progress({ type: 'phase', phase: 'tests', message: line }),
        },
      );
    },
  };
}
