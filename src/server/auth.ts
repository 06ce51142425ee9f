import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { chmod, mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { userInfo } from 'node:os';
import path from 'node:path';
import type { MiddlewareHandler } from 'hono';
import { InputError, readSecret } from '../core/index.js';
import { errorBody } from './errors.js';

/** The API token and where it came from. */
export interface ApiToken {
  token: string;
  source: 'env' | 'file' | 'generated';
  /** The file holding it, unless it came from the environment. */
  file: string | undefined;
}

export const TOKEN_FILE = 'api-token';

/**
 * `BEAST_API_TOKEN` when set; else the token saved in `dir` by an earlier start; else a new random
 * one, saved there readable by its owner only (0600, in a folder created 0700; an existing folder
 * is left as it is, since `--db ./beast.db` makes it the user's own working folder).
 *
 * A saved token file that others can read is made owner-only (its token may have been seen:
 * delete the file for a new one). One that others can write, or that belongs to another user, is
 * refused: whoever could write it may have chosen the token.
 *
 * @throws InputError for a token file that others can write or that is not the user's.
 */
export async function loadApiToken(
  env: Readonly<Record<string, string | undefined>>,
  dir: string,
): Promise<ApiToken> {
  const fromEnv = readSecret(env, 'BEAST_API_TOKEN');
  if (fromEnv !== undefined && fromEnv !== '')
    return { token: fromEnv, source: 'env', file: undefined };
  const file = path.join(dir, TOKEN_FILE);
  const saved = await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined;
    throw error;
  });
  if (saved !== undefined && saved.trim() !== '') {
    const info = await stat(file);
    const { uid } = userInfo();
    // -1 where the system has no user ids (Windows).
    if (uid !== -1 && info.uid !== uid)
      throw new InputError(
        `the API token file ${file} belongs to another user; remove it or set BEAST_API_TOKEN`,
      );
    if ((info.mode & 0o022) !== 0)
      throw new InputError(
        `the API token file ${file} is writable by others (mode ${(info.mode & 0o777).toString(8)}); remove it for a new token or make it owner-only (chmod 600)`,
      );
    if ((info.mode & 0o077) !== 0) await chmod(file, 0o600);
    return { token: saved.trim(), source: 'file', file };
  }
  const token = randomBytes(32).toString('base64url');
  await mkdir(dir, { recursive: true, mode: 0o700 });
  // Created exclusively with owner-only permissions: never readable by others, not even briefly.
  await writeFile(file, `${token}\n`, { mode: 0o600, flag: 'wx' });
  return { token, source: 'generated', file };
}

const digest = (s: string): Buffer => createHash('sha256').update(s).digest();

/** Requires `Authorization: Bearer <token>`, compared in constant time (hashes of equal length). */
export function bearerAuth(token: string): MiddlewareHandler {
  const expected = digest(token);
  return async (c, next) => {
    const header = c.req.header('authorization') ?? '';
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match?.[1] || !timingSafeEqual(digest(match[1]), expected)) {
      c.header('WWW-Authenticate', 'Bearer');
      return c.json(
        errorBody(
          'unauthorized',
          match ? 'wrong API token' : 'missing bearer token (Authorization: Bearer <token>)',
        ),
        401,
      );
    }
    return next();
  };
}
