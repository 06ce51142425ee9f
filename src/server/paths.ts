import { realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { isPathInside } from '../core/index.js';
import { findRegisteredRepository, type RegisteredRepository, type Store } from '../store/index.js';
import { ApiError, notFound } from './errors.js';

/** The real path of an existing directory; 400 otherwise. */
export async function resolveDirectory(input: string): Promise<string> {
  if (!path.isAbsolute(input))
    throw new ApiError(400, 'validation', `path: must be absolute, got "${input}"`);
  const real = await realpath(input).catch(() => undefined);
  if (real === undefined) throw new ApiError(400, 'validation', `path: ${input} does not exist`);
  if (!(await stat(real)).isDirectory())
    throw new ApiError(400, 'validation', `path: ${input} is not a directory`);
  return real;
}

/**
 * The registered repository a request names, by id or by path (resolved to its real path, so a
 * symlink to a registered folder names it too); 404 for anything not registered.
 */
export async function resolveRepository(
  store: Store,
  ref: number | string,
): Promise<RegisteredRepository> {
  if (typeof ref === 'number') {
    const repo = await findRegisteredRepository(store, { id: ref });
    if (!repo) throw notFound(`repository ${ref} is not registered`);
    return repo;
  }
  const real = path.isAbsolute(ref) ? await realpath(ref).catch(() => undefined) : undefined;
  const repo =
    real === undefined ? undefined : await findRegisteredRepository(store, { root: real });
  if (!repo) throw notFound(`repository ${ref} is not registered (POST /api/repos first)`);
  return repo;
}

/**
 * A file inside `root`, as a `/`-separated path relative to it: 400 when the path leaves the
 * repository, literally (`../`) or through a symlink, or is not an existing file.
 */
export async function resolveRepositoryFile(root: string, file: string): Promise<string> {
  const target = path.resolve(root, file);
  if (!isPathInside(root, target))
    throw new ApiError(400, 'validation', `file: ${file} is outside the repository`);
  const real = await realpath(target).catch(() => undefined);
  if (real === undefined) throw new ApiError(400, 'validation', `file: ${file} does not exist`);
  if (!isPathInside(root, real))
    throw new ApiError(
      400,
      'validation',
      `file: ${file} resolves outside the repository (symlink)`,
    );
  if (!(await stat(real)).isFile())
    throw new ApiError(400, 'validation', `file: ${file} is not a file`);
  return path.relative(root, real).split(path.sep).join('/');
}
