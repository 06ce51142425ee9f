import { createRoute, z } from '@hono/zod-openapi';
import { orderByValue } from '../../analysis/index.js';
import { checkRepositoryRoot, describeError } from '../../core/index.js';
import { loadQualityReport, type QualityReport } from '../../pipeline/index.js';
import {
  latestScan,
  latestScanDigests,
  listImproveRuns,
  listProposalOutcomes,
  listRegisteredRepositories,
  qualityInputsVersion,
  registerRepository,
  scoreTrend,
  type RegisteredRepository,
  type ScanDigest,
  type Store,
} from '../../store/index.js';
import type { ApiApp, AppDeps } from '../app.js';
import { ApiError } from '../errors.js';
import { resolveDirectory, resolveRepository } from '../paths.js';
import {
  ErrorSchema,
  ERRORS,
  IdParams,
  ImproveRunSchema,
  json,
  listedChange,
  jsonBody,
  NOT_FOUND,
  QualitySchema,
  RepoDetailSchema,
  RepoListItemSchema,
  RepoRef,
  RepoSchema,
  type ScanDigestSchema,
} from '../schemas.js';

/** Scans on a trend: the newest this many, oldest first. */
const TREND_SCANS = 30;
const TOP_FINDINGS = 10;
const TOP_HOTSPOTS = 20;
const IMPROVE_RUNS = 20;

async function trendOf(store: Store, root: string) {
  const points = await scoreTrend(store, root, TREND_SCANS);
  return points.map((p) => ({ scanId: p.scanId, at: p.startedAt, score: p.score, grade: p.grade }));
}

/** Registered repositories, each with a digest of its newest scan (null before the first). */
export async function listWithLatestScan(
  store: Store,
): Promise<(RegisteredRepository & { latest: z.infer<typeof ScanDigestSchema> | null })[]> {
  const repos = await listRegisteredRepositories(store);
  const digests = await latestScanDigests(
    store,
    repos.map((r) => r.id),
  );
  return repos.map((r) => ({ ...r, latest: apiDigest(digests.get(r.id)) }));
}

/** The API's digest of a scan, which names its time `at`, as trend points do. */
function apiDigest(d: ScanDigest | undefined): z.infer<typeof ScanDigestSchema> | null {
  if (!d) return null;
  const { scanId, score, grade, startedAt, files, findings } = d;
  return { scanId, score, grade, at: startedAt, files, findings };
}

function countBy<T>(items: readonly T[], key: (item: T) => string): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const item of items) counts[key(item)] = (counts[key(item)] ?? 0) + 1;
  return counts;
}

const listRoute = createRoute({
  method: 'get',
  path: '/api/repos',
  summary: 'Registered repositories with their newest scan and score trend',
  responses: {
    200: json(z.object({ repos: z.array(RepoListItemSchema) }), 'Repositories'),
    ...ERRORS,
  },
});

const registerRoute = createRoute({
  method: 'post',
  path: '/api/repos',
  summary:
    'Register a repository by its absolute path (not the filesystem root, a system folder or the home folder)',
  request: { body: jsonBody(z.object({ path: z.string().min(1).max(4096) }).strict()) },
  responses: {
    200: json(z.object({ repo: RepoSchema }), 'Already registered'),
    201: json(z.object({ repo: RepoSchema }), 'Registered'),
    ...ERRORS,
  },
});

const detailRoute = createRoute({
  method: 'get',
  path: '/api/repos/{id}',
  summary: 'A repository: newest scan, hotspots, findings and trend',
  request: { params: IdParams },
  responses: { 200: json(RepoDetailSchema, 'Repository'), ...ERRORS, ...NOT_FOUND },
});

const improvementsRoute = createRoute({
  method: 'get',
  path: '/api/repos/{id}/improvements',
  summary: 'Improvement runs of a repository, newest first, with their changes',
  request: { params: IdParams },
  responses: {
    200: json(z.object({ runs: z.array(ImproveRunSchema) }), 'Runs'),
    ...ERRORS,
    ...NOT_FOUND,
  },
});

const qualityRoute = createRoute({
  method: 'post',
  path: '/api/repos/quality',
  summary: 'Quality, grade, confidence, factors and recommendations from the newest scan',
  request: { body: jsonBody(z.object({ repo: RepoRef }).strict()) },
  responses: {
    200: json(QualitySchema, 'Quality report'),
    409: json(ErrorSchema, 'Not scanned yet'),
    ...ERRORS,
    ...NOT_FOUND,
  },
});

