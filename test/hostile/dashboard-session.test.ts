import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeRepo } from '../helpers/repo.js';
import { client, startServe, stopServers, type Server } from '../helpers/serve.js';

// The dashboard's session cookie against forgery, fixation and guessing, on a real `beast serve`
// over loopback: every refusal is exact, and nothing is registered by a refused request.

const TOKEN = 'dashboard-session-hostile-token';
const temps: string[] = [];
let server: Server;
let repo = '';

async function home(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'beast-session-home-'));
  temps.push(dir);
  return dir;
}

const url = (route: string, on = server): string => new URL(route, on.url).toString();

function login(body: string, headers: Record<string, string> = {}, on = server) {
  return fetch(url('/api/session', on), {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body,
  });
}

/** A live session: its cookie header and CSRF token. */
async function session(): Promise<{ cookie: string; csrf: string }> {
  const response = await login(JSON.stringify({ token: TOKEN }));
  expect(response.status).toBe(200);
  const cookie = /^(beast_session=[^;]+)/.exec(response.headers.get('set-cookie') ?? '')?.[1];
  const body = (await response.json()) as { session: { csrfToken: string } };
  return { cookie: cookie!, csrf: body.session.csrfToken };
}

async function registered(): Promise<number> {
  const response = await client(server, TOKEN)('GET', '/api/repos');
  return ((await response.json()) as { repos: unknown[] }).repos.length;
}

function register(headers: Record<string, string>): Promise<Response> {
  return fetch(url('/api/repos'), {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ path: repo }),
  });
}

async function error(response: Response): Promise<{ code: string; message: string }> {
  return ((await response.json()) as { error: { code: string; message: string } }).error;
}

beforeAll(async () => {
  repo = await makeRepo({ 'src/a.ts': 'export const a = 1;\n' });
  temps.push(repo);
  server = await startServe(await home(), { BEAST_API_TOKEN: TOKEN });
}, 120_000);

afterAll(async () => {
  stopServers();
  await Promise.all(temps.map((dir) => rm(dir, { recursive: true, force: true })));
});

describe('the dashboard session, attacked', () => {
  it('a cookie holding the API token itself is no session', async () => {
    const response = await fetch(url('/api/repos'), {
      headers: { cookie: `beast_session=${TOKEN}` },
    });
    expect(response.status).toBe(401);
    expect(await error(response)).toEqual({
      code: 'unauthorized',
      message: 'the session has ended (expired, logged out or the server restarted): log in again',
    });
    expect(response.headers.get('set-cookie')).toMatch(/^beast_session=; Max-Age=0/);
  });

  it('a session id planted before the login is worth nothing after it', async () => {
    const planted = 'beast_session=chosen-by-the-attacker';
    const response = await login(JSON.stringify({ token: TOKEN }), { cookie: planted });
    expect(response.status).toBe(200);
    expect(response.headers.get('set-cookie')).not.toContain('chosen-by-the-attacker');
    expect((await fetch(url('/api/repos'), { headers: { cookie: planted } })).status).toBe(401);
  });

  it('changes with the cookie are refused without the CSRF token, with another session’s, or from another site', async () => {
    const mine = await session();
    const theirs = await session();
    const before = await registered();
    const cases: [Record<string, string>, number, string][] = [
      [{ cookie: mine.cookie }, 403, 'csrf'],
      [{ cookie: mine.cookie, 'x-csrf-token': theirs.csrf }, 403, 'csrf'],
      [{ cookie: mine.cookie, 'x-csrf-token': '' }, 403, 'csrf'],
      [
        { cookie: mine.cookie, 'x-csrf-token': mine.csrf, origin: 'http://evil.example' },
        403,
        'cross-site',
      ],
      [
        { cookie: mine.cookie, 'x-csrf-token': mine.csrf, 'sec-fetch-site': 'same-site' },
        403,
        'cross-site',
      ],
      [{ cookie: 'beast_session=', 'x-csrf-token': mine.csrf }, 401, 'unauthorized'],
    ];
    for (const [headers, status, code] of cases) {
      const response = await register(headers);
      expect(response.status, JSON.stringify(headers)).toBe(status);
      expect((await error(response)).code).toBe(code);
    }
    expect(await registered()).toBe(before);
  });

  it('logout needs the CSRF token too: a forged one leaves the session alive', async () => {
    const { cookie } = await session();
    const forged = await fetch(url('/api/session'), { method: 'DELETE', headers: { cookie } });
    expect(forged.status).toBe(403);
    expect((await error(forged)).code).toBe('csrf');
    expect((await fetch(url('/api/repos'), { headers: { cookie } })).status).toBe(200);
  });

  it('a login from another site, or as a form can send it, sets no cookie', async () => {
    const cases: [Record<string, string>, number][] = [
      [{ 'sec-fetch-site': 'cross-site' }, 403],
      [{ origin: 'http://evil.example' }, 403],
      [{ 'content-type': 'text/plain' }, 415],
      [{ 'content-type': 'application/x-www-form-urlencoded' }, 415],
    ];
    for (const [headers, status] of cases) {
      const response = await login(JSON.stringify({ token: TOKEN }), headers);
      expect(response.status, JSON.stringify(headers)).toBe(status);
      expect(response.headers.get('set-cookie')).toBeNull();
    }
  });

  it('an oversized login body is refused before it is read as a token', async () => {
    const response = await login(JSON.stringify({ token: 'x'.repeat(2 * 1024 * 1024) }));
    expect(response.status).toBe(413);
    expect(response.headers.get('set-cookie')).toBeNull();
  });

  it('guessing the token: locked out after 10 failures, right token included; bearer clients unaffected', async () => {
    // A server of its own: the lockout is per address, and every request here is from 127.0.0.1.
    const guessed = await startServe(await home(), { BEAST_API_TOKEN: TOKEN });
    for (let i = 0; i < 10; i++) {
      const response = await login(JSON.stringify({ token: `guess-${i}` }), {}, guessed);
      expect(response.status).toBe(401);
    }
    const locked = await login(JSON.stringify({ token: TOKEN }), {}, guessed);
    expect(locked.status).toBe(429);
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(14 * 60);
    expect(locked.headers.get('set-cookie')).toBeNull();
    expect((await error(locked)).code).toBe('too-many-logins');
    expect((await client(guessed, TOKEN)('GET', '/api/repos')).status).toBe(200);
    // The token was never printed, nor sent back.
    expect([...guessed.lines, ...guessed.stderr].join('\n')).not.toContain(TOKEN);
  });
});
