import { randomBytes } from 'node:crypto';
import { createServer, type Server as HttpServer } from 'node:http';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoRepo, launchChromium, RESULTS } from '../helpers/browser.js';
import { git } from '../helpers/repo.js';
import { startServe, type Server } from '../helpers/serve.js';

/**
 * The dashboard's login in a real browser against the real built `beast serve`: the login form,
 * the session cookie across reloads and tabs, the confirmation before an improvement, a forged
 * request from another origin, logout, and the layout at 390 px wide.
 */

// Generous, only so that a hung step fails with playwright's account of what it waited for.
const STEP_TIMEOUT = 240_000;
const TEST_TIMEOUT = 300_000;
const FINISHED = ['succeeded', 'failed', 'interrupted', 'cancelled']
  .map((status) => `[data-status="${status}"]`)
  .join(', ');
const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1280, height: 900 };

const token = randomBytes(24).toString('hex');
const temps: string[] = [];
let server: Server | undefined;
let baseUrl = '';
let browser: Browser | undefined;
let demoDir = '';
// One browser session for the tests in order: log in, tabs, improvement, forgery, logout.
let context: BrowserContext | undefined;
// Uncaught errors and console errors of every page of that session.
const pageErrors: string[] = [];

async function api<T>(route: string): Promise<T> {
  const response = await fetch(baseUrl + route, { headers: { Authorization: `Bearer ${token}` } });
  expect(response.status, `${route}: ${await response.clone().text()}`).toBe(200);
  return (await response.json()) as T;
}

async function newPage(): Promise<Page> {
  const page = await context!.newPage();
  page.setDefaultTimeout(STEP_TIMEOUT);
  page.on('pageerror', (error) => pageErrors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error') pageErrors.push(`${page.url()}: ${message.text()}`);
  });
  return page;
}

/** Waits until the page shows the dashboard, not the login form. */
async function dashboardShown(page: Page): Promise<void> {
  await page.getByLabel('Register a repository by path').waitFor();
  expect(await page.locator('#token').count()).toBe(0);
}

/** The page's width as laid out: no wider than the window means no sideways page scroll. */
async function scrollWidth(page: Page): Promise<number> {
  return (await page.evaluate('document.scrollingElement.scrollWidth')) as number;
}

async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: path.join(RESULTS, `session-${name}.png`), fullPage: true });
}

/** Self-improvement POSTs the page sends, with the CSRF header each carried. */
function recordStarts(page: Page): { url: string; csrf: string | null; body: unknown }[] {
  const starts: { url: string; csrf: string | null; body: unknown }[] = [];
  page.on('request', (request) => {
    if (request.method() === 'POST' && request.url().includes('/api/self-improvement/'))
      starts.push({
        url: request.url(),
        csrf: request.headers()['x-csrf-token'] ?? null,
        body: request.postDataJSON() as unknown,
      });
  });
  return starts;
}

/**
 * Another site on this machine (another port of 127.0.0.1: same site, so a SameSite=Strict cookie
 * still goes along) with a page that forges requests to the dashboard's API.
 */
async function startForger(): Promise<{ url: string; close(): Promise<void> }> {
  const target = `${baseUrl}/api/repos`;
  const html = `<!doctype html><title>forger</title>
<form id="form" method="POST" action="${target}" enctype="text/plain">
  <input name='{"path":"/tmp","x":"' value='"}'>
</form>
<script>
  window.forgeFetch = () => fetch(${JSON.stringify(target)}, {
    method: 'POST', mode: 'no-cors', credentials: 'include',
    headers: { 'Content-Type': 'text/plain' }, body: JSON.stringify({ path: ${JSON.stringify(demoDir)} }),
  }).then(() => 'sent', (e) => String(e));
</script>`;
  const forger: HttpServer = createServer((_request, response) => {
    response.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
    response.end(html);
  });
  await new Promise<void>((resolve) => forger.listen(0, '127.0.0.1', resolve));
  const { port } = forger.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () => new Promise((resolve) => forger.close(() => resolve())),
  };
}

