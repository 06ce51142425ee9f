import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/index.js';
import {
  demoRepo,
  launchChromium,
  onDashboardPage,
  RESULTS,
  serveDashboard,
  type ServedDashboard,
} from '../helpers/browser.js';
import { deliveredReport, notRunReport, recordReport } from '../helpers/test-gen-report.js';

/**
 * Test generation in the dashboard, in a real browser against the real built server and store:
 * the repository page's coverage panel and a run's view show the runs recorded through the store's
 * own functions, figure for figure as the API serves them; the form starts a tests job.
 */

// Only so that a hung step fails with playwright's account of what it waited for.
const STEP_TIMEOUT = 240_000;
const TEST_TIMEOUT = 600_000;
const FINISHED = '[data-status="succeeded"], [data-status="failed"], [data-status="interrupted"]';

const temps: string[] = [];
let served: ServedDashboard | undefined;
let browser: Browser | undefined;
let repoId = 0;
let runIds: number[] = [];

const api = <T>(route: string, body?: unknown): Promise<T> => served!.api<T>(route, body);

interface Counts {
  covered: number;
  total: number;
}
type Totals = Record<'lines' | 'branches' | 'statements' | 'functions', Counts>;
interface Run {
  id: number;
  status: string;
  branch: string | null;
  coverageBefore: Totals;
  coverageAfter: Totals;
  funnel: Record<string, number>;
}
interface RunDetail extends Run {
  files: { file: string; before: Totals | null; after: Totals | null }[];
  verdicts: { file: string; kept: boolean; stage: string; reason: string | null }[];
}

/** A measure as the page writes it, from the API's counts. */
const shown = (c: Counts | undefined): string =>
  !c || c.total === 0
    ? '–'
    : `${((c.covered / c.total) * 100).toFixed(1)}% (${c.covered}/${c.total})`;

const onPage = (name: string, hash: string, body: (page: Page) => Promise<void>): Promise<void> =>
  onDashboardPage(served!.site(browser!, STEP_TIMEOUT), `tests-${name}`, hash, body);

const text = async (page: Page, selector: string): Promise<string> =>
  ((await page.locator(selector).textContent()) ?? '').trim();

beforeAll(async () => {
  await mkdir(RESULTS, { recursive: true });
  const demoDir = await demoRepo('beast-e2e-tests-', temps);
  served = await serveDashboard(temps);
  const { repo } = await api<{ repo: { id: number; root: string } }>('/api/repos', {
    path: demoDir,
  });
  repoId = repo.id;
  // The server's store, opened beside it, records runs as the pipeline does.
  const home = temps.find((dir) => path.basename(dir).startsWith('beast-e2e-home-'))!;
  const store = await openStore(path.join(home, 'beast.db'));
  try {
    const record = (at: string, report: ReturnType<typeof notRunReport>) =>
      recordReport(store, repo.root, at, report);
    runIds = [
      await record('2026-12-01T09:00:00.000Z', deliveredReport(repo.root, 1)),
      await record('2026-12-02T09:00:00.000Z', deliveredReport(repo.root, 4)),
      await record('2026-12-03T09:00:00.000Z', notRunReport(repo.root)),
    ];
  } finally {
    await store.close();
  }
  browser = await launchChromium();
}, TEST_TIMEOUT);

afterAll(async () => {
  await browser?.close();
  await served?.stop('tests');
  await Promise.all(temps.map((dir) => rm(dir, { recursive: true, force: true })));
}, 60_000);

