import { mkdir, symlink } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { makeFolder, makeRepo } from '../../test/helpers/repo.js';
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
    await mkdir(path.join(repo, 'empty'));
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
      [{ repo: id, files: ['empty'] }, /^files\.0: empty is not a file$/],
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
    // Until the pipeline lands, its stub's error is the job's one-line outcome.
    expect(done.status).toBe('failed');
    expect(done.error).toBe('beast tests: not built yet');
  });
});