beforeAll(async () => {
  browser = await launchChromium();
  await mkdir(RESULTS, { recursive: true });
  demoDir = await demoRepo('beast-e2e-session-', temps);
  const home = await mkdtemp(path.join(tmpdir(), 'beast-e2e-session-home-'));
  temps.push(home);
  server = await startServe(home, { BEAST_API_TOKEN: token });
  baseUrl = server.url.replace(/\/$/, '');
  context = await browser.newContext({ viewport: DESKTOP });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  if (server && server.child.exitCode === null) {
    server.child.kill('SIGTERM');
    await server.exited;
  }
  await Promise.all(temps.map((dir) => rm(dir, { recursive: true, force: true })));
}, 60_000);

describe('the dashboard session in Chromium', () => {
  it(
    'logs in through the form; the cookie, not the token, keeps it over reloads and tabs',
    async () => {
      const page = await newPage();
      await page.goto(`${baseUrl}/`);
      await page.getByRole('heading', { name: 'Log in' }).waitFor();
      await page.getByText('BEAST_API_TOKEN').waitFor();
      await page.getByText('api-token').waitFor();

      await page.getByLabel('API token').fill(`not-${token}`);
      await page.getByRole('button', { name: 'Log in' }).click();
      await page.getByText('The server refused the token').waitFor();
      // The browser logs the refused login, and nothing else so far.
      expect(pageErrors.splice(0)).toEqual([
        `${baseUrl}/: Failed to load resource: the server responded with a status of 401 (Unauthorized)`,
      ]);

      await page.getByLabel('API token').fill(token);
      await page.getByRole('button', { name: 'Log in' }).click();
      await dashboardShown(page);

      const cookies = await context!.cookies(baseUrl);
      expect(cookies.map((c) => c.name)).toEqual(['beast_session']);
      const [cookie] = cookies;
      expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/', expires: -1 });
      expect(cookie!.value).not.toContain(token);
      // Nothing the page's scripts can read holds the token or the session id.
      const readable = (await page.evaluate(
        'JSON.stringify([document.cookie, {...sessionStorage}, {...localStorage}, location.href])',
      )) as string;
      expect(readable).not.toContain(token);
      expect(readable).not.toContain(cookie!.value);

      await page.reload();
      await dashboardShown(page);

      const second = await newPage();
      await second.goto(`${baseUrl}/`);
      await dashboardShown(second);
      await second.close();
      expect(pageErrors).toEqual([]);
      await page.close();
    },
    TEST_TIMEOUT,
  );

  it(
    'starts an improvement only through its confirmation; Cancel sends nothing',
    async () => {
      const page = await newPage();
      await page.goto(`${baseUrl}/`);
      await dashboardShown(page);
      const starts = recordStarts(page);
      await page.getByLabel('Register a repository by path').fill(demoDir);
      await page.getByRole('button', { name: 'Register' }).click();
      await page.getByRole('heading', { level: 2, name: 'demo-repo' }).waitFor();
      const head = git(demoDir, 'rev-parse', 'HEAD');

      await page.getByRole('button', { name: 'Improve…' }).click();
      const dialog = page.getByRole('dialog', { name: 'Start an improvement of demo-repo?' });
      await dialog.waitFor();
      await dialog.getByText('fix the findings of the scan').waitFor();
      await dialog.getByText('new branch beast/improve-').waitFor();
      await dialog.getByText('Your working tree, current branch and uncommitted changes').waitFor();
      await dialog.getByText('At most 10 changes').waitFor();
      await dialog.getByRole('button', { name: 'Cancel' }).click();
      await dialog.waitFor({ state: 'detached' });
      // Escape cancels too.
      await page.getByRole('button', { name: 'Refactor…' }).click();
      await page.getByRole('dialog', { name: 'Start a refactoring of demo-repo?' }).waitFor();
      await page.keyboard.press('Escape');
      await page.getByRole('dialog').waitFor({ state: 'detached' });
      expect(starts).toEqual([]);
      expect((await api<{ jobs: unknown[] }>('/api/jobs')).jobs).toEqual([]);

      await page.getByRole('button', { name: 'Improve…' }).click();
      await dialog.getByLabel('Maximum changes').fill('1');
      await dialog.getByText('At most 1 change,').waitFor();
      await screenshot(page, 'confirm-desktop');
      const started = page.waitForResponse(
        (r) => r.request().method() === 'POST' && r.url().endsWith('/api/self-improvement/improve'),
      );
      await dialog.getByRole('button', { name: 'Start improvement' }).click();
      const response = await started;
      expect(response.status(), await response.text()).toBe(202);
      expect(starts).toHaveLength(1);
      expect(starts[0]!.csrf).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(starts[0]!.body).toMatchObject({ options: { kind: 'fix', maxChanges: 1 } });

      const { job } = (await response.json()) as { job: { id: number } };
      const shown = page.locator(`[data-testid="job"][data-job-id="${job.id}"]`);
      await shown.and(page.locator(FINISHED)).waitFor();
      expect(await shown.getAttribute('data-status'), (await shown.textContent()) ?? '').toBe(
        'succeeded',
      );

      // What the confirmation said: one change at most, on a new branch; the checkout untouched.
      const { repos } = await api<{ repos: { id: number; name: string }[] }>('/api/repos');
      const id = repos.find((r) => r.name === 'demo-repo')?.id;
      const { runs } = await api<{ runs: { accepted: number; branch: string | null }[] }>(
        `/api/repos/${id}/improvements`,
      );
      expect(runs).toHaveLength(1);
      expect(runs[0]!.accepted).toBe(1);
      expect(runs[0]!.branch).toMatch(/^beast\/improve-\d{8}-/);
      expect(git(demoDir, 'branch', '--list', 'beast/improve-*').trim()).toBe(runs[0]!.branch);
      expect(git(demoDir, 'rev-parse', '--abbrev-ref', 'HEAD').trim()).toBe('main');
      expect(git(demoDir, 'rev-parse', 'HEAD')).toBe(head);
      expect(git(demoDir, 'stash', 'list')).toBe('');
      expect(git(demoDir, 'status', '--porcelain')).toBe('');
      expect(pageErrors).toEqual([]);
      await page.close();
    },
    TEST_TIMEOUT,
  );

  it(
    'refuses a request another origin forges with the cookie',
    async () => {
      const forger = await startForger();
      const repoCount = async (): Promise<number> =>
        (await api<{ repos: unknown[] }>('/api/repos')).repos.length;
      const before = await repoCount();
      try {
        const page = await context!.newPage();
        page.setDefaultTimeout(STEP_TIMEOUT);
        await page.goto(forger.url);
        // A script's request: it goes out, cookie and all, and the server refuses it.
        const refused = page.waitForResponse((r) => r.url() === `${baseUrl}/api/repos`);
        expect(await page.evaluate('window.forgeFetch()')).toBe('sent');
        const response = await refused;
        expect(response.status()).toBe(403);
        expect(response.request().headers()['x-csrf-token']).toBeUndefined();
        // A form's: the browser shows the answer.
        await Promise.all([
          page.waitForURL(`${baseUrl}/api/repos`),
          page.evaluate("document.getElementById('form').submit()"),
        ]);
        const shown = JSON.parse((await page.locator('body').textContent()) ?? '') as {
          error: { code: string };
        };
        // `cross-site`, not `unauthorized`: the cookie came along, and the origin checks held.
        expect(shown.error.code).toBe('cross-site');
        await page.close();
      } finally {
        await forger.close();
      }
      expect(await repoCount()).toBe(before);
    },
    TEST_TIMEOUT,
  );

  it(
    'fits a 390 px wide screen without sideways scrolling, and the desktop',
    async () => {
      const page = await newPage();
      await page.setViewportSize(PHONE);
      await page.goto(`${baseUrl}/`);
      await dashboardShown(page);
      // A scan, so that the page shows its tables and chart.
      const scanned = page.waitForResponse((r) => r.url().endsWith('/api/self-improvement/scan'));
      await page.getByRole('button', { name: 'Scan now' }).click();
      const { job } = (await (await scanned).json()) as { job: { id: number } };
      await page
        .locator(`[data-testid="job"][data-job-id="${job.id}"]`)
        .and(page.locator('[data-status="succeeded"]'))
        .waitFor();
      await page.locator('.score-chart canvas').first().waitFor();
      await page.locator('section[aria-labelledby="findings-heading"] tbody tr').first().waitFor();
      await page.locator('.runs li').first().waitFor();
      expect(await scrollWidth(page)).toBeLessThanOrEqual(PHONE.width);
      // The navigation: the repository list and the register form are there and usable.
      await page.locator('tr[data-repo="demo-repo"] a').click();
      await page.getByRole('heading', { level: 2, name: 'demo-repo' }).waitFor();
      const field = await page.getByLabel('Register a repository by path').boundingBox();
      expect(field!.width).toBeGreaterThan(PHONE.width * 0.8);
      await screenshot(page, 'dashboard-390');

      await page.getByRole('button', { name: 'Improve…' }).click();
      const dialog = page.getByRole('dialog');
      await dialog.waitFor();
      const box = await dialog.boundingBox();
      expect(box!.x).toBeGreaterThanOrEqual(0);
      expect(box!.x + box!.width).toBeLessThanOrEqual(PHONE.width);
      expect(await scrollWidth(page)).toBeLessThanOrEqual(PHONE.width);
      await page.screenshot({ path: path.join(RESULTS, 'session-confirm-390.png') });
      await dialog.getByRole('button', { name: 'Cancel' }).click();

      await page.setViewportSize(DESKTOP);
      expect(await scrollWidth(page)).toBeLessThanOrEqual(DESKTOP.width);
      await screenshot(page, 'dashboard-desktop');
      expect(pageErrors).toEqual([]);
      await page.close();
    },
    TEST_TIMEOUT,
  );

  it(
    'goes on working in a tab whose session another tab replaced by logging in again',
    async () => {
      const page = await newPage();
      await page.goto(`${baseUrl}/`);
      await dashboardShown(page);
      const [before] = await context!.cookies(baseUrl);
      // The link `beast serve` prints: a new login, a new session id, the old session ended.
      const other = await newPage();
      await other.goto(`${baseUrl}/#token=${token}`);
      await dashboardShown(other);
      expect(other.url()).not.toContain(token);
      const [after] = await context!.cookies(baseUrl);
      expect(after!.value).not.toBe(before!.value);
      await other.close();

      // The first tab still holds the old CSRF token: the server refuses it once, the page
      // reads the new one and the scan starts.
      const csrfAnswers: number[] = [];
      page.on('response', (r) => {
        if (r.url().endsWith('/api/self-improvement/scan')) csrfAnswers.push(r.status());
      });
      await page.getByRole('button', { name: 'Scan now' }).click();
      await expect.poll(() => csrfAnswers, { timeout: STEP_TIMEOUT }).toEqual([403, 202]);
      expect(pageErrors.splice(0)).toEqual([
        `${baseUrl}/: Failed to load resource: the server responded with a status of 403 (Forbidden)`,
      ]);
      await page.locator('[data-testid="job"]').and(page.locator(FINISHED)).first().waitFor();
      await page.close();
    },
    TEST_TIMEOUT,
  );

  it(
    'logs out: every tab is back at the login form, and the old cookie is worth nothing',
    async () => {
      const [cookie] = await context!.cookies(baseUrl);
      const page = await newPage();
      const other = await newPage();
      await page.goto(`${baseUrl}/`);
      await other.goto(`${baseUrl}/`);
      await dashboardShown(other);
      await page.getByRole('button', { name: 'Log out' }).click();
      await page.locator('#token').waitFor();
      expect(await context!.cookies(baseUrl)).toEqual([]);
      await other.reload();
      await other.locator('#token').waitFor();

      const replayed = await fetch(`${baseUrl}/api/repos`, {
        headers: { cookie: `beast_session=${cookie!.value}` },
      });
      expect(replayed.status).toBe(401);

      await page.setViewportSize(PHONE);
      expect(await scrollWidth(page)).toBeLessThanOrEqual(PHONE.width);
      await screenshot(page, 'login-390');
      expect(pageErrors).toEqual([]);
    },
    TEST_TIMEOUT,
  );
});
