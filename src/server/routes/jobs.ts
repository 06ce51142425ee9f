import { createRoute, z } from '@hono/zod-openapi';
import { streamSSE } from 'hono/streaming';
import type { JobEvent } from '../../pipeline/index.js';
import { FINAL_STATUSES, getJob, listJobs, type JobRecord } from '../../store/index.js';
import type { ApiApp, AppDeps } from '../app.js';
import { ApiError, notFound } from '../errors.js';
import {
  ErrorSchema,
  ERRORS,
  IdParams,
  JobResponse,
  JobSchema,
  json,
  NOT_FOUND,
} from '../schemas.js';

const listRoute = createRoute({
  method: 'get',
  path: '/api/jobs',
  summary: 'Jobs, newest first',
  request: {
    query: z.object({
      repo: z.coerce.number().int().positive().optional(),
      limit: z.coerce.number().int().min(1).max(500).default(50),
    }),
  },
  responses: { 200: json(z.object({ jobs: z.array(JobSchema) }), 'Jobs'), ...ERRORS },
});

const getRoute = createRoute({
  method: 'get',
  path: '/api/jobs/{id}',
  summary: 'One job',
  request: { params: IdParams },
  responses: { 200: json(JobResponse, 'The job'), ...ERRORS, ...NOT_FOUND },
});

const rerunRoute = createRoute({
  method: 'post',
  path: '/api/jobs/{id}/rerun',
  summary: 'Queue an interrupted or failed job again, as a new job with the same parameters',
  request: { params: IdParams },
  responses: {
    202: json(JobResponse, 'The new job'),
    409: json(ErrorSchema, 'Not rerunnable'),
    ...ERRORS,
    ...NOT_FOUND,
  },
});

const eventsRoute = createRoute({
  method: 'get',
  path: '/api/jobs/{id}/events',
  summary:
    'Server-sent events: `progress` (JSON data), `status` (the job) on changes, then `done` (the final job)',
  request: { params: IdParams },
  responses: {
    200: { description: 'Event stream', content: { 'text/event-stream': { schema: z.string() } } },
    ...ERRORS,
    ...NOT_FOUND,
  },
});

const RERUNNABLE = new Set(['interrupted', 'failed']);

async function requireJob(deps: AppDeps, id: number): Promise<JobRecord> {
  const job = await getJob(deps.store, id);
  if (!job) throw notFound(`job ${id} does not exist`);
  return job;
}

export function registerJobRoutes(app: ApiApp, deps: AppDeps): void {
  const { store, runner } = deps;

  app.openapi(listRoute, async (c) => {
    const { repo, limit } = c.req.valid('query');
    const jobs = await listJobs(store, repo === undefined ? { limit } : { repoId: repo, limit });
    return c.json({ jobs }, 200);
  });

  app.openapi(getRoute, async (c) =>
    c.json({ job: await requireJob(deps, c.req.valid('param').id) }, 200),
  );

  app.openapi(rerunRoute, async (c) => {
    const old = await requireJob(deps, c.req.valid('param').id);
    if (!RERUNNABLE.has(old.status))
      throw new ApiError(
        409,
        'not-rerunnable',
        `job ${old.id} is ${old.status}; only interrupted or failed jobs can be rerun`,
      );
    const job = await runner.enqueue({ kind: old.kind, repoId: old.repoId, params: old.params });
    return c.json({ job }, 202);
  });

  app.openapi(eventsRoute, async (c) => {
    const id = c.req.valid('param').id;
    await requireJob(deps, id);
    return streamSSE(c, async (stream) => {
      const queue: JobEvent[] = [];
      let wake: (() => void) | undefined;
      const unsubscribe = runner.subscribe(id, (event) => {
        queue.push(event);
        wake?.();
      });
      stream.onAbort(() => {
        unsubscribe();
        wake?.();
      });
      try {
        // Read after subscribing, so no event between the read and the subscription is lost.
        const job = await requireJob(deps, id);
        if (FINAL_STATUSES.has(job.status)) queue.unshift({ type: 'done', job });
        else queue.unshift({ type: 'status', job });
        while (!stream.aborted) {
          const event = queue.shift();
          if (!event) {
            await new Promise<void>((resolve) => (wake = resolve));
            wake = undefined;
            continue;
          }
          const data = event.type === 'progress' ? event.data : event.job;
          await stream.writeSSE({ event: event.type, data: JSON.stringify(data) });
          if (event.type === 'done') break;
        }
      } finally {
        unsubscribe();
      }
    });
  });
}
