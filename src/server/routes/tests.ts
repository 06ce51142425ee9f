import { realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { createRoute, z } from '@hono/zod-openapi';
import { isPathInside } from '../../core/index.js';
import type { ApiApp, AppDeps } from '../app.js';
import { ApiError } from '../errors.js';
import { resolveRepository } from '../paths.js';
import { ERRORS, JobResponse, json, jsonBody, NOT_FOUND, RepoRef } from '../schemas.js';

/* Test generation (issue 15): a job that writes tests, and the runs it recorded. */

/** `provider:model`, `custom:<name>`, `builtin:testgen`. */
const MODEL_ID = /^[A-Za-z0-9_.-]+:\S+$/;

const RelativePath = z.string().min(1).max(4096);

const GenerateBody = z
  .object({
    repo: RepoRef,
    paths: z
      .array(RelativePath)
      .max(200)
      .optional()
      .openapi({ description: 'source files or folders to test, relative to the repository' }),
    files: z
      .array(RelativePath)
      .max(200)
      .optional()
      .openapi({
        description: "source files to test, relative to the repository (the CLI's --files)",
      }),
    target: z
      .number()
      .min(0, 'a line coverage fraction from 0 to 1 (0.8 for 80%)')
      .max(1, 'a line coverage fraction from 0 to 1 (0.8 for 80%)')
      .optional()
      .openapi({
        description: 'line coverage to aim for per file; files at or above it are left alone (0.8)',
      }),
    models: z
      .array(
        z.string().max(200).regex(MODEL_ID, 'a model id (`builtin:testgen`, `provider:model`)'),
      )
      .max(20)
      .optional()
      .openapi({ description: "models to use, in order; the router's choice when absent" }),
    maxFiles: z.number().int().min(1).max(1000).optional(),
    attempts: z
      .number()
      .int()
      .min(1)
      .max(10)
      .optional()
      .openapi({ description: 'attempts per file for a model that repairs (an LLM)' }),
    dryRun: z
      .boolean()
      .optional()
      .openapi({
        description: 'gate the tests but commit nothing: the result says what would be kept',
      }),
  })
  .strict();

const generateRoute = createRoute({
  method: 'post',
  path: '/api/codebase/tests/generate',
  summary:
    "Queue a test-generation run: coverage measured with the repository's runner, tests written for the least-covered (or the named) files, kept only when they pass the test gate, committed to a new branch unless `dryRun`; the job's result is the run's report",
  request: { body: jsonBody(GenerateBody) },
  responses: { 202: json(JobResponse, 'Queued'), ...ERRORS, ...NOT_FOUND },
});

/**
 * `input` inside `root` as a `/`-separated relative path: 400 (naming `field`) when it is absolute,
 * leaves the repository (literally or through a symlink), does not exist, or is not a file when a
 * file is wanted.
 */
async function resolveInside(
  root: string,
  input: string,
  field: string,
  want: 'file' | 'file or folder',
): Promise<string> {
  const fail = (why: string): ApiError => new ApiError(400, 'validation', `${field}: ${why}`);
  if (path.isAbsolute(input)) throw fail(`must be relative to the repository, got ${input}`);
  const target = path.resolve(root, input);
  if (!isPathInside(root, target)) throw fail(`${input} is outside the repository`);
  const real = await realpath(target).catch(() => undefined);
  if (real === undefined) throw fail(`${input} does not exist`);
  if (!isPathInside(root, real)) throw fail(`${input} resolves outside the repository (symlink)`);
  const info = await stat(real);
  if (want === 'file' && !info.isFile()) throw fail(`${input} is not a file`);
  if (!info.isFile() && !info.isDirectory()) throw fail(`${input} is not a file or folder`);
  return path.relative(root, real).split(path.sep).join('/') || '.';
}

export function registerTestRoutes(app: ApiApp, deps: AppDeps): void {
  app.openapi(generateRoute, async (c) => {
    const { repo: ref, paths, files, ...rest } = c.req.valid('json');
    const repo = await resolveRepository(deps.store, ref);
    const resolve = (list: string[] | undefined, field: string, want: 'file' | 'file or folder') =>
      list === undefined
        ? undefined
        : Promise.all(list.map((p, i) => resolveInside(repo.root, p, `${field}.${i}`, want)));
    const params = {
      ...rest,
      ...(paths === undefined ? {} : { paths: await resolve(paths, 'paths', 'file or folder') }),
      ...(files === undefined ? {} : { files: await resolve(files, 'files', 'file') }),
    };
    const job = await deps.runner.enqueue({ kind: 'tests', repoId: repo.id, params });
    return c.json({ job }, 202);
  });
}
