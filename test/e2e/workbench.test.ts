import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  demoRepo,
  launchChromium,
  onDashboardPage,
  RESULTS,
  scrollWidth,
  serveDashboard,
  type ServedDashboard,
} from '../helpers/browser.js';

/**
 * The dashboard's workbench in a real browser against the real built server, store, scan and
 * improve run: the findings browser, the code view and a run's diffs, at desktop and phone width.
 */

// Only so that a hung step fails with playwright's account of what it waited for.
const STEP_TIMEOUT = 240_000;
const TEST_TIMEOUT = 300_000;

const temps: string[] = [];
let served: ServedDashboard | undefined;
let browser: Browser | undefined;
let repoId = 0;

interface FindingsPage {
  total: number;
  findings: { ruleId: string; file: string; line: number; message: string }[];
  facets: { rule: Record<string, number> };
}

const api = <T>(route: string, body?: unknown): Promise<T> => served!.api<T>(route, body);

const onPage = (
  name: string,
  hash: string,
  body: (page: Page) => Promise<void>,
  viewport?: { width: number; height: number },
): Promise<void> =>
  onDashboardPage(served!.site(browser!, STEP_TIMEOUT), `workbench-${name}`, hash, body, viewport);

beforeAll(async () => {
  await mkdir(RESULTS, { recursive: true });
  const demoDir = await demoRepo('beast-e2e-', temps);
  served = await serveDashboard(temps);
  repoId = (await api<{ repo: { id: number } }>('/api/repos', { path: demoDir })).repo.id;
  await served.runJob('improve', repoId);
  await served.runJob('scan', repoId);
  browser = await launchChromium();
}, TEST_TIMEOUT);

afterAll(async () => {
  await browser?.close();
  await served?.stop('workbench');
  await Promise.all(temps.map((dir) => rm(dir, { recursive: true, force: true })));
}, 60_000);

