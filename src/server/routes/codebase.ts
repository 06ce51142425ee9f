import { createRoute, z } from '@hono/zod-openapi';
import type { ApiApp, AppDeps } from '../app.js';
import { errorBody } from '../errors.js';
import { resolveRepository, resolveRepositoryFile } from '../paths.js';
import {
  ErrorSchema,
  ERRORS,
  JobResponse,
  json,
  jsonBody,
  NOT_FOUND,
  RepoRef,
} from '../schemas.js';

const refactorRoute = createRoute({
  method: 'post',
  path: '/api/codebase/refactor',
  summary:
    'Queue one validated refactoring of one file (of `rule` if given, else of its complexity, size, duplication or nesting findings): the job result holds the diff and its evidence; with `apply`, the branch holding it',
  request: {
    body: jsonBody(
      z
        .object({
          repo: RepoRef,
          file: z.string().min(1).max(4096),
          rule: z
            .string()
            .regex(/^[a-z0-9-]+$/, 'a rule id (lowercase letters, digits, dashes)')
            .optional(),
          apply: z.boolean().optional(),
        })
        .strict(),
    ),
  },
  responses: { 202: json(JobResponse, 'Queued'), ...ERRORS, ...NOT_FOUND },
});

/** Endpoints BEAST MODE's design names whose capability is not built yet. */
const UNBUILT = [
  { path: '/api/codebase/chat', what: 'chat about the codebase' },
  { path: '/api/codebase/tests/generate', what: 'test generation' },
  { path: '/api/repos/quality/generate-feature', what: 'feature generation' },
] as const;

export function registerCodebaseRoutes(app: ApiApp, deps: AppDeps): void {
  app.openapi(refactorRoute, async (c) => {
    const body = c.req.valid('json');
    const repo = await resolveRepository(deps.store, body.repo);
    const file = await resolveRepositoryFile(repo.root, body.file);
    const params = {
      file,
      ...(body.rule === undefined ? {} : { rule: body.rule }),
      apply: body.apply === true,
    };
    const job = await deps.runner.enqueue({ kind: 'refactor', repoId: repo.id, params });
    return c.json({ job }, 202);
  });

  for (const { path, what } of UNBUILT) {
    const route = createRoute({
      method: 'post',
      path,
      summary: `Not built yet: ${what}`,
      responses: {
        501: json(ErrorSchema, 'Not built yet'),
        401: ERRORS[401],
      },
    });
    app.openapi(route, (c) =>
      c.json(errorBody('not-implemented', `${what} (${path}) is not built yet`), 501),
    );
  }
}
