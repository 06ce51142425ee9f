import { createRoute, z } from '@hono/zod-openapi';
import { DEFAULT_CONFIG, resolveConfig } from '../../core/index.js';
import { modelStatuses, type ModelStatus } from '../../pipeline/index.js';
import {
  acceptanceStats,
  findRegisteredRepository,
  listRegisteredRepositories,
} from '../../store/index.js';
import type { ApiApp, AppDeps } from '../app.js';
import { notFound } from '../errors.js';
import { ERRORS, NOT_FOUND, json } from '../schemas.js';

const PriceSchema = z.object({ inputPerMillion: z.number(), outputPerMillion: z.number() });

const ModelSchema = z
  .object({
    id: z.string(),
    builtin: z.boolean(),
    /** `ready`, `missing key`, `cooling down` or `over budget`. */
    state: z.string(),
    /** What the state means: the variable to set, when a cooldown ends, which budget is spent. */
    detail: z.string().nullable(),
    stats: z.object({
      proposed: z.number(),
      accepted: z.number(),
      /** accepted / proposed; null before any proposal. */
      acceptance: z.number().nullable(),
      /** Money spent on its calls, from the ledger; calls of unknown price are counted apart. */
      costUsd: z.number(),
      unpricedCalls: z.number(),
      meanLatencyMs: z.number().nullable(),
      rules: z.array(
        z.object({
          ruleId: z.string(),
          proposed: z.number(),
          accepted: z.number(),
          rate: z.number(),
        }),
      ),
    }),
    deployments: z.array(
      z.object({
        id: z.string(),
        price: PriceSchema.nullable(),
        cooldown: z.object({
          status: z.string(),
          failures: z.number(),
          until: z.string().nullable(),
        }),
        calls: z.number(),
        failures: z.number(),
        costUsd: z.number(),
        unpricedCalls: z.number(),
        meanLatencyMs: z.number().nullable(),
      }),
    ),
  })
  .openapi('Model');

const modelsRoute = createRoute({
  method: 'get',
  path: '/api/models',
  summary:
    "The models a repository's config declares (or every registered repository's), with state and stats",
  request: { query: z.object({ repo: z.coerce.number().int().positive().optional() }) },
  responses: {
    200: json(z.object({ models: z.array(ModelSchema) }), 'Models'),
    ...ERRORS,
    ...NOT_FOUND,
  },
});

/** The model statuses of every registered repository's config, one entry per model id. */
async function statusesFor(deps: AppDeps, repoId: number | undefined): Promise<ModelStatus[]> {
  const env = deps.env ?? process.env;
  if (repoId !== undefined) {
    const repo = await findRegisteredRepository(deps.store, { id: repoId });
    if (!repo) throw notFound(`repository ${repoId} is not registered`);
    const { config } = await resolveConfig(repo.root, env);
    return modelStatuses(config.models, env, deps.store);
  }
  const repos = await listRegisteredRepositories(deps.store);
  const configs =
    repos.length === 0
      ? [DEFAULT_CONFIG.models]
      : await Promise.all(repos.map(async (r) => (await resolveConfig(r.root, env)).config.models));
  const byId = new Map<string, ModelStatus>();
  for (const config of configs) {
    for (const status of await modelStatuses(config, env, deps.store)) {
      if (!byId.has(status.id)) byId.set(status.id, status);
    }
  }
  return [...byId.values()];
}

/** Every model with its state (the router's cooldowns and budgets) and its measured stats. */
export function registerModelRoutes(app: ApiApp, deps: AppDeps): void {
  app.openapi(modelsRoute, async (c) => {
    const statuses = await statusesFor(deps, c.req.valid('query').repo);
    const rules = await acceptanceStats(deps.store);
    const models = statuses.map((s) => ({
      id: s.id,
      builtin: s.builtin,
      state: s.state,
      detail: s.detail ?? null,
      stats: {
        proposed: s.proposals,
        accepted: s.accepted,
        acceptance: s.acceptance ?? null,
        costUsd: s.deployments.reduce((sum, d) => sum + d.costUsd, 0),
        unpricedCalls: s.deployments.reduce((sum, d) => sum + d.unpriced, 0),
        meanLatencyMs: s.meanLatencyMs ?? null,
        rules: rules
          .filter((r) => r.model === s.id)
          .map(({ ruleId, proposed, accepted, rate }) => ({ ruleId, proposed, accepted, rate })),
      },
      deployments: s.deployments.map((d) => ({
        id: d.id,
        price: d.price ?? null,
        cooldown: {
          status: d.cooldown.status,
          failures: d.cooldown.failures,
          until: d.cooldown.until === undefined ? null : new Date(d.cooldown.until).toISOString(),
        },
        calls: d.calls,
        failures: d.failures,
        costUsd: d.costUsd,
        unpricedCalls: d.unpriced,
        meanLatencyMs: d.meanLatencyMs ?? null,
      })),
    }));
    return c.json({ models }, 200);
  });
}
