import { symlink } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { git, makeFolder, makeRepo } from '../../test/helpers/repo.js';
import { deliveredReport, notRunReport, recordReport } from '../../test/helpers/test-gen-report.js';
import type { TestGenReport } from '../pipeline/index.js';
import { closeHarnesses, harness, json, register, type Job } from './testing.js';

afterEach(closeHarnesses);

/** A node:test repository with one function its suite never calls. */
const NODE_TEST_REPO = {
  'package.json': JSON.stringify({
    name: 'shop',
    type: 'module',
    scripts: { test: 'node --test' },
  }),
  'src/price.js': [
    'export function price(amount, discount) {',
    '  if (discount > 0) return amount - amount * discount;',
    '  return amount;',
    '}',
    '',
    'export function label(amount) {',
    '  if (amount < 0) throw new RangeError(`negative amount: ${amount}`);',
    "  return amount === 0 ? 'free' : `$${amount.toFixed(2)}`;",
    '}',
    '',
  ].join('\n'),
  'test/price.test.js': [
    "import { test } from 'node:test';",
    "import assert from 'node:assert/strict';",
    "import { price } from '../src/price.js';",
    '',
    "test('price without discount', () => assert.equal(price(10, 0), 10));",
    '',
  ].join('\n'),
};

type ErrorBody = { error: { code: string; message: string } };

