import { z } from '@hono/zod-openapi';
import { CATEGORIES, FILE_KINDS, SEVERITIES } from '../core/index.js';
import { FULL_COMMIT_ID } from './git-read.js';

/* Shapes of the dashboard's workbench: the findings browser, the code view and a run's diffs. */

export const BASELINE_STATES = ['new', 'unchanged'] as const;
export const FINDING_ORDERS = ['value', 'severity', 'file'] as const;

const query = (description: string) => ({ param: { in: 'query' as const }, description });

/** A path relative to the repository: no `..` segment, not absolute, no backslash or NUL. */
export const RepoPath = z
  .string()
  .min(1)
  .max(4096)
  .refine(
    (p) =>
      !p.startsWith('/') &&
      !/^[a-zA-Z]:/.test(p) &&
      !p.includes('\\') &&
      !p.includes('\0') &&
      !p.split('/').some((s) => s === '..' || s === '.' || s === ''),
    { message: 'must be a /-separated path relative to the repository, without . or .. segments' },
  );

const ScanId = z.coerce.number().int().positive();

export const FindingsQuery = z
  .object({
    scan: ScanId.optional().openapi(query('scan id; default the newest full scan')),
    rule: z
      .string()
      .regex(/^[a-z0-9-]+$/, 'a rule id (lowercase letters, digits, dashes)')
      .max(100)
      .optional()
      .openapi(query('only this rule')),
    severity: z.enum(SEVERITIES).optional().openapi(query('only this severity')),
    category: z.enum(CATEGORIES).optional().openapi(query('only this category')),
    kind: z
      .enum(FILE_KINDS)
      .optional()
      .openapi(query('only files of this kind: source, test, bench or fixture')),
    baseline: z
      .enum(BASELINE_STATES)
      .optional()
      .openapi(query('only findings new against the baseline, or only those it already had')),
    file: z.string().min(1).max(1000).optional().openapi(query('paths containing this text')),
    prefix: z.string().min(1).max(1000).optional().openapi(query('paths starting with this')),
    order: z
      .enum(FINDING_ORDERS)
      .default('value')
      .openapi(
        query(
          "value (severity weight x (1 + the file's hotspot risk); the default), severity or file",
        ),
      ),
    limit: z.coerce.number().int().min(1).max(500).default(50).openapi(query('page size')),
    offset: z.coerce.number().int().min(0).default(0).openapi(query('findings to skip')),
  })
  .strict();

export const FileQuery = z
  .object({
    path: RepoPath.openapi(query('the file, as the scan lists it')),
    scan: ScanId.optional().openapi(query('scan id; default the newest full scan')),
    commit: z
      .string()
      .regex(FULL_COMMIT_ID, 'a full commit id (40 or 64 lowercase hex digits)')
      .optional()
      .openapi(
        query(
          "show the file's text at this commit of the repository (a citation's indexed commit) instead of the scan's; the scan's findings are listed only when it is the scan's commit",
        ),
      ),
  })
  .strict();

export const RunParams = z.object({
  id: z.coerce
    .number()
    .int()
    .positive()
    .openapi({ param: { name: 'id', in: 'path' }, example: 1 }),
  runId: z.coerce
    .number()
    .int()
    .positive()
    .openapi({ param: { name: 'runId', in: 'path' }, example: 1 }),
});

export const RunQuery = z
  .object({
    limit: z.coerce.number().int().min(1).max(200).default(50).openapi(query('changes per page')),
    offset: z.coerce.number().int().min(0).default(0).openapi(query('changes to skip')),
  })
  .strict();

const ScanRefSchema = z.object({
  id: z.number(),
  at: z.string(),
  commit: z.string().nullable(),
  dirty: z.boolean(),
});

export const FindingItemSchema = z
  .object({
    ruleId: z.string(),
    category: z.string(),
    severity: z.string(),
    file: z.string(),
    kind: z.string(),
    line: z.number(),
    column: z.number(),
    endLine: z.number(),
    endColumn: z.number(),
    message: z.string(),
    effortMinutes: z.number(),
    fixability: z.string(),
    baselineState: z.enum(BASELINE_STATES).nullable(),
  })
  .openapi('FindingItem');

