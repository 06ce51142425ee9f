import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  demoRepo,
  launchChromium,
  RESULTS,
  type ServerLog,
  waitForUrl,
} from '../helpers/browser.js';
import { BIN, PROJECT_ROOT, git, makeRepo } from '../helpers/repo.js';

/**
 * The dashboard in a real browser against the real built server, store and scan: Debian's chromium
 * driven by playwright-core. Nothing is stubbed; the page talks to `beast serve` over loopback.
 */

// Generous, and only so that a hung step fails with playwright's account of what it waited for
// rather than vitest's bare "test timed out" (TEST_TIMEOUT); nothing here measures speed.
const STEP_TIMEOUT = 240_000;
const TEST_TIMEOUT = 300_000;
const SCREENSHOT = path.join(RESULTS, 'dashboard.png');
const FINISHED = ['succeeded', 'failed', 'interrupted', 'cancelled']
  .map((status) => `[data-status="${status}"]`)
  .join(', ');
// The chart's series colour (score-chart.tsx), to find the drawn points on the canvas.
const SERIES_RGB = [0x25, 0x54, 0xc7] as const;

const token = randomBytes(24).toString('hex');
const temps: string[] = [];
let server: ChildProcess | undefined;
const serverLog: ServerLog = { text: '' };
let baseUrl = '';
let browser: Browser | undefined;
let repoDir = '';
let demoDir = '';

async function api<T>(route: string): Promise<T> {
  const response = await fetch(baseUrl + route, { headers: { Authorization: `Bearer ${token}` } });
  expect(response.status, `${route}: ${await response.clone().text()}`).toBe(200);
  return (await response.json()) as T;
}

/**
 * Counts the pixels of the chart's canvas in the score series' colour: the line and points uPlot
 * drew. Browser code, kept as text because this file is type-checked without the DOM library.
 */
const COUNT_SERIES_PIXELS = `(() => {
  const rgb = ${JSON.stringify(SERIES_RGB)};
  let count = 0;
  for (const canvas of document.querySelectorAll('.score-chart canvas')) {
    const context = canvas.getContext('2d');
    if (!context || canvas.width === 0 || canvas.height === 0) continue;
    const { data } = context.getImageData(0, 0, canvas.width, canvas.height);
    for (let i = 0; i < data.length; i += 4) {
      if (Math.abs(data[i] - rgb[0]) < 24 && Math.abs(data[i + 1] - rgb[1]) < 24 &&
          Math.abs(data[i + 2] - rgb[2]) < 24 && data[i + 3] > 200) count++;
    }
  }
  return count;
})()`;

/** Records, in `window.__jobLines`, each distinct "status text" the page's job lines show. */
const RECORD_JOB_LINES = `(() => {
  const lines = (window.__jobLines = []);
  const record = () => {
    for (const el of document.querySelectorAll('[data-testid="job"]')) {
      const line = el.dataset.status + ' ' + el.textContent;
      if (lines[lines.length - 1] !== line) lines.push(line);
    }
  };
  new MutationObserver(record).observe(document.body, {
    subtree: true, childList: true, characterData: true, attributes: true,
  });
})()`;

/** Waits until the chart shows drawn points and returns how many pixels they cover. */
async function waitForSeriesPixels(page: Page): Promise<number> {
  const handle = await page.waitForFunction(COUNT_SERIES_PIXELS);
  return (await handle.jsonValue()) as number;
}

/**
 * Clicks the button that starts a job and waits until the page shows that job finished; fails
 * unless it succeeded. Returns the job's id.
 */
async function runJobFromPage(page: Page, kind: 'scan' | 'improve'): Promise<string> {
  const started = page.waitForResponse(
    (r) => r.request().method() === 'POST' && r.url().endsWith(`/api/self-improvement/${kind}`),
  );
  if (kind === 'scan') await page.getByRole('button', { name: 'Scan now' }).click();
  else {
    // An improvement starts only from its confirmation.
    await page.getByRole('button', { name: 'Improve…' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Start improvement' }).click();
  }
  const response = await started;
  expect(response.status(), await response.text()).toBe(202);
  const { job } = (await response.json()) as { job: { id: number | string } };
  const shown = page.locator(`[data-testid="job"][data-job-id="${job.id}"]`);
  await shown.and(page.locator(FINISHED)).waitFor();
  const status = await shown.getAttribute('data-status');
  expect(
    status,
    `the ${kind} job ended ${status}: ${await shown.textContent()}\n${serverLog.text}`,
  ).toBe('succeeded');
  return String(job.id);
}

interface Watched {
  page: Page;
  /** Uncaught errors and console errors on the page. */
  errors: string[];
  /** Requests to anywhere but the server under test, which were refused. */
  foreign: string[];
}

/** A new page on the dashboard with the token in its address, watched for errors and CDN calls. */
async function openDashboard(): Promise<Watched> {
  const page = await browser!.newPage({ viewport: { width: 1280, height: 1000 } });
  page.setDefaultTimeout(STEP_TIMEOUT);
  const watched: Watched = { page, errors: [], foreign: [] };
  page.on('pageerror', (error) => watched.errors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error') watched.errors.push(message.text());
  });
  // Offline: every request the page makes must go to the server that served it.
  await page.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith(baseUrl) || url.startsWith('data:')) return route.continue();
    watched.foreign.push(url);
    return route.abort();
  });
  await page.goto(`${baseUrl}/#token=${token}`);
  // The token goes to sessionStorage and leaves the address bar.
  await page.waitForFunction("!location.hash.includes('token=')");
  expect(page.url()).not.toContain(token);
  return watched;
}

