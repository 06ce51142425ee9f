import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
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
 * The dashboard's code search and ask page in a real browser against the real built server, store,
 * scan and codebase index of the demo repository, offline (no language model: extractive answers):
 * a hit and a citation open the code view at the lines they name, at desktop and phone width.
 */

// Only so that a hung step fails with playwright's account of what it waited for.
const STEP_TIMEOUT = 240_000;
const TEST_TIMEOUT = 300_000;

const temps: string[] = [];
let served: ServedDashboard | undefined;
let browser: Browser | undefined;
let repoId = 0;

const api = <T>(route: string, body?: unknown): Promise<T> => served!.api<T>(route, body);

/** The file's text as the code view has it at `commit`, line by line. */
async function linesAt(file: string, commit: string | null): Promise<string[]> {
  const query = new URLSearchParams({ path: file, ...(commit ? { commit } : {}) });
  const view = await api<{ content: string }>(`/api/repos/${repoId}/file?${query.toString()}`);
  return view.content.split('\n');
}

const onPage = (
  name: string,
  hash: string,
  body: (page: Page) => Promise<void>,
  viewport?: { width: number; height: number },
): Promise<void> =>
  onDashboardPage(served!.site(browser!, STEP_TIMEOUT), `codebase-${name}`, hash, body, viewport);

/**
 * Follows a link to the code view and checks it: the file's heading, the lines `start`..`end`
 * marked and none other, each showing the file's line at `commit`.
 */
async function expectCodeView(
  page: Page,
  link: Locator,
  where: { file: string; start: number; end: number; commit: string | null },
): Promise<void> {
  await link.click();
  await page.getByRole('heading', { level: 2, name: where.file }).waitFor();
  await page.locator(`#L${where.start}.target`).waitFor();
  const marked = await page
    .locator('.code-row.target')
    .evaluateAll((rows) => rows.map((row) => row.id));
  expect(marked).toEqual(
    Array.from({ length: where.end - where.start + 1 }, (_, i) => `L${where.start + i}`),
  );
  const lines = await linesAt(where.file, where.commit);
  for (const n of [where.start, where.end]) {
    const shown = await page.locator(`#L${n} .code-line code`).textContent();
    expect(shown?.trimEnd(), `line ${n}`).toBe(lines[n - 1]!.trimEnd() || '');
  }
  const hash = new URLSearchParams(new URL(page.url()).hash.slice(1));
  expect(hash.get('commit')).toBe(where.commit);
}

interface SearchResult {
  mode: string;
  notice?: string;
  commit: string | null;
  hits: { qualifiedName: string; file: string; startLine: number; endLine: number }[];
}

beforeAll(async () => {
  await mkdir(RESULTS, { recursive: true });
  const demoDir = await demoRepo('beast-e2e-codebase-', temps);
  served = await serveDashboard(temps);
  repoId = (await api<{ repo: { id: number } }>('/api/repos', { path: demoDir })).repo.id;
  // The code view shows files of a scan: the repository is scanned once.
  await served.runJob('scan', repoId);
  browser = await launchChromium();
}, TEST_TIMEOUT);

afterAll(async () => {
  await browser?.close();
  await served?.stop('codebase');
  await Promise.all(temps.map((dir) => rm(dir, { recursive: true, force: true })));
}, 60_000);

