import { randomBytes } from 'node:crypto';
import { chmod, mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { userInfo } from 'node:os';
import path from 'node:path';
import type { Context, MiddlewareHandler } from 'hono';
import { deleteCookie, getCookie } from 'hono/cookie';
import { InputError, readSecret } from '../core/index.js';
import { errorBody } from './errors.js';
import { SESSION_COOKIE, sameSecret, type SessionStore } from './session.js';

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

const MUTATING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * The session route: its login (POST) takes the token in its body and its GET answers whether the
 * cookie is a live session, so neither needs credentials of its own.
 */
export const LOGIN_PATH = '/api/session';

/**
 * Why a request is taken to come from another site, or undefined when nothing says so. Browsers
 * send `Sec-Fetch-Site`; older ones only `Origin`, which must then name this server's own host.
 * Clients that send neither (curl, the CLI) are not browsers and carry no ambient cookie anyway.
 */
export function crossSiteReason(c: Context): string | undefined {
  const site = c.req.header('sec-fetch-site');
  if (site !== undefined && site !== 'same-origin') return `Sec-Fetch-Site: ${site}`;
  const origin = c.req.header('origin');
  if (origin === undefined) return undefined;
  let host: string | undefined;
  try {
    host = new URL(origin).host;
  } catch {
    host = undefined;
  }
  const own = [c.req.header('host') ?? new URL(c.req.url).host, c.req.header('x-forwarded-host')];
  return host !== undefined && host !== '' && own.includes(host) ? undefined : `Origin: ${origin}`;
}

/** What `/api` accepts: the API token, or the session cookie the login route sets. */
export interface ApiAuthOptions {
  token: string;
  sessions: SessionStore;
}

function unauthorized(c: Context, message: string): Response {
  c.header('WWW-Authenticate', 'Bearer');
  return c.json(errorBody('unauthorized', message), 401);
}

/**
 * Requires `Authorization: Bearer <token>` (compared in constant time), or else a live session
 * cookie. A request with the cookie that changes something must also come from this server's own
 * page (`Sec-Fetch-Site`/`Origin`) and carry the session's `X-CSRF-Token`, so another site cannot
 * make the browser act with it. A bearer token is never sent by a browser on its own: no such checks.
 */
export function apiAuth({ token, sessions }: ApiAuthOptions): MiddlewareHandler {
  return async (c, next) => {
    if (c.req.path === LOGIN_PATH && (c.req.method === 'POST' || c.req.method === 'GET'))
      return next();
    const header = c.req.header('authorization');
    if (header !== undefined) {
      const match = /^Bearer\s+(\S+)$/i.exec(header);
      if (!match?.[1] || !sameSecret(match[1], token))
        return unauthorized(
          c,
          match ? 'wrong API token' : 'missing bearer token (Authorization: Bearer <token>)',
        );
      return next();
    }
    const id = getCookie(c, SESSION_COOKIE);
    const session = id === undefined ? undefined : sessions.touch(id);
    if (!session) {
      if (id === undefined)
        return unauthorized(
          c,
          'missing bearer token (Authorization: Bearer <token>) or session cookie (log in with POST /api/session)',
        );
      deleteCookie(c, SESSION_COOKIE, { path: '/' });
      return unauthorized(
        c,
        'the session has ended (expired, logged out or the server restarted): log in again',
      );
    }
    if (MUTATING.has(c.req.method)) {
      const crossSite = crossSiteReason(c);
      if (crossSite !== undefined)
        return c.json(
          errorBody(
            'cross-site',
            `refused a request from another site (${crossSite}) made with the session cookie`,
          ),
          403,
        );
      const csrf = c.req.header('x-csrf-token');
      if (csrf === undefined || !sameSecret(csrf, session.csrfToken))
        return c.json(
          errorBody(
            'csrf',
            `${csrf === undefined ? 'missing' : 'wrong'} X-CSRF-Token header: a request with the session cookie that changes something must send the token the login (or GET /api/session) returned`,
          ),
          403,
        );
    }
    return next();
  };
}
