import { createRoute, z } from '@hono/zod-openapi';
import { createBuiltinModels } from '../../models/index.js';
import { acceptanceStats } from '../../store/index.js';
import type { ApiApp, AppDeps } from '../app.js';
import { ERRORS, json } from '../schemas.js';

const ModelSchema = z
  .object({
    id: z.string(),
    state: z.string(),
    stats: z.object({
      proposed: z.number(),
      accepted: z.number(),
      /** accepted / proposed; null before any proposal. */
      acceptance: z.number().nullable(),
      rules: z.array(
        z.object({
          ruleId: z.string(),
          proposed: z.number(),
          accepted: z.number(),
          rate: z.number(),
        }),
      ),
    }),
  })
  .openapi('Model');

const modelsRoute = createRoute({
  method: 'get',
  path: '/api/models',
  summary: 'The models, their state, and their acceptance over every repository',
  responses: { 200: json(z.object({ models: z.array(ModelSchema) }), 'Models'), ...ERRORS },
});

/** The built-in models with their acceptance statistics; replaced by the router's status later. */
export function registerModelRoutes(app: ApiApp, deps: AppDeps): void {
  app.openapi(modelsRoute, async (c) => {
    const stats = await acceptanceStats(deps.store);
    const models = createBuiltinModels().map((model) => {
      const rules = stats
        .filter((s) => s.model === model.id)
        .map(({ ruleId, proposed, accepted, rate }) => ({ ruleId, proposed, accepted, rate }));
      const proposed = rules.reduce((n, r) => n + r.proposed, 0);
      const accepted = rules.reduce((n, r) => n + r.accepted, 0);
      return {
        id: model.id,
        state: 'ready',
        stats: { proposed, accepted, acceptance: proposed > 0 ? accepted / proposed : null, rules },
      };
    });
    return c.json({ models }, 200);
  });
}