/**
 * Quality reports by repository, reused while their inputs (newest scan, scan count, newest
 * defect-risk model) are unchanged: computing one reads every file and finding of the scan, and
 * the defect-risk ranking mines git history.
 */
function createQualityCache(store: Store) {
  const cache = new Map<string, { version: string; report: Promise<QualityReport | undefined> }>();
  return async (root: string): Promise<QualityReport | undefined> => {
    const version = await qualityInputsVersion(store, root);
    const hit = cache.get(root);
    if (hit?.version === version) return hit.report;
    const report = loadQualityReport(store, root);
    cache.set(root, { version, report });
    report.catch(() => cache.delete(root));
    return report;
  };
}

/** The newest scan of `root` in detail, and its hotspots. */
async function latestDetail(store: Store, root: string) {
  const scan = await latestScan(store, root);
  const latest = scan && {
    scanId: scan.scan.id,
    score: scan.scan.score.score,
    grade: scan.scan.score.grade,
    at: scan.scan.startedAt,
    components: scan.scan.score.components,
    findingsByCategory: countBy(scan.findings, (f) => f.category),
    findingsBySeverity: countBy(scan.findings, (f) => f.severity),
    topFindings: orderByValue(scan, undefined, { includeTests: true })
      .slice(0, TOP_FINDINGS)
      .map((f) => ({
        ruleId: f.ruleId,
        severity: f.severity,
        file: f.file,
        line: f.location.line,
        message: f.message,
        ...(f.baselineState === undefined ? {} : { baselineState: f.baselineState }),
      })),
  };
  const hotspots = (scan?.hotspots ?? []).slice(0, TOP_HOTSPOTS).map((h) => ({
    path: h.file,
    commits: h.changes,
    complexity: h.complexity,
    score: h.risk,
  }));
  // An empty list on a shallow clone means "not computed", not "none": the reason says which.
  return {
    latest: latest ?? null,
    hotspots,
    hotspotsUnavailable: scan?.scan.hotspotsUnavailable ?? null,
  };
}

/** The newest improvement runs of `root` with the outcome of each proposal. */
async function improvementRuns(store: Store, root: string) {
  const runs = await listImproveRuns(store, root, IMPROVE_RUNS);
  return Promise.all(
    runs.map(async (r) => {
      const proposals = await listProposalOutcomes(store, r.id);
      return {
        ...r,
        branch: r.branch ?? null,
        changes: proposals.map(listedChange),
      };
    }),
  );
}

export function registerRepoRoutes(app: ApiApp, deps: AppDeps): void {
  const { store } = deps;
  const qualityReport = createQualityCache(store);

  app.openapi(listRoute, async (c) => {
    const repos = await listWithLatestScan(store);
    const items = await Promise.all(
      repos.map(async (r) => ({ ...r, trend: await trendOf(store, r.root) })),
    );
    return c.json({ repos: items }, 200);
  });

  app.openapi(registerRoute, async (c) => {
    const input = c.req.valid('json').path;
    const root = await resolveDirectory(input);
    await checkRepositoryRoot(input).catch((error: unknown) => {
      throw new ApiError(400, 'validation', `path: ${describeError(error)}`);
    });
    const { repo, created } = await registerRepository(store, root);
    return created ? c.json({ repo }, 201) : c.json({ repo }, 200);
  });

  app.openapi(detailRoute, async (c) => {
    const repo = await resolveRepository(store, c.req.valid('param').id);
    return c.json(
      { repo, ...(await latestDetail(store, repo.root)), trend: await trendOf(store, repo.root) },
      200,
    );
  });

  app.openapi(improvementsRoute, async (c) => {
    const repo = await resolveRepository(store, c.req.valid('param').id);
    return c.json({ runs: await improvementRuns(store, repo.root) }, 200);
  });

  app.openapi(qualityRoute, async (c) => {
    const repo = await resolveRepository(store, c.req.valid('json').repo);
    const report = await qualityReport(repo.root);
    if (!report)
      throw new ApiError(
        409,
        'not-scanned',
        `${repo.root} has no scan yet; POST /api/self-improvement/scan first`,
      );
    return c.json(report, 200);
  });
}