describe('POST /api/codebase/tests/generate', () => {
  it('refuses bad requests with a one-line message naming the field, and unknown repositories with 404', async () => {
    const h = await harness();
    const repo = await makeRepo(NODE_TEST_REPO);
    await symlink(path.dirname(repo), path.join(repo, 'escape'));
    const id = await register(h, repo);
    const bad: [Record<string, unknown>, RegExp][] = [
      [{}, /^repo: /],
      [{ repo: id, target: 80 }, /^target: a line coverage fraction from 0 to 1/],
      [{ repo: id, target: -0.1 }, /^target: /],
      [{ repo: id, maxFiles: 0 }, /^maxFiles: /],
      [{ repo: id, maxFiles: 1.5 }, /^maxFiles: /],
      [{ repo: id, attempts: 11 }, /^attempts: /],
      [{ repo: id, dryRun: 'yes' }, /^dryRun: /],
      [{ repo: id, models: ['gpt 4'] }, /^models\.0: a model id/],
      [{ repo: id, paths: 'src' }, /^paths: /],
      [{ repo: id, paths: [''] }, /^paths\.0: /],
      [{ repo: id, branch: 'x; rm -rf /' }, /branch/],
      [{ repo: id, paths: ['../outside'] }, /^paths\.0: \.\.\/outside is outside the repository$/],
      [{ repo: id, paths: [repo] }, /^paths\.0: must be relative to the repository/],
      [{ repo: id, paths: ['src', 'nope'] }, /^paths\.1: nope does not exist$/],
      [{ repo: id, paths: ['escape/x'] }, /^paths\.0: escape\/x (does not exist|resolves outside)/],
      [{ repo: id, files: ['src/nope.js'] }, /^files\.0: src\/nope\.js does not exist$/],
      [{ repo: id, files: ['escape'] }, /^files\.0: escape resolves outside the repository/],
    ];
    for (const [body, message] of bad) {
      const response = await h.call('POST', '/api/codebase/tests/generate', body);
      expect(response.status, JSON.stringify(body)).toBe(400);
      const { error } = await json<ErrorBody>(response);
      expect(error.message, JSON.stringify(body)).toMatch(message);
      expect(error.message).not.toMatch(/\n/);
    }
    for (const ref of [9999, '/no/such/repository']) {
      const response = await h.call('POST', '/api/codebase/tests/generate', { repo: ref });
      expect(response.status).toBe(404);
      expect((await json<ErrorBody>(response)).error.message).toMatch(/is not registered/);
    }
    // Not registered, though it exists.
    const other = await makeFolder({ 'a.js': 'export const a = 1;\n' });
    expect((await h.call('POST', '/api/codebase/tests/generate', { repo: other })).status).toBe(
      404,
    );
    expect((await json<{ jobs: Job[] }>(await h.call('GET', '/api/jobs'))).jobs).toEqual([]);
  });

  it('needs the token like every other route', async () => {
    const h = await harness();
    const response = await h.app.request('/api/codebase/tests/generate', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ repo: 1 }),
    });
    expect(response.status).toBe(401);
  });

  it('queues a tests job (202) with the request as its parameters, paths made repository-relative, and runs it', async () => {
    const h = await harness();
    const repo = await makeRepo(NODE_TEST_REPO);
    const id = await register(h, repo);
    const body = {
      repo,
      paths: ['./src/'],
      files: ['src/price.js'],
      target: 0.9,
      models: ['builtin:testgen'],
      maxFiles: 1,
      attempts: 1,
      dryRun: true,
    };
    const queued = await h.call('POST', '/api/codebase/tests/generate', body);
    expect(queued.status).toBe(202);
    const { job } = await json<{ job: Job }>(queued);
    expect(job).toMatchObject({
      kind: 'tests',
      repoId: id,
      status: 'queued',
      params: {
        paths: ['src'],
        files: ['src/price.js'],
        target: 0.9,
        models: ['builtin:testgen'],
        maxFiles: 1,
        attempts: 1,
        dryRun: true,
      },
    });
    await h.runner.idle();
    const done = (await json<{ job: Job }>(await h.call('GET', `/api/jobs/${job.id}`))).job;
    expect(done.status, String(done.error)).toBe('succeeded');
    // The job's progress is the run's own lines.
    expect(done.progress).toMatchObject({ type: 'phase', phase: 'tests' });
    // The result is the run's report: coverage measured with the repository's own runner.
    const report = done.result as unknown as TestGenReport;
    expect(report).toMatchObject({ repository: repo, runner: 'node:test' });
    expect(report.branch).toBeUndefined();
    expect(['dry-run', 'nothing-kept']).toContain(report.status);
    expect(report.files.map((f) => f.file)).toEqual(['src/price.js']);
    const before = report.files[0]!.before!;
    expect(before.lines.covered).toBeLessThan(before.lines.total);
    expect(before.uncoveredFunctions.map((f) => f.name)).toEqual(['label']);
    // The funnel counts test cases, summed over the verdicts' files.
    expect(report.funnel.kept).toBe(report.verdicts.reduce((n, v) => n + v.funnel.kept, 0));
    // Dry run: no branch, the checkout as it was.
    expect(git(repo, 'branch', '--list', 'beast/*').trim()).toBe('');
    expect(git(repo, 'status', '--porcelain').trim()).toBe('');

    // The run recorded itself; the API lists it with the report's figures.
    const { runs } = await json<{ runs: ListedRun[] }>(
      await h.call('GET', `/api/codebase/tests/runs?repo=${id}`),
    );
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({
      status: report.status,
      coverageBefore: { lines: report.before.lines },
      coverageAfter: { lines: report.after.lines },
      funnel: report.funnel,
    });
    const detail = await json<{ run: { files: { file: string; before: unknown }[] } }>(
      await h.call('GET', `/api/codebase/tests/runs/${runs[0]!.id}`),
    );
    expect(detail.run.files).toEqual([
      { file: 'src/price.js', before: report.files[0]!.before, after: report.files[0]!.after },
    ]);
  });
});

interface ListedRun {
  id: number;
  startedAt: string;
  status: string;
  reason: string | null;
  branch: string | null;
  headCommit: string | null;
  coverageBefore: { lines: { covered: number; total: number } };
  coverageAfter: { lines: { covered: number; total: number } };
  funnel: Record<string, number>;
  filesKept: number;
}

