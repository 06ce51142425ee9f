import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { MiddlewareHandler } from 'hono';
import { readSecret } from '../core/index.js';
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
 * one, saved there readable by its owner only.
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
    await chmod(file, 0o600);
    return { token: saved.trim(), source: 'file', file };
  }
  const token = randomBytes(32).toString('base64url');
  await mkdir(dir, { recursive: true });
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
