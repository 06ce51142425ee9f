import { afterEach, describe, expect, it } from 'vitest';
import { makeRepo } from '../../test/helpers/repo.js';
import { createApp } from './app.js';
import { createSessionStore } from './session.js';
import { createLoginLimiter } from './session-limit.js';
import { closeHarnesses, harness, json, TOKEN } from './testing.js';

afterEach(closeHarnesses);

const HOUR = 60 * 60 * 1000;

/** An app over a real store whose sessions and login limiter read `clock.now`. */
async function sessionApp() {
  const h = await harness();
  const clock = { now: 1_000_000 };
  const now = (): number => clock.now;
  const app = createApp({
    store: h.store,
    runner: h.runner,
    token: TOKEN,
    staticDir: h.dir,
    sessions: createSessionStore({ now }),
    loginLimiter: createLoginLimiter({ now }),
  });
  const login = (token: string, headers: Record<string, string> = {}, base = 'http://localhost') =>
    app.request(`${base}/api/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ token }),
    });
  /** Logs in and returns the cookie to send back and the session's CSRF token. */
  const session = async (): Promise<{ cookie: string; csrf: string }> => {
    const response = await login(TOKEN);
    expect(response.status).toBe(200);
    const cookie = /^(beast_session=[^;]+)/.exec(response.headers.get('set-cookie') ?? '')?.[1];
    expect(cookie).toBeDefined();
    const body = await json<{ session: { csrfToken: string } }>(response);
    return { cookie: cookie!, csrf: body.session.csrfToken };
  };
  return { h, app, clock, login, session };
}

const errorCode = async (response: Response): Promise<string> =>
  (await json<{ error: { code: string } }>(response)).error.code;

describe('login', () => {
  it('refuses a wrong token with 401 and sets no cookie', async () => {
    const { login } = await sessionApp();
    const response = await login(`${TOKEN}x`);
    expect(response.status).toBe(401);
    expect(response.headers.get('set-cookie')).toBeNull();
    expect(await json(response)).toEqual({
      error: { code: 'unauthorized', message: 'wrong API token' },
    });
  });

  it('sets an HttpOnly, SameSite=Strict session cookie holding a random id, not the token', async () => {
    const { login } = await sessionApp();
    const response = await login(TOKEN);
    expect(response.status).toBe(200);
    const cookie = response.headers.get('set-cookie') ?? '';
    const id = /^beast_session=([^;]+); Path=\/; HttpOnly; SameSite=Strict$/.exec(cookie)?.[1];
    expect(id, cookie).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(cookie).not.toContain(TOKEN);
    const { session } = await json<{
      session: { csrfToken: string; idleTimeoutSeconds: number };
    }>(response);
    expect(session.csrfToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(session.csrfToken).not.toBe(id);
    expect(session.idleTimeoutSeconds).toBe(12 * 60 * 60);

    const secure = await login(TOKEN, {}, 'https://beast.example');
    expect(secure.headers.get('set-cookie')).toMatch(/; Secure/);
    const proxied = await login(TOKEN, { 'x-forwarded-proto': 'https' });
    expect(proxied.headers.get('set-cookie')).toMatch(/; Secure/);
  });

  it('gives a new session id on every login and ends the one the browser sent', async () => {
    const { app, login, session } = await sessionApp();
    const first = await session();
    const again = await login(TOKEN, { cookie: first.cookie });
    const second = /^(beast_session=[^;]+)/.exec(again.headers.get('set-cookie') ?? '')?.[1];
    expect(second).toBeDefined();
    expect(second).not.toBe(first.cookie);
    expect((await app.request('/api/repos', { headers: { cookie: first.cookie } })).status).toBe(
      401,
    );
    expect((await app.request('/api/repos', { headers: { cookie: second! } })).status).toBe(200);
  });

  it('refuses a login from another site, and a body that is not JSON (415)', async () => {
    const { login, app } = await sessionApp();
    const crossSite = await login(TOKEN, { 'sec-fetch-site': 'cross-site' });
    expect(crossSite.status).toBe(403);
    expect(await errorCode(crossSite)).toBe('cross-site');
    const foreign = await login(TOKEN, { origin: 'https://evil.example' });
    expect(foreign.status).toBe(403);
    expect(foreign.headers.get('set-cookie')).toBeNull();
    // What a cross-site <form> can send: no JSON content type, so no login.
    const form = await app.request('/api/session', {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: JSON.stringify({ token: TOKEN }),
    });
    expect(form.status).toBe(415);
    expect(form.headers.get('set-cookie')).toBeNull();
  });

  it('refuses logins from an address after 10 failures in 15 minutes, right token included', async () => {
    const { login, clock } = await sessionApp();
    for (let i = 0; i < 10; i++) expect((await login(`wrong-${i}`)).status).toBe(401);
    const limited = await login(TOKEN);
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe(String(15 * 60));
    expect(limited.headers.get('set-cookie')).toBeNull();
    expect(await errorCode(limited)).toBe('too-many-logins');
    clock.now += 15 * 60 * 1000;
    expect((await login(TOKEN)).status).toBe(200);
  });
});

describe('requests with the session cookie', () => {
  it('reads with the cookie alone; changes need the CSRF token', async () => {
    const { app, session } = await sessionApp();
    const { cookie, csrf } = await session();
    const repo = await makeRepo({ 'src/a.ts': 'export const a = 1;\n' });
    const post = (headers: Record<string, string>) =>
      app.request('/api/repos', {
        method: 'POST',
        headers: { cookie, 'content-type': 'application/json', ...headers },
        body: JSON.stringify({ path: repo }),
      });

    expect((await app.request('/api/repos', { headers: { cookie } })).status).toBe(200);

    const missing = await post({});
    expect(missing.status).toBe(403);
    expect((await json<{ error: { message: string } }>(missing)).error).toEqual({
      code: 'csrf',
      message:
        'missing X-CSRF-Token header: a request with the session cookie that changes something must send the token the login (or GET /api/session) returned',
    });
    const wrong = await post({ 'x-csrf-token': `${csrf}x` });
    expect(wrong.status).toBe(403);
    expect(await errorCode(wrong)).toBe('csrf');
    // Nothing was registered by the refused requests.
    const listed = await app.request('/api/repos', { headers: { cookie } });
    expect((await json<{ repos: unknown[] }>(listed)).repos).toEqual([]);

    // The right token, but from another site.
    const crossSite: Record<string, string>[] = [
      { 'sec-fetch-site': 'cross-site' },
      { 'sec-fetch-site': 'same-site' },
      { origin: 'http://evil.example' },
      { origin: 'null' },
    ];
    for (const headers of crossSite) {
      const refused = await post({ 'x-csrf-token': csrf, ...headers });
      expect(refused.status, JSON.stringify(headers)).toBe(403);
      expect(await errorCode(refused)).toBe('cross-site');
    }

    const ok = await post({
      'x-csrf-token': csrf,
      'sec-fetch-site': 'same-origin',
      origin: 'http://localhost',
    });
    expect(ok.status).toBe(201);
  });

  it('leaves bearer clients as they were: no CSRF token, no origin checks', async () => {
    const { app } = await sessionApp();
    const repo = await makeRepo({ 'src/a.ts': 'export const a = 1;\n' });
    const response = await app.request('/api/repos', {
      method: 'POST',
      headers: {
        authorization: `Bearer ${TOKEN}`,
        'content-type': 'application/json',
        origin: 'http://elsewhere.example',
      },
      body: JSON.stringify({ path: repo }),
    });
    expect(response.status).toBe(201);
    expect(response.headers.get('set-cookie')).toBeNull();
    // A wrong bearer token is not rescued by a valid cookie.
    const withCookie = await app.request('/api/repos', {
      headers: { authorization: `Bearer ${TOKEN}x` },
    });
    expect(withCookie.status).toBe(401);
    const read = await app.request('/api/session', {
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    expect(await json(read)).toEqual({ session: null });
  });

  it('tells another tab the CSRF token of the same session', async () => {
    const { app, session } = await sessionApp();
    const { cookie, csrf } = await session();
    const read = await app.request('/api/session', { headers: { cookie } });
    expect(read.status).toBe(200);
    expect((await json<{ session: { csrfToken: string } }>(read)).session.csrfToken).toBe(csrf);
    // No credentials needed to ask, and nothing told without the cookie.
    const none = await app.request('/api/session');
    expect(none.status).toBe(200);
    expect(await json(none)).toEqual({ session: null });
    expect(none.headers.get('set-cookie')).toBeNull();
    const ended = await app.request('/api/session', {
      headers: { cookie: 'beast_session=made-up' },
    });
    expect(await json(ended)).toEqual({ session: null });
    expect(ended.headers.get('set-cookie')).toMatch(/^beast_session=; Max-Age=0/);
  });

  it('logs out: the session ends and the cookie is cleared; logout itself needs the CSRF token', async () => {
    const { app, session } = await sessionApp();
    const { cookie, csrf } = await session();
    const forged = await app.request('/api/session', { method: 'DELETE', headers: { cookie } });
    expect(forged.status).toBe(403);
    expect((await app.request('/api/repos', { headers: { cookie } })).status).toBe(200);

    const out = await app.request('/api/session', {
      method: 'DELETE',
      headers: { cookie, 'x-csrf-token': csrf },
    });
    expect(out.status).toBe(204);
    expect(out.headers.get('set-cookie')).toMatch(/^beast_session=; Max-Age=0; Path=\//);
    const after = await app.request('/api/repos', { headers: { cookie } });
    expect(after.status).toBe(401);
    expect((await json<{ error: { message: string } }>(after)).error.message).toBe(
      'the session has ended (expired, logged out or the server restarted): log in again',
    );
  });

  it('ends a session after 12 hours without a request; each request restarts the clock', async () => {
    const { app, clock, session } = await sessionApp();
    const { cookie } = await session();
    const get = async (): Promise<number> =>
      (await app.request('/api/repos', { headers: { cookie } })).status;
    clock.now += 12 * HOUR - 1;
    expect(await get()).toBe(200);
    clock.now += 12 * HOUR - 1;
    expect(await get()).toBe(200);
    clock.now += 12 * HOUR;
    expect(await get()).toBe(401);
    // Ended for good: the clock going back does not revive it.
    clock.now -= 12 * HOUR;
    expect(await get()).toBe(401);
  });
});

describe('createSessionStore', () => {
  it('keeps at most `max` sessions, dropping the least recently used', () => {
    const store = createSessionStore({ max: 2 });
    const a = store.create();
    const b = store.create();
    expect(store.touch(a.id)).toBe(a.session);
    const c = store.create();
    expect(store.touch(b.id)).toBeUndefined();
    expect(store.touch(a.id)).toBe(a.session);
    expect(store.touch(c.id)).toBe(c.session);
  });
});