describe('test generation in Chromium', () => {
  it(
    "shows the newest measured run's coverage on the repository page, and a run's funnel, files and verdicts",
    async () => {
      const { latest, runs } = await api<{ latest: Run; runs: Run[] }>(
        `/api/codebase/tests/runs?repo=${repoId}`,
      );
      // The newest run measured nothing: the panel shows the one before it.
      expect(runs.map((r) => r.id)).toEqual([...runIds].reverse());
      expect(latest.id).toBe(runIds[1]);
      const { run } = await api<{ run: RunDetail }>(`/api/codebase/tests/runs/${latest.id}`);

      await onPage('panel', `#repo=${repoId}`, async (page) => {
        const panel = page.getByTestId('coverage-panel');
        await panel.getByRole('heading', { name: 'Test coverage' }).waitFor();
        await panel.locator('table.coverage').waitFor();
        for (const measure of ['lines', 'branches'] as const) {
          const row = `[data-testid="coverage-panel"] tr[data-measure="${measure}"]`;
          expect(await text(page, `${row} td.before`)).toBe(shown(latest.coverageBefore[measure]));
          expect(await text(page, `${row} td.after`)).toBe(shown(latest.coverageAfter[measure]));
        }
        expect(await panel.locator('table.test-runs tbody tr').count()).toBe(runs.length);
        const notRun = panel.locator(`tr[data-run-id="${runIds[2]}"]`);
        expect(await notRun.textContent()).toContain('no test runner we can write for');
        await page.screenshot({ path: path.join(RESULTS, 'tests-panel.png'), fullPage: true });

        await panel.locator(`tr[data-run-id="${latest.id}"] a`).click();
        await page
          .getByRole('heading', { level: 2, name: `Test-generation run ${latest.id}` })
          .waitFor();
        await page.locator('ol.funnel').waitFor();
        const stages = await page
          .locator('ol.funnel li')
          .evaluateAll((items) =>
            items.map((li) => [
              li.getAttribute('data-stage'),
              Number(li.querySelector('.funnel-count')?.textContent),
            ]),
          );
        expect(stages).toEqual(
          ['generated', 'built', 'passed', 'stable', 'useful', 'kept'].map((s) => [
            s,
            run.funnel[s],
          ]),
        );
        expect(await text(page, '[data-testid="test-branch"]')).toBe(run.branch);
        for (const f of run.files) {
          const row = `table.file-coverage tr[data-file="${f.file}"]`;
          expect(await text(page, `${row} .lines-before`)).toBe(shown(f.before?.lines));
          expect(await text(page, `${row} .lines-after`)).toBe(shown(f.after?.lines));
          expect(await text(page, `${row} .branches-before`)).toBe(shown(f.before?.branches));
          expect(await text(page, `${row} .branches-after`)).toBe(shown(f.after?.branches));
        }
        const verdicts = await page
          .locator('table.verdicts tbody tr')
          .evaluateAll((rows) =>
            rows.map((tr) => [
              tr.getAttribute('data-file'),
              tr.getAttribute('data-verdict'),
              tr.querySelector('.reason')?.textContent ?? '',
            ]),
          );
        expect(verdicts).toEqual(
          run.verdicts.map((v) => [v.file, v.kept ? 'kept' : 'rejected', v.reason ?? '']),
        );
        await page.screenshot({ path: path.join(RESULTS, 'tests-run.png'), fullPage: true });
      });
    },
    TEST_TIMEOUT,
  );

  it(
    'starts a tests job from the form with the CSRF token, follows it, and shows the run it recorded',
    async () => {
      await onPage('start', `#repo=${repoId}`, async (page) => {
        const posts: { csrf: string | null; body: unknown }[] = [];
        page.on('request', (request) => {
          if (request.method() === 'POST' && request.url().endsWith('/api/codebase/tests/generate'))
            posts.push({
              csrf: request.headers()['x-csrf-token'] ?? null,
              body: request.postDataJSON() as unknown,
            });
        });
        await page.getByRole('button', { name: 'Generate tests…' }).click();
        const dialog = page.getByRole('dialog', { name: 'Generate tests for demo-repo?' });
        await dialog.getByLabel('Files or folders').fill('src/cart.js');
        await dialog.getByLabel('Target line coverage (%)').fill('250');
        await dialog.getByRole('button', { name: 'Start test generation' }).click();
        await dialog.getByRole('alert').getByText('a percentage from 0 to 100').waitFor();
        expect(posts).toEqual([]);

        await dialog.getByLabel('Target line coverage (%)').fill('90');
        await dialog.getByLabel('Most files').fill('1');
        await dialog.getByLabel('Models').fill('builtin:testgen');
        await dialog.getByLabel('Dry run (commit nothing)').check();
        await dialog.getByText('Dry run: nothing is committed').waitFor();
        const answered = page.waitForResponse(
          (r) =>
            r.request().method() === 'POST' && r.url().endsWith('/api/codebase/tests/generate'),
        );
        await dialog.getByRole('button', { name: 'Start test generation' }).click();
        const response = await answered;
        expect(response.status(), await response.text()).toBe(202);
        expect(posts).toHaveLength(1);
        expect(posts[0]!.csrf).toMatch(/^[A-Za-z0-9_-]{43}$/);
        expect(posts[0]!.body).toEqual({
          repo: repoId,
          paths: ['src/cart.js'],
          target: 0.9,
          maxFiles: 1,
          models: ['builtin:testgen'],
          dryRun: true,
        });

        const { job } = (await response.json()) as { job: { id: number } };
        const live = page.locator(`[data-testid="job"][data-job-id="${job.id}"]`);
        await live.and(page.locator(FINISHED)).waitFor();
        const final = await api<{ job: { status: string; error: string | null } }>(
          `/api/jobs/${job.id}`,
        );
        expect(final.job.status, String(final.job.error)).toBe('succeeded');
        expect(await live.getAttribute('data-status')).toBe('succeeded');

        // The run recorded itself; the panel, reloaded when the job ended, shows it as the newest
        // measured run, with the API's figures.
        const { latest, runs } = await api<{ latest: Run; runs: Run[] }>(
          `/api/codebase/tests/runs?repo=${repoId}`,
        );
        expect(runs).toHaveLength(runIds.length + 1);
        expect(runIds).not.toContain(latest.id);
        expect(runs[0]!.id).toBe(latest.id);
        expect(['dry-run', 'nothing-kept']).toContain(latest.status);
        const panel = page.getByTestId('coverage-panel');
        await panel.locator(`tr[data-run-id="${latest.id}"]`).waitFor();
        const row = '[data-testid="coverage-panel"] tr[data-measure="lines"]';
        expect(await text(page, `${row} td.before`)).toBe(shown(latest.coverageBefore.lines));
        expect(await text(page, `${row} td.after`)).toBe(shown(latest.coverageAfter.lines));
        await page.screenshot({ path: path.join(RESULTS, 'tests-job.png'), fullPage: true });
      });
    },
    TEST_TIMEOUT,
  );
});
