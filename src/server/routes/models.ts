import { createRoute, z } from '@hono/zod-openapi';
import { DEFAULT_CONFIG, resolveConfig, type ModelsConfig } from '../../core/index.js';
import {
  loadModelUsage,
  resolveModelStatuses,
  type ModelStatus,
  type ModelUsage,
} from '../../pipeline/index.js';
import { findRegisteredRepository, listRegisteredRepositories } from '../../store/index.js';
import type { ApiApp, AppDeps } from '../app.js';
import { notFound } from '../errors.js';
import { ERRORS, NOT_FOUND, json } from '../schemas.js';

type Env = NonNullable<AppDeps['env']>;

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
      /** Calls whose reported token usage was missing or impossible, charged their reservation. */
      usageAnomalies: z.number(),
      meanLatencyMs: z.number().nullable(),
      rules: z.array(
        z.object({
          task: z.string(),
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
        usageAnomalies: z.number(),
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

/**
 * The models config of the repository asked for, or of every registered one (the default config
 * when none is registered).
 */
async function modelConfigs(
  { store }: AppDeps,
  env: Env,
  repoId: number | undefined,
): Promise<ModelsConfig[]> {
  if (repoId !== undefined) {
    const repo = await findRegisteredRepository(store, { id: repoId });
    if (!repo) throw notFound(`repository ${repoId} is not registered`);
    return [(await resolveConfig(repo.root, env)).config.models];
  }
  const repos = await listRegisteredRepositories(store);
  if (repos.length === 0) return [DEFAULT_CONFIG.models];
  return Promise.all(repos.map(async (r) => (await resolveConfig(r.root, env)).config.models));
}

/**
 * The statuses the configs give the models, one entry per model id (the first config's), from
 * one read of the store's statistics whatever the number of configs.
 */
function statusesOf(configs: readonly ModelsConfig[], env: Env, usage: ModelUsage): ModelStatus[] {
  const byId = new Map<string, ModelStatus>();
  for (const config of configs) {
    for (const status of resolveModelStatuses(config, env, usage)) {
      if (!byId.has(status.id)) byId.set(status.id, status);
    }
  }
  return [...byId.values()];
}

/** Every model with its state (the router's cooldowns and budgets) and its measured stats. */
export function registerModelRoutes(app: ApiApp, deps: AppDeps): void {
  app.openapi(modelsRoute, async (c) => {
    const env = deps.env ?? process.env;
    const configs = await modelConfigs(deps, env, c.req.valid('query').repo);
    const usage = await loadModelUsage(deps.store);
    const statuses = statusesOf(configs, env, usage);
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
        usageAnomalies: s.deployments.reduce((sum, d) => sum + d.usageAnomalies, 0),
        meanLatencyMs: s.meanLatencyMs ?? null,
        rules: usage.acceptance
          .filter((r) => r.model === s.id)
          .map(({ task, ruleId, proposed, accepted, rate }) => ({
            task,
            ruleId,
            proposed,
            accepted,
            rate,
          })),
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
        usageAnomalies: d.usageAnomalies,
        meanLatencyMs: d.meanLatencyMs ?? null,
      })),
    }));
    return c.json({ models }, 200);
  });
}
