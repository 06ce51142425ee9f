import { chmod, chown, mkdtemp, readFile, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { InputError } from '../core/index.js';
import { crossSiteReason, loadApiToken, TOKEN_FILE } from './auth.js';

describe('loadApiToken', () => {
  it('generates a random token once, owner-only, then reuses it', async () => {
    const dir = path.join(await mkdtemp(path.join(tmpdir(), 'beast-token-')), 'home');
    const first = await loadApiToken({}, dir);
    expect(first).toMatchObject({ source: 'generated', file: path.join(dir, TOKEN_FILE) });
    expect(first.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect((await stat(first.file!)).mode & 0o777).toBe(0o600);
    expect((await stat(dir)).mode & 0o777).toBe(0o700);
    const second = await loadApiToken({}, dir);
    expect(second).toEqual({ ...first, source: 'file' });
    expect(
      (await loadApiToken({}, await mkdtemp(path.join(tmpdir(), 'beast-token-')))).token,
    ).not.toBe(first.token);
  });

  it('prefers BEAST_API_TOKEN and writes nothing then', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'beast-token-'));
    expect(await loadApiToken({ BEAST_API_TOKEN: 'from-env' }, dir)).toEqual({
      token: 'from-env',
      source: 'env',
      file: undefined,
    });
    await expect(readFile(path.join(dir, TOKEN_FILE))).rejects.toThrow(/ENOENT/);
  });

  it('makes a saved token file readable by its owner only', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'beast-token-'));
    const file = path.join(dir, TOKEN_FILE);
    await writeFile(file, 'saved-token\n');
    await chmod(file, 0o644);
    expect((await loadApiToken({}, dir)).token).toBe('saved-token');
    expect((await stat(file)).mode & 0o777).toBe(0o600);
  });

  it.each([0o622, 0o646, 0o666])(
    'refuses a saved token file others can write (mode %o), leaving it as it is',
    async (mode) => {
      const dir = await mkdtemp(path.join(tmpdir(), 'beast-token-'));
      const file = path.join(dir, TOKEN_FILE);
      await writeFile(file, 'planted-token\n');
      await chmod(file, mode);
      const error: unknown = await loadApiToken({}, dir).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(InputError);
      expect((error as Error).message).toBe(
        `the API token file ${file} is writable by others (mode ${mode.toString(8)}); remove it for a new token or make it owner-only (chmod 600)`,
      );
      expect((await stat(file)).mode & 0o777).toBe(mode);
    },
  );

  // Only root can give a file to another user.
  it.skipIf(process.getuid?.() !== 0)('refuses a saved token file of another user', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'beast-token-'));
    const file = path.join(dir, TOKEN_FILE);
    await writeFile(file, 'their-token\n', { mode: 0o600 });
    await chown(file, 12345, 12345);
    await expect(loadApiToken({}, dir)).rejects.toThrow(
      `the API token file ${file} belongs to another user; remove it or set BEAST_API_TOKEN`,
    );
  });
});

describe('crossSiteReason', () => {
  // The page's own requests, and clients that are not browsers.
  const sameSite: Record<string, string>[] = [
    {},
    { 'sec-fetch-site': 'same-origin' },
    { origin: 'http://127.0.0.1:4700' },
    { origin: 'http://127.0.0.1:4700', 'sec-fetch-site': 'same-origin' },
    { origin: 'https://beast.example', 'x-forwarded-host': 'beast.example' },
  ];
  const crossSite: [Record<string, string>, string][] = [
    [{ 'sec-fetch-site': 'cross-site' }, 'Sec-Fetch-Site: cross-site'],
    [{ 'sec-fetch-site': 'same-site' }, 'Sec-Fetch-Site: same-site'],
    [{ 'sec-fetch-site': 'none' }, 'Sec-Fetch-Site: none'],
    [{ origin: 'http://127.0.0.1:4701' }, 'Origin: http://127.0.0.1:4701'],
    [{ origin: 'http://evil.example' }, 'Origin: http://evil.example'],
    [{ origin: 'null' }, 'Origin: null'],
    [
      { origin: 'http://evil.example', 'sec-fetch-site': 'same-origin' },
      'Origin: http://evil.example',
    ],
  ];
  const reason = async (headers: Record<string, string>): Promise<string> => {
    const app = new Hono().get('/', (c) => c.text(crossSiteReason(c) ?? 'same'));
    return (await app.request('http://127.0.0.1:4700/', { headers })).text();
  };
  it.each(sameSite)('same site: %o', async (headers) => expect(await reason(headers)).toBe('same'));
  it.each(crossSite)('cross site: %o', async (headers, expected) =>
    expect(await reason(headers)).toBe(expected),
  );
});