describe('GET /api/codebase/tests/runs', () => {
  it("lists a repository's runs newest first with `latest` the newest that measured coverage, and one run with its files and verdicts", async () => {
    const h = await harness();
    const repo = await makeRepo(NODE_TEST_REPO);
    const id = await register(h, repo);
    const other = await makeRepo(NODE_TEST_REPO);
    await register(h, other);
    const { repo: registered } = await json<{ repo: { root: string } }>(
      await h.call('GET', `/api/repos/${id}`),
    );
    const root = registered.root;
    const older = deliveredReport(root, 1);
    const newer = deliveredReport(root, 2);
    const record = (at: string, report: typeof older, where = root) =>
      recordReport(h.store, where, at, report);
    const olderId = await record('2026-12-01T10:00:00.000Z', older);
    const newerId = await record('2026-12-02T10:00:00.000Z', newer);
    const notRunId = await record('2026-12-03T10:00:00.000Z', notRunReport(root));
    await record('2026-12-04T10:00:00.000Z', deliveredReport(other, 3), other);

    const response = await h.call('GET', `/api/codebase/tests/runs?repo=${id}`);
    expect(response.status).toBe(200);
    const body = await json<{ repo: { id: number }; latest: ListedRun; runs: ListedRun[] }>(
      response,
    );
    expect(body.repo.id).toBe(id);
    expect(body.runs.map((r) => r.id)).toEqual([notRunId, newerId, olderId]);
    expect(body.latest.id).toBe(newerId);
    expect(body.latest).toMatchObject({
      status: 'delivered',
      branch: newer.branch,
      headCommit: newer.head,
      reason: null,
      coverageBefore: { lines: newer.before.lines },
      coverageAfter: { lines: newer.after.lines },
      funnel: newer.funnel,
      filesKept: 1,
    });
    expect(body.runs[0]).toMatchObject({
      status: 'not-run',
      reason: 'no test runner we can write for',
      branch: null,
    });
    // By path, under either name, with a limit.
    const byPath = await json<{ runs: ListedRun[] }>(
      await h.call(
        'GET',
        `/api/codebase/tests/runs?repository=${encodeURIComponent(repo)}&limit=1`,
      ),
    );
    expect(byPath.runs.map((r) => r.id)).toEqual([notRunId]);

    const detail = await h.call('GET', `/api/codebase/tests/runs/${olderId}`);
    expect(detail.status).toBe(200);
    const { run } = await json<{
      run: ListedRun & {
        coverageHow: string;
        files: { file: string; before: unknown; after: unknown }[];
        verdicts: { file: string; kept: boolean; stage: string; reason: string | null }[];
        skipped: string[];
      };
    }>(detail);
    expect(run).toMatchObject({
      id: olderId,
      branch: older.branch,
      coverageHow: older.coverageHow,
      funnel: older.funnel,
      skipped: older.skipped,
    });
    expect(run.files).toEqual(
      older.files.map((f) => ({ file: f.file, before: f.before, after: f.after })),
    );
    expect(run.verdicts.map((v) => [v.file, v.kept, v.stage, v.reason])).toEqual(
      older.verdicts.map((v) => [v.file, v.kept, v.stage, v.reason ?? null]),
    );
    // The generated files' text is in the branch's commits, not in the run's record.
    expect(JSON.stringify(run)).not.toContain('the kept cases of seed');
  });

  it('refuses a missing or unknown repository and an unknown run, and needs the token', async () => {
    const h = await harness();
    const missing = await h.call('GET', '/api/codebase/tests/runs');
    expect(missing.status).toBe(400);
    expect((await json<ErrorBody>(missing)).error.message).toBe('repo: required');
    expect((await h.call('GET', '/api/codebase/tests/runs?repo=4242')).status).toBe(404);
    expect((await h.call('GET', '/api/codebase/tests/runs?repo=1&limit=0')).status).toBe(400);
    const unknown = await h.call('GET', '/api/codebase/tests/runs/4242');
    expect(unknown.status).toBe(404);
    expect((await json<ErrorBody>(unknown)).error.message).toBe(
      'test-generation run 4242 does not exist',
    );
    for (const url of ['/api/codebase/tests/runs?repo=1', '/api/codebase/tests/runs/1'])
      expect((await h.app.request(url)).status, url).toBe(401);
  });

  it('documents the three routes in the OpenAPI document', async () => {
    const h = await harness();
    const doc = await json<{ paths: Record<string, Record<string, unknown>> }>(
      await h.call('GET', '/api/openapi.json'),
    );
    expect(Object.keys(doc.paths['/api/codebase/tests/generate'] ?? {})).toEqual(['post']);
    expect(Object.keys(doc.paths['/api/codebase/tests/runs'] ?? {})).toEqual(['get']);
    expect(Object.keys(doc.paths['/api/codebase/tests/runs/{id}'] ?? {})).toEqual(['get']);
  });
});
