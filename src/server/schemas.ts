import { z } from '@hono/zod-openapi';
import { taskKindNames } from '../pipeline/index.js';
import { JOB_KINDS, JOB_STATUSES } from '../store/index.js';

/* The request and response shapes of the API; the OpenAPI document is generated from these. */

const GRADES = ['A', 'B', 'C', 'D', 'E'] as const;

export const ErrorSchema = z
  .object({ error: z.object({ code: z.string(), message: z.string() }) })
  .openapi('Error');

export const json = <T extends z.ZodType>(schema: T, description: string) => ({
  description,
  content: { 'application/json': { schema } },
});

const error = (description: string) => json(ErrorSchema, description);

/** Error responses every authenticated route may give. */
export const ERRORS = {
  400: error('Invalid request: the message names the offending field'),
  401: error('Missing or wrong bearer token'),
  413: error('Request body larger than the limit'),
} as const;
export const NOT_FOUND = { 404: error('Unknown or unregistered repository or job') } as const;

export const jsonBody = <T extends z.ZodType>(schema: T) => ({
  required: true,
  content: { 'application/json': { schema } },
});

export const IdParams = z.object({
  id: z.coerce
    .number()
    .int()
    .positive()
    .openapi({ param: { name: 'id', in: 'path' }, example: 1 }),
});

/** A registered repository, by id or by its path. */
export const RepoRef = z
  .union([z.number().int().positive(), z.string().min(1).max(4096)], {
    error: 'expected a registered repository id (a positive whole number) or its absolute path',
  })
  .openapi({ description: 'registered repository id, or its absolute path' });

export const RepoSchema = z
  .object({ id: z.number(), name: z.string(), root: z.string(), registeredAt: z.string() })
  .openapi('Repository');

export const TrendPointSchema = z
  .object({ scanId: z.number(), at: z.string(), score: z.number(), grade: z.enum(GRADES) })
  .openapi('TrendPoint');

export const ScanDigestSchema = z
  .object({
    scanId: z.number(),
    score: z.number(),
    grade: z.enum(GRADES),
    at: z.string(),
    files: z.number(),
    findings: z.number(),
  })
  .openapi('ScanDigest');

export const RepoListItemSchema = RepoSchema.extend({
  latest: ScanDigestSchema.nullable(),
  trend: z.array(TrendPointSchema),
}).openapi('RepositoryListItem');

export const RepoDetailSchema = z
  .object({
    repo: RepoSchema,
    latest: z
      .object({
        scanId: z.number(),
        score: z.number(),
        grade: z.enum(GRADES),
        at: z.string(),
        components: z.record(z.string(), z.number()),
        findingsByCategory: z.record(z.string(), z.number()),
        findingsBySeverity: z.record(z.string(), z.number()),
        topFindings: z.array(
          z.object({
            ruleId: z.string(),
            severity: z.string(),
            file: z.string(),
            line: z.number(),
            message: z.string(),
            /** Set when the scan was compared with a baseline file. */
            baselineState: z.enum(['new', 'unchanged']).optional(),
          }),
        ),
      })
      .nullable(),
    hotspots: z.array(
      z.object({
        path: z.string(),
        commits: z.number(),
        complexity: z.number(),
        score: z.number(),
      }),
    ),
    hotspotsUnavailable: z.string().nullable().openapi({
      description:
        'Why hotspots were not computed (a shallow clone has no history to count changes in); null when they were',
    }),
    trend: z.array(TrendPointSchema),
  })
  .openapi('RepositoryDetail');

export const ChangeSchema = z
  .object({
    ruleId: z.string(),
    file: z.string(),
    line: z.number(),
    model: z.string(),
    status: z.string(),
    gate: z.string().nullable(),
    reason: z.string().nullable(),
  })
  .openapi('Change');

export { listedChange } from '../pipeline/index.js';

export const ImproveRunSchema = z
  .object({
    id: z.number(),
    startedAt: z.string(),
    status: z.string(),
    branch: z.string().nullable(),
    scoreBefore: z.number(),
    scoreAfter: z.number(),
    accepted: z.number(),
    rejected: z.number(),
    validations: z.number(),
    changes: z.array(ChangeSchema),
  })
  .openapi('ImproveRun');

export const JobSchema = z
  .object({
    id: z.number(),
    kind: z.enum(JOB_KINDS),
    repoId: z.number().nullable(),
    status: z.enum(JOB_STATUSES),
    params: z.unknown(),
    progress: z.unknown(),
    result: z.unknown(),
    error: z.string().nullable(),
    attempts: z.number(),
    createdAt: z.string(),
    startedAt: z.string().nullable(),
    finishedAt: z.string().nullable(),
  })
  .openapi('Job');

export const JobResponse = z.object({ job: JobSchema });

export const ImproveOptionsSchema = z
  .object({
    kind: z
      .enum(taskKindNames() as [string, ...string[]])
      .optional()
      .openapi({ description: "the task kind, as the CLI's --task (default fix)" }),
    dryRun: z.boolean().optional(),
    maxChanges: z.number().int().min(1).max(10_000).optional(),
    rules: z
      .array(z.string().regex(/^[a-z0-9-]+$/, 'a rule id (lowercase letters, digits, dashes)'))
      .max(200)
      .optional(),
    batchSize: z.number().int().min(1).max(1024).optional(),
    allowUnvalidated: z.boolean().optional(),
    includeTests: z.boolean().optional(),
  })
  .strict()
  .openapi('ImproveOptions');

export const QualitySchema = z
  .object({
    quality: z.number().min(0).max(1),
    grade: z.enum(GRADES),
    confidence: z.number().min(0).max(1),
    factors: z.record(z.string(), z.object({ value: z.number(), importance: z.number() })),
    recommendations: z.array(
      z.object({ factor: z.string(), gain: z.number(), message: z.string() }),
    ),
    scanId: z.number(),
    defectRiskRanking: z
      .object({
        version: z.number(),
        ranking: z.enum(['model', 'churn-complexity', 'logistic-added']),
        reason: z.string(),
        auc: z.object({
          model: z.number().optional(),
          churnComplexity: z.number().optional(),
          logisticAdded: z.number().optional(),
        }),
      })
      .nullable()
      .openapi({
        description:
          'Which ranking the defect-risk model uses (whichever measured best on the most recent closed window) and why, with every test-window AUC; null when none ranks the files',
      }),
  })
  .openapi('QualityReport');
