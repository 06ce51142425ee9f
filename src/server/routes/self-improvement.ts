import { createRoute, z } from '@hono/zod-openapi';
import { countJobs, listImproveRuns } from '../../store/index.js';
import type { ApiApp, AppDeps } from '../app.js';
import { resolveRepository } from '../paths.js';
import { listWithLatestScan } from './repos.js';
import {
  ERRORS,
  ImproveOptionsSchema,
  ImproveRunSchema,
  JobResponse,
  json,
  jsonBody,
  NOT_FOUND,
  RepoRef,
  ScanDigestSchema,
} from '../schemas.js';

const scanRoute = createRoute({
  method: 'post',
  path: '/api/self-improvement/scan',
  summary: 'Queue a scan of a registered repository',
  request: { body: jsonBody(z.object({ repo: RepoRef }).strict()) },
  responses: { 202: json(JobResponse, 'Queued'), ...ERRORS, ...NOT_FOUND },
});

const improveRoute = createRoute({
  method: 'post',
  path: '/api/self-improvement/improve',
  summary:
    'Queue an improvement run (validated changes on a new branch) of a registered repository',
  request: {
    body: jsonBody(z.object({ repo: RepoRef, options: ImproveOptionsSchema.optional() }).strict()),
  },
  responses: { 202: json(JobResponse, 'Queued'), ...ERRORS, ...NOT_FOUND },
});

const LastImproveSchema = ImproveRunSchema.omit({ changes: true });

const statusRoute = createRoute({
  method: 'get',
  path: '/api/self-improvement/status',
  summary: 'Every registered repository with its newest scan and improvement run; the job queue',
  responses: {
    200: json(
      z.object({
        repos: z.array(
          z.object({
            id: z.number(),
            name: z.string(),
            latest: ScanDigestSchema.nullable(),
            lastImprove: LastImproveSchema.nullable(),
          }),
        ),
        jobs: z.object({ queued: z.number(), running: z.number() }),
      }),
      'Status',
    ),
    ...ERRORS,
  },
});

export function registerSelfImprovementRoutes(app: ApiApp, deps: AppDeps): void {
  const { store, runner } = deps;

  app.openapi(scanRoute, async (c) => {
    const repo = await resolveRepository(store, c.req.valid('json').repo);
    const job = await runner.enqueue({ kind: 'scan', repoId: repo.id, params: {} });
    return c.json({ job }, 202);
  });

  app.openapi(improveRoute, async (c) => {
    const body = c.req.valid('json');
    const repo = await resolveRepository(store, body.repo);
    const job = await runner.enqueue({
      kind: 'improve',
      repoId: repo.id,
      params: { options: body.options ?? {} },
    });
    return c.json({ job }, 202);
  });

  app.openapi(statusRoute, async (c) => {
    const repos = await listWithLatestScan(store);
    const items = await Promise.all(
      repos.map(async (r) => {
        const [last] = await listImproveRuns(store, r.root, 1);
        return {
          id: r.id,
          name: r.name,
          latest: r.latest,
          lastImprove: last ? { ...last, branch: last.branch ?? null } : null,
        };
      }),
    );
    const counts = await countJobs(store);
    return c.json(
      { repos: items, jobs: { queued: counts.queued ?? 0, running: counts.running ?? 0 } },
      200,
    );
  });
}
