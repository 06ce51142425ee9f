import { createRoute, z } from '@hono/zod-openapi';
import { searchCodebase, updateIndex } from '../../pipeline/index.js';
import type { ApiApp, AppDeps } from '../app.js';
import { ApiError } from '../errors.js';
import { resolveRepository } from '../paths.js';
import { ERRORS, json, NOT_FOUND } from '../schemas.js';

const KINDS = ['function', 'method', 'class', 'interface', 'type', 'enum', 'variable'] as const;

const HitSchema = z
  .object({
    id: z.number(),
    name: z.string(),
    qualifiedName: z.string(),
    kind: z.enum(KINDS),
    exported: z.boolean(),
    file: z.string(),
    startLine: z.number(),
    endLine: z.number(),
    signature: z.string(),
    doc: z.string(),
    score: z.number(),
    location: z.string().openapi({ example: 'src/math.ts:2-4' }),
    snippet: z.string(),
  })
  .openapi('CodeSearchHit');

const SearchResponse = z
  .object({
    mode: z.enum(['bm25+graph', 'bm25+vectors+graph']),
    notice: z.string().optional(),
    commit: z.string().nullable(),
    hits: z.array(HitSchema),
  })
  .openapi('CodeSearchResult');

const searchRoute = createRoute({
  method: 'get',
  path: '/api/codebase/search',
  summary:
    "Ranked symbols of a repository's codebase index for a query (BM25 over code-split tokens and the reference graph); the index is brought up to date with HEAD first",
  request: {
    query: z.object({
      repo: z
        .string()
        .min(1)
        .max(4096)
        .openapi({ description: 'registered repository id, or its absolute path' }),
      q: z.string().min(1).max(1000),
      limit: z.coerce.number().int().min(1).max(100).default(10),
      kind: z
        .string()
        .optional()
        .openapi({ description: `comma-separated kinds: ${KINDS.join(', ')}` }),
    }),
  },
  responses: { 200: json(SearchResponse, 'Ranked symbols'), ...ERRORS, ...NOT_FOUND },
});

export function registerSearchRoutes(app: ApiApp, deps: AppDeps): void {
  app.openapi(searchRoute, async (c) => {
    const query = c.req.valid('query');
    const kinds = parseKinds(query.kind);
    const repo = await resolveRepository(
      deps.store,
      /^\d+$/.test(query.repo) ? Number(query.repo) : query.repo,
    );
    await updateIndex({ store: deps.store, repoId: repo.id, root: repo.root });
    const result = await searchCodebase(deps.store, {
      repoId: repo.id,
      query: query.q,
      limit: query.limit,
      ...(kinds ? { kinds } : {}),
    });
    return c.json(
      {
        mode: result.mode,
        ...(result.notice === undefined ? {} : { notice: result.notice }),
        commit: result.commit,
        hits: result.hits.map(({ symbol: s, score, location, snippet }) => ({
          id: s.id,
          name: s.name,
          qualifiedName: s.qualifiedName,
          kind: s.kind,
          exported: s.exported,
          file: s.file,
          startLine: s.startLine,
          endLine: s.endLine,
          signature: s.signature,
          doc: s.doc,
          score,
          location,
          snippet,
        })),
      },
      200,
    );
  });
}

function parseKinds(value: string | undefined): (typeof KINDS)[number][] | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const kinds = value.split(',').map((k) => k.trim());
  const unknown = kinds.find((k) => !(KINDS as readonly string[]).includes(k));
  if (unknown !== undefined)
    throw new ApiError(
      400,
      'validation',
      `kind: unknown kind "${unknown}" (one of ${KINDS.join(', ')})`,
    );
  return kinds as (typeof KINDS)[number][];
}
