import { createRoute, z } from '@hono/zod-openapi';
import { exportKnowledge, knowledgeMarkdown, updateKnowledge } from '../../pipeline/index.js';
import { searchKnowledge } from '../../store/index.js';
import type { ApiApp, AppDeps } from '../app.js';
import { resolveRepository } from '../paths.js';
import { ERRORS, NOT_FOUND } from '../schemas.js';

const CitationSchema = z.object({
  file: z.string(),
  startLine: z.number(),
  endLine: z.number(),
  ref: z.string().openapi({ description: '`path:start-end`', example: 'src/load.ts:6-6' }),
});

const FactSchema = z
  .object({
    module: z.string().openapi({ description: "repository-relative path; '' for the repository" }),
    kind: z.string(),
    text: z.string(),
    source: z.enum(['code', 'readme', 'llm']),
    status: z.enum(['fresh', 'stale']),
    commit: z.string(),
    citations: z.array(CitationSchema),
  })
  .openapi('KnowledgeFact');

const KnowledgeSchema = z
  .object({
    repository: z.string(),
    commit: z.string().nullable(),
    query: z.string().optional(),
    module: z.string().optional(),
    facts: z.array(FactSchema),
  })
  .openapi('Knowledge');

const KnowledgeQuery = z.object({
  repo: z
    .string()
    .min(1)
    .max(4096)
    .openapi({ description: 'registered repository id, or its absolute path' }),
  q: z.string().min(1).max(500).optional().openapi({ description: 'full-text search words' }),
  module: z.string().max(4096).optional().openapi({ description: "one module's facts" }),
  format: z.enum(['json', 'markdown']).default('json'),
});

const knowledgeRoute = createRoute({
  method: 'get',
  path: '/api/knowledge',
  summary:
    "The repository's knowledge at its HEAD commit (brought up to date first, incrementally): facts per module, each citing `path:start-end` at the commit; filtered by full-text search and module; as JSON or Markdown",
  request: { query: KnowledgeQuery },
  responses: {
    200: {
      description: 'The facts',
      content: {
        'application/json': { schema: KnowledgeSchema },
        'text/markdown': { schema: z.string() },
      },
    },
    ...ERRORS,
    ...NOT_FOUND,
  },
});

export function registerKnowledgeRoutes(app: ApiApp, deps: AppDeps): void {
  app.openapi(knowledgeRoute, async (c) => {
    const query = c.req.valid('query');
    const ref = /^\d+$/.test(query.repo) ? Number(query.repo) : query.repo;
    const repo = await resolveRepository(deps.store, ref);
    const stats = await updateKnowledge({ store: deps.store, repoId: repo.id, root: repo.root });
    const facts = await searchKnowledge(deps.store, repo.id, {
      ...(query.q !== undefined ? { query: query.q } : {}),
      ...(query.module !== undefined ? { module: query.module } : {}),
    });
    const data = exportKnowledge(facts, {
      repository: repo.root,
      commit: stats.commit,
      ...(query.q !== undefined ? { query: query.q } : {}),
      ...(query.module !== undefined ? { module: query.module } : {}),
    });
    if (query.format === 'markdown')
      return c.body(knowledgeMarkdown(data), 200, {
        'Content-Type': 'text/markdown; charset=utf-8',
      });
    return c.json(data, 200);
  });
}