/** Registers a repository through the page's form and waits until it is listed and open. */
async function registerFromPage(page: Page, dir: string): Promise<string> {
  await page.getByLabel('Register a repository by path').fill(dir);
  await page.getByRole('button', { name: 'Register' }).click();
  const name = path.basename(dir);
  await page.locator(`tr[data-repo="${name}"]`).waitFor();
  await page.getByRole('heading', { level: 2, name }).waitFor();
  return name;
}

/** Runs `body` on a watched dashboard page; keeps a screenshot if it fails. */
async function onDashboard(body: (watched: Watched) => Promise<void>): Promise<void> {
  const watched = await openDashboard();
  try {
    await body(watched);
    expect(watched.errors).toEqual([]);
    expect(watched.foreign).toEqual([]);
  } catch (error) {
    await watched.page.screenshot({
      path: path.join(RESULTS, 'dashboard-failure.png'),
      fullPage: true,
    });
    throw error;
  } finally {
    await watched.page.close();
  }
}

beforeAll(async () => {
  browser = await launchChromium();
  await mkdir(RESULTS, { recursive: true });

  repoDir = await makeRepo({
    'package.json': '{ "name": "shop", "type": "module" }\n',
    'src/cart.ts': [
      'export function total(items: any[]): number {',
      '  let sum = 0;',
      '  for (const item of items) {',
      '    if (item.price > 0) {',
      '      if (item.count > 0) {',
      '        if (item.discount) sum += item.price * item.count * (1 - item.discount);',
      '        else sum += item.price * item.count;',
      '      }',
      '    }',
      '  }',
      '  return sum;',
      '}',
      '',
    ].join('\n'),
    'src/log.ts': 'export function log(message: string): void {\n  console.log(message);\n}\n',
  });
  temps.push(repoDir);
  // A second commit, so the history has something to say about hotspots.
  await writeFile(
    path.join(repoDir, 'src/log.ts'),
    'export function log(message: string): void {\n  console.log(`[shop] ${message}`);\n}\n',
  );
  git(repoDir, 'commit', '-q', '-am', 'prefix log lines');

  demoDir = await demoRepo('beast-e2e-', temps);

  const home = await mkdtemp(path.join(tmpdir(), 'beast-e2e-home-'));
  temps.push(home);
  server = spawn(
    process.execPath,
    [BIN, 'serve', '--port', '0', '--db', path.join(home, 'beast.db')],
    {
      cwd: PROJECT_ROOT,
      env: { ...process.env, BEAST_HOME: home, BEAST_API_TOKEN: token, NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  baseUrl = await waitForUrl(server, serverLog);
}, 120_000);

afterAll(async () => {
  await browser?.close();
  if (server && server.exitCode === null && server.signalCode === null) {
    const exited = new Promise((resolve) => server?.once('exit', resolve));
    server.kill('SIGTERM');
    await exited;
  }
  await writeFile(path.join(RESULTS, 'dashboard-serve.log'), serverLog.text).catch(() => undefined);
  await Promise.all(temps.map((dir) => rm(dir, { recursive: true, force: true })));
}, 60_000);

describe('the dashboard in Chromium', () => {
  it('refuses API requests without the right token, but serves the page itself', async () => {
    const bare = await fetch(`${baseUrl}/api/repos`);
    expect(bare.status).toBe(401);
    const body = (await bare.json()) as { error?: { code?: string; message?: string } };
    expect(body.error?.code, JSON.stringify(body)).toBeTypeOf('string');
    expect(body.error?.message).toBeTypeOf('string');

    const wrong = await fetch(`${baseUrl}/api/repos`, {
      headers: { Authorization: `Bearer not-${token}` },
    });
    expect(wrong.status).toBe(401);

    const page = await fetch(`${baseUrl}/`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<div id="app">');
  });

  it('shows the token form when the token is refused', { timeout: TEST_TIMEOUT }, async () => {
    const page = await browser!.newPage();
    page.setDefaultTimeout(STEP_TIMEOUT);
    try {
      await page.goto(`${baseUrl}/#token=wrong-token`);
      await page.getByText('The server refused the token').waitFor();
      await page.locator('#token').waitFor();
    } finally {
      await page.close();
    }
  });

  it(
    'registers a repository, scans it from the page and shows its grade and trend',
    async () => {
      await onDashboard(async ({ page }) => {
        const name = await registerFromPage(page, repoDir);

        await runJobFromPage(page, 'scan');
        const grade = page.locator('.repo-header [data-testid="grade"] abbr');
        await grade.waitFor();
        const shown = (await grade.textContent())?.trim();
        expect(shown).toMatch(/^[A-E]$/);

        // The grade on the page is the one the API holds for the scan the page started.
        const { repos } = await api<{
          repos: { id: string | number; name: string; latest: { grade: string } | null }[];
        }>('/api/repos');
        const repo = repos.find((r) => r.name === name);
        expect(repo?.latest?.grade).toBe(shown);

        await page.locator('.score-chart .chart[data-points="1"] canvas').waitFor();
        expect(await waitForSeriesPixels(page)).toBeGreaterThan(0);

        // A second scan adds a point to the chart and a line to the sparkline.
        await runJobFromPage(page, 'scan');
        await page.locator('.score-chart .chart[data-points="2"] canvas').waitFor();
        // Attached, not visible: two equal scores draw a flat line with an empty bounding box.
        await page
          .locator(`tr[data-repo="${name}"] svg.sparkline polyline`)
          .waitFor({ state: 'attached' });
        const box = await page.locator('.score-chart canvas').first().boundingBox();
        expect(box?.width ?? 0).toBeGreaterThan(200);
        expect(box?.height ?? 0).toBeGreaterThan(100);
        expect(await waitForSeriesPixels(page)).toBeGreaterThan(0);

        await page.getByRole('heading', { name: 'Models' }).waitFor();
        await page.screenshot({ path: SCREENSHOT, fullPage: true });
      });
    },
    TEST_TIMEOUT,
  );

  it(
    'runs an improvement from the page and shows its accepted and rejected changes',
    async () => {
      await onDashboard(async ({ page }) => {
        const name = await registerFromPage(page, demoDir);
        // Every state the job's line on the page passes through, to see the live progress.
        await page.evaluate(RECORD_JOB_LINES);
        await runJobFromPage(page, 'improve');
        const lines = (await page.evaluate('window.__jobLines')) as string[];
        const running = lines.filter((line) => line.startsWith('running '));
        expect(running.length, `no running state shown: ${JSON.stringify(lines)}`).toBeGreaterThan(
          0,
        );
        expect(
          running.some((line) => /round \d|accepted|rejected|validating/.test(line)),
          `no progress from the event stream shown: ${JSON.stringify(lines)}`,
        ).toBe(true);

        const { repos } = await api<{ repos: { id: string | number; name: string }[] }>(
          '/api/repos',
        );
        const id = repos.find((r) => r.name === name)?.id;
        const { runs } = await api<{
          runs: { accepted: number; rejected: number; changes: unknown[] }[];
        }>(`/api/repos/${id}/improvements`);
        const [run] = runs;
        expect(run, 'the improve job recorded no run').toBeDefined();
        expect(
          run!.accepted,
          'the demo repository has fixes the builtin models make',
        ).toBeGreaterThan(0);

        // The run as the page shows it: the same counts, and its changes one per row.
        const listed = page.locator('.runs li').first();
        await listed.getByText(`${run!.accepted} accepted`).waitFor();
        await listed.getByText(`${run!.rejected} rejected`).waitFor();
        await listed.locator('summary').click();
        await listed
          .locator('tbody tr')
          .nth(run!.changes.length - 1)
          .waitFor();
        expect(await listed.locator('tbody tr').count()).toBe(run!.changes.length);

        // Model statistics count the proposals of this run.
        const { models } = await api<{
          models: { id: string; stats: { proposals?: number; proposed?: number } }[];
        }>('/api/models');
        const proposed = models.reduce(
          (sum, m) => sum + (m.stats.proposals ?? m.stats.proposed ?? 0),
          0,
        );
        await page.getByRole('heading', { name: 'Models' }).waitFor();
        const cells = page.locator('[aria-labelledby="models-heading"] tbody tr td:nth-child(3)');
        await expect
          .poll(async () => (await cells.allTextContents()).reduce((a, t) => a + Number(t), 0), {
            timeout: STEP_TIMEOUT,
          })
          .toBe(proposed);
        await page.screenshot({
          path: path.join(RESULTS, 'dashboard-improve.png'),
          fullPage: true,
        });
      });
    },
    TEST_TIMEOUT,
  );
});