describe('the code search and the ask page in Chromium', () => {
  it(
    'searches from the repository page and opens a hit in the code view at its lines',
    async () => {
      const expected = await api<SearchResult>(
        `/api/codebase/search?repo=${repoId}&q=${encodeURIComponent('cart total')}&limit=20`,
      );
      const hit = expected.hits.find((h) => h.qualifiedName === 'cartTotal');
      expect(hit, JSON.stringify(expected.hits.map((h) => h.qualifiedName))).toBeDefined();

      await onPage('search', `#repo=${repoId}`, async (page) => {
        const box = page.getByRole('searchbox', { name: 'Search the code' });
        await box.fill('cart total');
        await box.press('Enter');
        await page.getByRole('heading', { level: 2, name: /Code matching/ }).waitFor();
        const shown = page.locator(`li.hit[data-symbol="cartTotal"]`);
        await shown.waitFor();
        // The mode is said plainly: no embedding model in this test.
        expect(expected.mode).toBe('bm25+graph');
        const mode = await page.getByTestId('search-mode').textContent();
        expect(mode).toMatch(/no embedding model configured/i);
        expect(mode).toMatch(/ranked by BM25 and the reference graph/i);
        expect(await page.locator('li.hit').count()).toBe(expected.hits.length);
        const location = `${hit!.file}:${hit!.startLine}-${hit!.endLine}`;
        expect(await shown.locator('.where').textContent()).toBe(location);
        expect(await shown.locator('.signature').textContent()).toContain('cartTotal(');
        await page.screenshot({ path: path.join(RESULTS, 'codebase-search.png'), fullPage: true });

        await expectCodeView(page, shown.locator('.where'), {
          file: hit!.file,
          start: hit!.startLine,
          end: hit!.endLine,
          commit: expected.commit,
        });
        await page.screenshot({
          path: path.join(RESULTS, 'codebase-search-code.png'),
          fullPage: true,
        });
      });
    },
    TEST_TIMEOUT,
  );

  it(
    'streams an extractive answer whose citations open the code view, continues the session and shows its history',
    async () => {
      await onPage('ask', `#repo=${repoId}`, async (page) => {
        await page.getByRole('link', { name: 'Ask about the code' }).click();
        await page.getByRole('heading', { level: 2, name: 'Ask about the code' }).waitFor();
        // Keyboard only: the question box, then Enter.
        const question = page.getByLabel('Question');
        await question.focus();
        await page.keyboard.type('How is the cart total computed?');
        await page.keyboard.press('Enter');

        const turn = page.locator('li.turn').first();
        await page.locator('li.turn[data-mode="extractive"]').waitFor();
        expect(await turn.getByTestId('answer-mode').textContent()).toMatch(
          /^Extractive answer, no language model used: .*\d+ citations?, each checked against the index at commit [0-9a-f]{12}\.$/,
        );
        const citations = turn.locator('.cite');
        expect(await citations.count()).toBeGreaterThan(0);
        expect(
          new Set(
            await citations.evaluateAll((all) => all.map((c) => c.getAttribute('data-state'))),
          ),
        ).toEqual(new Set(['ok']));
        const session = new URLSearchParams(new URL(page.url()).hash.slice(1)).get('session');
        expect(session).toMatch(/^\d+$/);
        await page.screenshot({ path: path.join(RESULTS, 'codebase-ask.png'), fullPage: true });

        // A follow-up continues the same session.
        await page.getByLabel('Ask a follow-up question').fill('Where are items counted?');
        await page.getByRole('button', { name: 'Ask', exact: true }).click();
        await page.locator('li.turn').nth(1).locator('.answer[aria-busy="false"]').waitFor();
        const { messages } = await api<{ messages: { role: string; text: string }[] }>(
          `/api/codebase/chat/${session}`,
        );
        expect(messages.map((m) => m.role)).toEqual(['user', 'assistant', 'user', 'assistant']);

        // The first citation opens the cited lines at the cited commit.
        const first = citations.first();
        const label = (await first.getAttribute('data-citation'))!;
        const [, file, start, end] = /^(.+):(\d+)(?:-(\d+))?$/.exec(label)!;
        const commit = new URLSearchParams(
          (await first.locator('a').getAttribute('href'))!.slice(1),
        ).get('commit');
        expect(commit).toMatch(/^[0-9a-f]{40}$/);
        await expectCodeView(page, first.locator('a'), {
          file: file!,
          start: Number(start),
          end: Number(end ?? start),
          commit,
        });
        await page.screenshot({
          path: path.join(RESULTS, 'codebase-ask-code.png'),
          fullPage: true,
        });

        // Back to the conversation: its history is read from the session.
        await page.goBack();
        await page.getByRole('heading', { level: 2, name: 'Ask about the code' }).waitFor();
        await page.locator('li.turn').nth(1).waitFor();
        expect(await page.locator('li.turn .question').allTextContents()).toEqual([
          'You asked: How is the cart total computed?',
          'You asked: Where are items counted?',
        ]);
      });
    },
    TEST_TIMEOUT,
  );

  it(
    'fits a 390 px wide screen without sideways scrolling',
    async () => {
      const pages: [string, string, string][] = [
        ['search', `#repo=${repoId}&view=search&q=cart%20total`, 'li.hit'],
        ['ask', `#repo=${repoId}&view=ask`, 'textarea'],
      ];
      for (const [name, hash, shown] of pages) {
        await onPage(
          `390-${name}`,
          hash,
          async (page) => {
            await page.locator(shown).first().waitFor();
            if (name === 'ask') {
              await page.getByLabel('Question').fill('How is the cart total computed?');
              await page.keyboard.press('Enter');
              await page.locator('li.turn[data-mode="extractive"]').waitFor();
            }
            expect(await scrollWidth(page), name).toBeLessThanOrEqual(390);
            await page.screenshot({
              path: path.join(RESULTS, `codebase-390-${name}.png`),
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
