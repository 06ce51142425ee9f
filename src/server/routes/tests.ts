import { realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { createRoute, z } from '@hono/zod-openapi';
import { isPathInside } from '../../core/index.js';
import {
  getTestGenRun,
  latestTestGenRun,
  listTestGenRuns,
  type TestGenRunDetail,
  type TestGenRunSummary,
} from '../../store/index.js';
import type { ApiApp, AppDeps } from '../app.js';
import { ApiError, notFound } from '../errors.js';
import { resolveRepository } from '../paths.js';
import {
  ErrorSchema,
  ERRORS,
  IdParams,
  JobResponse,
  json,
  jsonBody,
  NOT_FOUND,
  RepoRef,
} from '../schemas.js';

/* Test generation (issue 15): a job that writes tests, and the runs it recorded. */

/** `provider:model`, `custom:<name>`, `builtin:testgen`. */
const MODEL_ID = /^[A-Za-z0-9_.-]+:\S+$/;

const RelativePath = z.string().min(1).max(4096);

const GenerateBody = z
  .object({
    repo: RepoRef,
    paths: z
      .array(RelativePath)
      .max(200)
      .optional()
      .openapi({ description: 'source files or folders to test, relative to the repository' }),
    files: z.array(RelativePath).max(200).optional().openapi({
      description: "source files to test, relative to the repository (the CLI's --files)",
    }),
    target: z
      .number()
      .min(0, 'a line coverage fraction from 0 to 1 (0.8 for 80%)')
      .max(1, 'a line coverage fraction from 0 to 1 (0.8 for 80%)')
      .optional()
      .openapi({
        description: 'line coverage to aim for per file; files at or above it are left alone (0.8)',
      }),
    models: z
      .array(
        z.string().max(200).regex(MODEL_ID, 'a model id (`builtin:testgen`, `provider:model`)'),
      )
      .max(20)
      .optional()
      .openapi({ description: "models to use, in order; the router's choice when absent" }),
    maxFiles: z.number().int().min(1).max(1000).optional(),
    attempts: z
      .number()
      .int()
      .min(1)
      .max(10)
      .optional()
      .openapi({ description: 'attempts per file for a model that repairs (an LLM)' }),
    dryRun: z.boolean().optional().openapi({
      description: 'gate the tests but commit nothing: the result says what would be kept',
    }),
  })
  .strict();

const generateRoute = createRoute({
  method: 'post',
  path: '/api/codebase/tests/generate',
  summary:
    "Queue a test-generation run: coverage measured with the repository's runner, tests written for the least-covered (or the named) files, kept only when they pass the test gate, committed to a new branch unless `dryRun`; the job's result is the run's report",
  request: { body: jsonBody(GenerateBody) },
  responses: { 202: json(JobResponse, 'Queued'), ...ERRORS, ...NOT_FOUND },
});

/**
 * `input` inside `root` as a `/`-separated relative path: 400 (naming `field`) when it is absolute,
 * leaves the repository (literally or through a symlink), or is neither a file nor a folder.
 */
async function resolveInside(root: string, input: string, field: string): Promise<string> {
  const fail = (why: string): ApiError => new ApiError(400, 'validation', `${field}: ${why}`);
  if (path.isAbsolute(input)) throw fail(`must be relative to the repository, got ${input}`);
  const target = path.resolve(root, input);
  if (!isPathInside(root, target)) throw fail(`${input} is outside the repository`);
  const real = await realpath(target).catch(() => undefined);
  if (real === undefined) throw fail(`${input} does not exist`);
  if (!isPathInside(root, real)) throw fail(`${input} resolves outside the repository (symlink)`);
  const info = await stat(real);
  if (!info.isFile() && !info.isDirectory()) throw fail(`${input} is not a file or folder`);
  return path.relative(root, real).split(path.sep).join('/') || '.';
}

export function registerTestRoutes(app: ApiApp, deps: AppDeps): void {
  app.openapi(generateRoute, async (c) => {
    const { repo: ref, paths, files, ...rest } = c.req.valid('json');
    const repo = await resolveRepository(deps.store, ref);
    const resolve = async (list: string[] | undefined, field: string) =>
      list === undefined
        ? undefined
        : Promise.all(list.map((p, i) => resolveInside(repo.root, p, `${field}.${i}`)));
    const params = {
      ...rest,
      ...(paths === undefined ? {} : { paths: await resolve(paths, 'paths') }),
      ...(files === undefined ? {} : { files: await resolve(files, 'files') }),
    };
    const job = await deps.runner.enqueue({ kind: 'tests', repoId: repo.id, params });
    return c.json({ job }, 202);
  });
  registerRunRoutes(app, deps);
}

const CountsSchema = z.object({ covered: z.number(), total: z.number() });

const TotalsSchema = z
  .object({
    statements: CountsSchema,
    branches: CountsSchema,
    functions: CountsSchema,
    lines: CountsSchema,
  })
  .openapi('CoverageTotals');

const FileCoverageSchema = TotalsSchema.extend({
  file: z.string(),
  uncoveredLines: z.array(z.number()).optional(),
  uncoveredFunctions: z.array(z.object({ name: z.string(), line: z.number() })).optional(),
  uncoveredBranches: z
    .array(z.object({ line: z.number(), type: z.string(), arm: z.number() }))
    .optional(),
}).openapi('FileCoverage');

/** Test cases that reached each stage of the test gate (`FUNNEL_STAGES` of the pipeline). */
const FunnelSchema = z
  .object({
    generated: z.number(),
    built: z.number(),
    passed: z.number(),
    stable: z.number(),
    useful: z.number(),
    kept: z.number(),
  })
  .openapi('TestFunnel');

const TestRunSchema = z
  .object({
    id: z.number(),
    startedAt: z.string(),
    durationMs: z.number(),
    status: z
      .string()
      .openapi({ description: '`delivered`, `dry-run`, `nothing-kept` or `not-run`' }),
    reason: z.string().nullable().openapi({ description: 'why nothing ran, when `not-run`' }),
    branch: z.string().nullable(),
    baseCommit: z.string(),
    headCommit: z.string().nullable(),
    runner: z.string(),
    coverageBefore: TotalsSchema,
    coverageAfter: TotalsSchema,
    funnel: FunnelSchema,
    filesKept: z.number(),
  })
  .openapi('TestGenerationRun');

const VerdictSchema = z
  .object({
    file: z.string(),
    target: z.string(),
    model: z.string(),
    attempt: z.number(),
    kept: z.boolean(),
    stage: z.string(),
    reason: z.string().nullable(),
    funnel: FunnelSchema,
    before: FileCoverageSchema.nullable(),
    after: FileCoverageSchema.nullable(),
    mutants: z.object({ tried: z.number(), killedOnlyByNew: z.number() }),
  })
  .openapi('TestVerdict');

/** What the run detail reads of a stored report; a field it lacks reads as empty. */
const StoredReport = z.object({
  coverageHow: z.string().catch(''),
  files: z
    .array(
      z.object({
        file: z.string(),
        before: FileCoverageSchema.nullish().transform((v) => v ?? null),
        after: FileCoverageSchema.nullish().transform((v) => v ?? null),
      }),
    )
    .catch([]),
  verdicts: z
    .array(
      VerdictSchema.extend({
        reason: z
          .string()
          .nullish()
          .transform((v) => v ?? null),
        before: FileCoverageSchema.nullish().transform((v) => v ?? null),
        after: FileCoverageSchema.nullish().transform((v) => v ?? null),
      }),
    )
    .catch([]),
  skipped: z.array(z.string()).catch([]),
  warnings: z.array(z.string()).catch([]),
});

const TestRunDetailSchema = TestRunSchema.extend({
  coverageHow: z.string(),
  files: z.array(
    z.object({
      file: z.string(),
      before: FileCoverageSchema.nullable(),
      after: FileCoverageSchema.nullable(),
    }),
  ),
  verdicts: z.array(VerdictSchema),
  skipped: z.array(z.string()),
  warnings: z.array(z.string()),
}).openapi('TestGenerationRunDetail');

const RepoQuery = z
  .string()
  .min(1)
  .max(4096)
  .optional()
  .openapi({ description: 'registered repository id, or its absolute path' });

const runsRoute = createRoute({
  method: 'get',
  path: '/api/codebase/tests/runs',
  summary:
    "A repository's test-generation runs, newest first, with coverage before and after and the funnel; `latest` is the newest that measured coverage",
  request: {
    query: z.object({
      repo: RepoQuery,
      repository: RepoQuery.openapi({ description: 'the same as `repo`' }),
      limit: z.coerce.number().int().min(1).max(100).default(20),
    }),
  },
  responses: {
    200: json(
      z.object({
        repo: z.object({ id: z.number(), name: z.string() }),
        latest: TestRunSchema.nullable(),
        runs: z.array(TestRunSchema),
      }),
      'Runs',
    ),
    ...ERRORS,
    ...NOT_FOUND,
  },
});

const runRoute = createRoute({
  method: 'get',
  path: '/api/codebase/tests/runs/{id}',
  summary:
    "One test-generation run: its coverage before and after, per file too, the funnel, and the gate's verdict on each generated test file with its reason",
  request: { params: IdParams },
  responses: {
    200: json(z.object({ run: TestRunDetailSchema }), 'The run'),
    ...ERRORS,
    404: json(ErrorSchema, 'Unknown run'),
  },
});

/** A stored run as the API lists it: absent values are null. */
function listed(run: TestGenRunSummary): z.infer<typeof TestRunSchema> {
  return {
    ...run,
    reason: run.reason ?? null,
    branch: run.branch ?? null,
    headCommit: run.headCommit ?? null,
    funnel: FunnelSchema.parse(run.funnel),
  };
}

/** A stored run with what its report says of files, verdicts and checks not run. */
function detailed({ report, ...summary }: TestGenRunDetail): z.infer<typeof TestRunDetailSchema> {
  return { ...listed(summary), ...StoredReport.parse(report ?? {}) };
}

function registerRunRoutes(app: ApiApp, deps: AppDeps): void {
  app.openapi(runsRoute, async (c) => {
    const { repo: byRepo, repository, limit } = c.req.valid('query');
    const ref = byRepo ?? repository;
    if (ref === undefined) throw new ApiError(400, 'validation', 'repo: required');
    const repo = await resolveRepository(deps.store, /^\d+$/.test(ref) ? Number(ref) : ref);
    const [runs, latest] = await Promise.all([
      listTestGenRuns(deps.store, repo.root, limit),
      latestTestGenRun(deps.store, repo.root),
    ]);
    return c.json(
      {
        repo: { id: repo.id, name: repo.name },
        latest: latest ? listed(latest) : null,
        runs: runs.map(listed),
      },
      200,
    );
  });

  app.openapi(runRoute, async (c) => {
    const id = c.req.valid('param').id;
    const run = await getTestGenRun(deps.store, id);
    if (!run) throw notFound(`test-generation run ${id} does not exist`);
    return c.json({ run: detailed(run) }, 200);
  });
}