const Counts = z.record(z.string(), z.number());

export const FindingsPageSchema = z
  .object({
    scan: ScanRefSchema,
    total: z.number(),
    offset: z.number(),
    limit: z.number(),
    order: z.enum(FINDING_ORDERS),
    findings: z.array(FindingItemSchema),
    facets: z
      .object({
        rule: Counts,
        severity: Counts,
        category: Counts,
        kind: Counts,
        baseline: Counts.nullable().openapi({
          description: 'null when the scan recorded no baseline state for its findings',
        }),
      })
      .openapi({
        description: 'Counts per value of each filter, under all the other filters given',
      }),
  })
  .openapi('FindingsPage');

export const FileProposalSchema = z.object({
  id: z.number(),
  runId: z.number(),
  createdAt: z.string(),
  model: z.string(),
  task: z.string(),
  ruleId: z.string(),
  line: z.number(),
  title: z.string(),
  status: z.string(),
  gate: z.string().nullable(),
  reason: z.string().nullable(),
});

export const FileViewSchema = z
  .object({
    scan: ScanRefSchema,
    file: z.object({
      path: z.string(),
      kind: z.string(),
      lang: z.string(),
      score: z.number(),
      grade: z.string(),
    }),
    commit: z.string().nullable().openapi({
      description:
        "The commit the text is read from: the one asked for, else the scan's (null when it recorded none)",
    }),
    content: z.string().nullable(),
    unavailable: z
      .object({ reason: z.string(), message: z.string() })
      .nullable()
      .openapi({ description: 'Why content is null' }),
    findings: z.array(FindingItemSchema),
    proposals: z.array(FileProposalSchema),
  })
  .openapi('FileView');

const CheckAvailabilitySchema = z.object({
  name: z.string(),
  ran: z.boolean(),
  detail: z.string(),
});

export const RunChangeSchema = z
  .object({
    id: z.number(),
    model: z.string(),
    task: z.string(),
    ruleId: z.string(),
    file: z.string(),
    line: z.number(),
    message: z.string().nullable(),
    title: z.string(),
    status: z.string(),
    gate: z.string().nullable(),
    reason: z.string().nullable(),
    commit: z.string().nullable(),
    costUsd: z.number().nullable(),
    durationMs: z.number(),
    selection: z.string().nullable(),
    checks: z.array(
      z.object({
        name: z.string(),
        ok: z.boolean(),
        detail: z.string().nullable(),
        durationMs: z.number(),
      }),
    ),
    scores: z.array(
      z.object({ file: z.string(), before: z.number(), after: z.number().nullable() }),
    ),
    diff: z.string().nullable(),
    diffSource: z.enum(['commit', 'edits']).nullable().openapi({
      description:
        "commit: git show of the change's commit; edits: the stored edits applied to the code they were proposed on",
    }),
    diffNote: z.string().nullable().openapi({ description: 'Why there is no diff, or what it is' }),
  })
  .openapi('RunChange');

export const RunDetailSchema = z
  .object({
    run: z.object({
      id: z.number(),
      startedAt: z.string(),
      durationMs: z.number(),
      status: z.string(),
      kind: z.string().nullable(),
      branch: z.string().nullable(),
      baseCommit: z.string(),
      headCommit: z.string().nullable(),
      scoreBefore: z.number(),
      scoreAfter: z.number(),
      accepted: z.number(),
      rejected: z.number(),
      validations: z.number(),
      checks: z.array(CheckAvailabilitySchema),
      ordering: z.string().nullable(),
      formatter: z.string().nullable(),
      warnings: z.array(z.string()),
    }),
    total: z.number(),
    offset: z.number(),
    limit: z.number(),
    changes: z.array(RunChangeSchema),
  })
  .openapi('RunDetail');