describe('the workbench in Chromium', () => {
  it(
    'filters findings by rule, opens one in the code view and shows it inline',
    async () => {
      const all = await api<FindingsPage>(`/api/repos/${repoId}/findings?limit=500`);
      expect(all.total).toBeGreaterThan(0);
      // The rule with the most findings, to see the filter take some away.
      const [rule, count] = Object.entries(all.facets.rule).sort((a, b) => b[1] - a[1])[0]!;
      expect(count).toBeLessThan(all.total);

      await onPage('findings', `#repo=${repoId}`, async (page) => {
        await page.getByRole('link', { name: 'Browse all findings' }).click();
        const total = page.getByTestId('findings-total');
        await total.getByText(`${all.total} finding`).waitFor();

        await page.getByLabel('Rule').selectOption(rule);
        await total.getByText(new RegExp(`^${count} findings?\\b`)).waitFor();
        const rules = await page
          .locator('li.finding')
          .evaluateAll((items) => items.map((item) => item.getAttribute('data-rule')));
        expect(rules.length).toBe(Math.min(count, 50));
        expect(new Set(rules)).toEqual(new Set([rule]));
        expect(page.url()).toContain(`rule=${rule}`);
        await page.screenshot({
          path: path.join(RESULTS, 'workbench-findings.png'),
          fullPage: true,
        });

        const first = page.locator('li.finding').first();
        const where = (await first.locator('.where').textContent())!;
        const message = (await first.locator('.finding-message').textContent())!;
        const [file, line] = where.split(':') as [string, string];
        await first.locator('.where').click();

        await page.getByRole('heading', { level: 2, name: file }).waitFor();
        const row = page.locator(`#L${line}`);
        await row.locator(`.inline-finding[data-rule="${rule}"]`).first().waitFor();
        expect(await row.locator('.inline-finding').allTextContents()).toContainEqual(
          expect.stringContaining(message),
        );
        // The line shown is the line of the file at the scanned commit.
        const view = await api<{ content: string }>(
          `/api/repos/${repoId}/file?path=${encodeURIComponent(file)}`,
        );
        const expected = view.content.split('\n')[Number(line) - 1]!;
        expect((await row.locator('.code-line code').textContent())?.trimEnd()).toBe(
          expected.trimEnd() || '',
        );
        await page.screenshot({ path: path.join(RESULTS, 'workbench-code.png'), fullPage: true });
      });
    },
    TEST_TIMEOUT,
  );

  it(
    "opens an improve run and shows each change's diff and checks",
    async () => {
      const { runs } = await api<{ runs: { id: number }[] }>(`/api/repos/${repoId}/improvements`);
      const { changes } = await api<{
        changes: { id: number; status: string; diff: string | null; checks: unknown[] }[];
      }>(`/api/repos/${repoId}/improvements/${runs[0]!.id}`);
      // An accepted change whose diff adds and removes lines.
      const shown = changes.find(
        (c) =>
          c.status === 'accepted' && /^\+[^+]/m.test(c.diff ?? '') && /^-[^-]/m.test(c.diff ?? ''),
      );
      expect(shown, JSON.stringify(changes.map((c) => [c.status, c.diff]))).toBeDefined();
      await onPage('run', `#repo=${repoId}`, async (page) => {
        await page
          .getByRole('link', { name: 'Changes, evidence and diffs of this run' })
          .first()
          .click();
        await page
          .getByRole('heading', { level: 2, name: `Improvement run ${runs[0]!.id}` })
          .waitFor();
        const accepted = page.locator(`#change-${shown!.id}`);
        await accepted.locator('.diff .diff-add').first().waitFor();
        expect(await accepted.locator('.diff .diff-del').count()).toBeGreaterThan(0);
        expect(await accepted.locator('.checks li').count()).toBe(shown!.checks.length);
        // The page shows the diff line by line, marking added and removed lines for screen readers too.
        const expected = shown!
          .diff!.replace(/\n$/, '')
          .split('\n')
          .map((l) =>
            /^\+(?!\+\+)/.test(l) ? `added: ${l}` : /^-(?!--)/.test(l) ? `removed: ${l}` : l || ' ',
          );
        expect(await accepted.locator('.diff-line').allTextContents()).toEqual(
          expected.map((l) => `${l}\n`),
        );
        await page.screenshot({ path: path.join(RESULTS, 'workbench-run.png'), fullPage: true });

        // From the change to the code view of its file.
        const target = (await accepted.locator('h4 a').nth(1).textContent())!;
        await accepted.locator('h4 a').nth(1).click();
        await page.getByRole('heading', { level: 2, name: target.split(':')[0] }).waitFor();
        await page.getByRole('heading', { name: 'Changes proposed to this file' }).waitFor();
        expect(
          await page.locator('[aria-labelledby="file-proposals-heading"] tbody tr').count(),
        ).toBeGreaterThan(0);
      });
    },
    TEST_TIMEOUT,
  );

  it(
    'fits a 390 px wide screen without sideways scrolling',
    async () => {
      const { runs } = await api<{ runs: { id: number }[] }>(`/api/repos/${repoId}/improvements`);
      const all = await api<FindingsPage>(`/api/repos/${repoId}/findings?limit=1`);
      const file = all.findings[0]!.file;
      const pages: [string, string, string][] = [
        ['findings', `#repo=${repoId}&view=findings`, 'li.finding'],
        ['code', `#repo=${repoId}&view=file&path=${encodeURIComponent(file)}`, '.inline-finding'],
        ['run', `#repo=${repoId}&view=run&run=${runs[0]!.id}`, '.diff'],
      ];
      for (const [name, hash, shown] of pages) {
        await onPage(
          `390-${name}`,
          hash,
          async (page) => {
            await page.locator(shown).first().waitFor();
            expect(await scrollWidth(page), name).toBeLessThanOrEqual(390);
            await page.screenshot({
              path: path.join(RESULTS, `workbench-390-${name}.png`),
              fullPage: true,
            });
          },
          { width: 390, height: 844 },
        );
      }
    },
    TEST_TIMEOUT,
  );
});
