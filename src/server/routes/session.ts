import { createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import type { ApiApp } from '../app.js';
import { crossSiteReason, LOGIN_PATH } from '../auth.js';
import { errorBody } from '../errors.js';
import { ErrorSchema, json, jsonBody } from '../schemas.js';
import { sameSecret, SESSION_COOKIE, type SessionStore } from '../session.js';
import type { LoginLimiter } from '../session-limit.js';

const SessionSchema = z
  .object({
    csrfToken: z.string().openapi({ description: 'send it as X-CSRF-Token with every change' }),
    idleTimeoutSeconds: z.number(),
  })
  .openapi('Session');

const SessionResponse = z.object({ session: SessionSchema });

const error = (description: string) => json(ErrorSchema, description);

const loginRoute = createRoute({
  method: 'post',
  path: LOGIN_PATH,
  summary: 'Log in with the API token: sets an HttpOnly session cookie for the dashboard',
  security: [],
  request: { body: jsonBody(z.object({ token: z.string().min(1).max(4096) }).strict()) },
  responses: {
    200: json(SessionResponse, 'Logged in: a new session cookie, and its CSRF token'),
    400: error('Invalid request: the message names the offending field'),
    401: error('Wrong API token'),
    403: error('A request from another site'),
    413: error('Request body larger than the limit'),
    429: error('Too many failed logins from this address: Retry-After says when to try again'),
  },
});

const readRoute = createRoute({
  method: 'get',
  path: LOGIN_PATH,
  summary:
    'Whether the session cookie is a live session, and its CSRF token (for another tab of the dashboard); needs no credentials',
  security: [],
  responses: {
    200: json(
      z.object({ session: SessionSchema.nullable() }),
      'The session, or null when the request has no live session cookie',
    ),
  },
});

const logoutRoute = createRoute({
  method: 'delete',
  path: LOGIN_PATH,
  summary: 'Log out: ends the session and clears its cookie',
  responses: {
    204: { description: 'Logged out' },
    401: error('No session, or it ended'),
    403: error('Missing or wrong X-CSRF-Token, or a request from another site'),
  },
});

/** The client's address, as the socket says (behind a proxy, the proxy's). */
function clientAddress(c: Context): string {
  const env = c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined;
  return env?.incoming?.socket?.remoteAddress ?? 'unknown';
}

function isHttps(c: Context): boolean {
  return new URL(c.req.url).protocol === 'https:' || c.req.header('x-forwarded-proto') === 'https';
}

/** What the session routes need: the token to check and where sessions and failures are kept. */
export interface SessionDeps {
  token: string;
  sessions: SessionStore;
  loginLimiter: LoginLimiter;
}

/**
 * `POST /api/session` (login), `GET` (the CSRF token of the cookie's session), `DELETE` (logout).
 * The cookie holds a random session id, never the token: HttpOnly, SameSite=Strict, Path=/, Secure
 * over https, and no Max-Age, so it ends with the browser session (or the server's idle timeout).
 */
export function registerSessionRoutes(app: ApiApp, deps: SessionDeps): void {
  const { sessions, loginLimiter } = deps;
  const body = (csrfToken: string) => ({
    session: { csrfToken, idleTimeoutSeconds: Math.round(sessions.idleMs / 1000) },
  });

  app.openapi(loginRoute, (c) => {
    const crossSite = crossSiteReason(c);
    if (crossSite !== undefined)
      return c.json(
        errorBody('cross-site', `refused a login from another site (${crossSite})`),
        403,
      );
    const address = clientAddress(c);
    const wait = loginLimiter.retryAfter(address);
    if (wait > 0) {
      const seconds = Math.ceil(wait / 1000);
      c.header('Retry-After', String(seconds));
      return c.json(
        errorBody('too-many-logins', `too many failed logins: try again in ${seconds} s`),
        429,
      );
    }
    if (!sameSecret(c.req.valid('json').token, deps.token)) {
      loginLimiter.failed(address);
      return c.json(errorBody('unauthorized', 'wrong API token'), 401);
    }
    loginLimiter.succeeded(address);
    // A fresh id on every login, and the old session ended: an id planted before the login is
    // worth nothing after it.
    const previous = getCookie(c, SESSION_COOKIE);
    if (previous !== undefined) sessions.remove(previous);
    const { id, session } = sessions.create();
    setCookie(c, SESSION_COOKIE, id, {
      path: '/',
      httpOnly: true,
      sameSite: 'Strict',
      secure: isHttps(c),
    });
    return c.json(body(session.csrfToken), 200);
  });

  app.openapi(readRoute, (c) => {
    const id = getCookie(c, SESSION_COOKIE);
    const session = id === undefined ? undefined : sessions.touch(id);
    if (session) return c.json(body(session.csrfToken), 200);
    if (id !== undefined) deleteCookie(c, SESSION_COOKIE, { path: '/', secure: isHttps(c) });
    return c.json({ session: null }, 200);
  });

  app.openapi(logoutRoute, (c) => {
    const id = getCookie(c, SESSION_COOKIE);
    if (id !== undefined) sessions.remove(id);
    deleteCookie(c, SESSION_COOKIE, { path: '/', secure: isHttps(c) });
    return c.body(null, 204);
  });
}
