import { mkdir, mkdtemp, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { recordQueries } from '../../test/helpers/query-log.js';
import { beast, makeRepo } from '../../test/helpers/repo.js';
import { SCORE_WEIGHTS } from '../analysis/index.js';
import { createJob, latestScan, openStore, recordModelCalls } from '../store/index.js';
import {
  closeHarnesses,
  harness,
  json,
  register,
  runJob,
  SOURCE,
  TOKEN,
  type Job,
} from './testing.js';

afterEach(closeHarnesses);

describe('authentication', () => {
  it('refuses every /api route without the right token, openapi.json included', async () => {
    const h = await harness();
    for (const url of ['/api/repos', '/api/openapi.json', '/api/jobs/1', '/api/models']) {
      const missing = await h.app.request(url);
      expect(missing.status, url).toBe(401);
      expect(missing.headers.get('www-authenticate')).toBe('Bearer');
      expect((await json<{ error: { code: string } }>(missing)).error.code).toBe('unauthorized');
      const wrong = await h.app.request(url, { headers: { authorization: `Bearer ${TOKEN}x` } });
      expect(wrong.status, url).toBe(401);
      const basic = await h.app.request(url, { headers: { authorization: `Basic ${TOKEN}` } });
      expect(basic.status, url).toBe(401);
    }
    const posted = await h.app.request('/api/repos', {
      method: 'POST',
      body: JSON.stringify({ path: h.dir }),
      headers: { 'content-type': 'application/json' },
    });
    expect(posted.status).toBe(401);
    expect((await json<{ repos: unknown[] }>(await h.call('GET', '/api/repos'))).repos).toEqual([]);
  });

  it('serves the dashboard without a token, with a strict CSP, and says when it is not built', async () => {
    const h = await harness();
    const unbuilt = await h.app.request('/');
    expect(unbuilt.status).toBe(503);
    expect(await unbuilt.text()).toMatch(/npm run build/);

    const web = path.join(h.dir, 'web');
    await mkdir(path.join(web, 'assets'), { recursive: true });
    await writeFile(path.join(web, 'index.html'), '<!doctype html><title>beast</title>');
    await writeFile(path.join(web, 'assets', 'app-1234.js'), 'export {};');
    await writeFile(path.join(h.dir, 'secret.txt'), 'no');
    const page = await h.app.request('/');
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toMatch(/default-src 'self'/);
    expect(page.headers.get('content-security-policy')).not.toMatch(/unsafe/);
    expect(page.headers.get('cache-control')).toBe('no-cache');
    const asset = await h.app.request('/assets/app-1234.js');
    expect(asset.status).toBe(200);
    expect(asset.headers.get('content-type')).toMatch(/javascript/);
    expect(asset.headers.get('cache-control')).toMatch(/immutable/);
    for (const hostile of [
      '/assets/%2e%2e/%2e%2e/secret.txt',
      '/assets/..%2f..%2fsecret.txt',
      '/assets/%E0%A4%A',
    ]) {
      expect((await h.app.request(hostile)).status, hostile).toBe(404);
    }
  });
});

describe('repositories', () => {
  it('registers a folder by its real path, once, and refuses what is not a folder', async () => {
    const h = await harness();
    const repo = await makeRepo(SOURCE);
    const link = path.join(h.dir, 'link');
    await symlink(repo, link);
    const first = await h.call('POST', '/api/repos', { path: link });
    expect(first.status).toBe(201);
    const { repo: created } = await json<{ repo: { id: number; root: string; name: string } }>(
      first,
    );
    expect(created.root).toBe(repo);
    const again = await h.call('POST', '/api/repos', { path: repo });
    expect(again.status).toBe(200);
    expect((await json<{ repo: { id: number } }>(again)).repo.id).toBe(created.id);

    const bad: [unknown, RegExp][] = [
      [{ path: path.join(repo, 'missing') }, /path: .* does not exist/],
      [{ path: path.join(repo, 'src', 'a.ts') }, /path: .* is not a directory/],
      [{ path: 'relative/dir' }, /path: must be absolute/],
      [{ path: 42 }, /^path: /],
      [{ path: repo, extra: 1 }, /extra/],
      [{}, /^path: /],
    ];
    for (const [body, message] of bad) {
      const response = await h.call('POST', '/api/repos', body);
      expect(response.status, JSON.stringify(body)).toBe(400);
      const { error } = await json<{ error: { code: string; message: string } }>(response);
      expect(error.message).toMatch(message);
    }
    const malformed = await h.call('POST', '/api/repos', '{"path":');
    expect(malformed.status).toBe(400);

    const { repos } = await json<{ repos: { id: number; latest: unknown; trend: unknown[] }[] }>(
      await h.call('GET', '/api/repos'),
    );
    expect(repos).toEqual([expect.objectContaining({ id: created.id, latest: null, trend: [] })]);
  });

  it('scans through a job and reports the stored scan, its findings and trend', async () => {
    const h = await harness();
    const repo = await makeRepo(SOURCE);
    const id = await register(h, repo);
    const job = await runJob(h, '/api/self-improvement/scan', { repo: id });
    expect(job).toMatchObject({ status: 'succeeded', kind: 'scan', repoId: id, attempts: 1 });
    // Saves are coalesced, but the last progress is always the one kept.
    expect(job.progress).toEqual({ type: 'files', done: 2, total: 2 });
    const stored = await latestScan(h.store, repo);
    expect(stored).toBeDefined();
    expect(job.result).toMatchObject({
      scanId: stored!.scan.id,
      score: stored!.scan.score.score,
      files: 2,
      findings: stored!.findings.length,
    });
    // Scanning by path names the same repository.
    await runJob(h, '/api/self-improvement/scan', { repo });

    const { repos } = await json<{
      repos: { latest: { scanId: number }; trend: { scanId: number }[] }[];
    }>(await h.call('GET', '/api/repos'));
    expect(repos[0]!.trend.map((t) => t.scanId)).toHaveLength(2);
    expect(repos[0]!.latest.scanId).toBe(repos[0]!.trend[1]!.scanId);
    // The API's digest of a scan, key for key: the store's is mapped to it.
    expect(Object.keys(repos[0]!.latest)).toEqual([
      'scanId',
      'score',
      'grade',
      'at',
      'files',
      'findings',
    ]);

    const detail = await json<{
      latest: {
        components: Record<string, number>;
        findingsByCategory: Record<string, number>;
        findingsBySeverity: Record<string, number>;
        topFindings: { ruleId: string; file: string }[];
      };
      hotspots: unknown[];
    }>(await h.call('GET', `/api/repos/${id}`));
    const total = (counts: Record<string, number>) =>
      Object.values(counts).reduce((a, b) => a + b, 0);
    expect(total(detail.latest.findingsByCategory)).toBe(stored!.findings.length);
    expect(total(detail.latest.findingsBySeverity)).toBe(stored!.findings.length);
    expect(detail.latest.components).toEqual(stored!.scan.score.components);
    expect(detail.latest.topFindings.map((f) => f.ruleId)).toContain('no-var');

    const status = await json<{
      repos: { id: number; latest: { scanId: number } }[];
      jobs: unknown;
    }>(await h.call('GET', '/api/self-improvement/status'));
    expect(status.repos[0]).toMatchObject({ id, lastImprove: null });
    expect(status.jobs).toEqual({ queued: 0, running: 0 });
    const jobs = await json<{ jobs: Job[] }>(await h.call('GET', `/api/jobs?repo=${id}&limit=1`));
    expect(jobs.jobs).toHaveLength(1);
    expect(
      (await json<{ runs: unknown[] }>(await h.call('GET', `/api/repos/${id}/improvements`))).runs,
    ).toEqual([]);
  });

  it('answers 404 for unregistered repositories, by id or path, on every route that takes one', async () => {
    const h = await harness();
    const repo = await makeRepo(SOURCE);
    // Scanned by the CLI (so in the store) but never registered: still refused.
    await createJob(h.store, { kind: 'scan', repoId: null, params: {} });
    const requests: [string, string, unknown][] = [
      ['POST', '/api/self-improvement/scan', { repo }],
      ['POST', '/api/self-improvement/scan', { repo: 99 }],
      ['POST', '/api/self-improvement/improve', { repo }],
      ['POST', '/api/repos/quality', { repo }],
      ['POST', '/api/codebase/refactor', { repo, file: 'src/a.ts' }],
      ['GET', '/api/repos/99', undefined],
      ['GET', '/api/repos/99/improvements', undefined],
      ['GET', '/api/jobs/999', undefined],
      ['POST', '/api/jobs/999/rerun', undefined],
    ];
    for (const [method, url, body] of requests) {
      const response = await h.call(method, url, body);
      expect(response.status, `${method} ${url} ${JSON.stringify(body)}`).toBe(404);
      expect((await json<{ error: { code: string } }>(response)).error.code).toBe('not-found');
    }
    expect((await h.call('GET', '/api/repos/abc')).status).toBe(400);
    const bad = await h.call('POST', '/api/repos/quality', { repo: true });
    expect(bad.status).toBe(400);
    expect((await json<{ error: { message: string } }>(bad)).error.message).toBe(
      'repo: expected a registered repository id (a positive whole number) or its absolute path',
    );
  });
});

describe('quality report', () => {
  it('computes every figure from the newest scan', async () => {
    const h = await harness();
    const repo = await makeRepo(SOURCE);
    const id = await register(h, repo);
    const before = await h.call('POST', '/api/repos/quality', { repo: id });
    expect(before.status).toBe(409);

    await runJob(h, '/api/self-improvement/scan', { repo: id });
    const report = await json<{
      quality: number;
      grade: string;
      confidence: number;
      factors: Record<string, { value: number; importance: number }>;
      recommendations: { factor: string; gain: number; message: string }[];
    }>(await h.call('POST', '/api/repos/quality', { repo }));
    const stored = (await latestScan(h.store, repo))!;
    expect(report.quality).toBeCloseTo(stored.scan.score.score / 100, 2);
    expect(report.grade).toBe(stored.scan.score.grade);
    // Every file parsed, one scan: 1 × 1/2.
    expect(report.confidence).toBe(0.5);
    for (const [name, weight] of Object.entries(SCORE_WEIGHTS)) {
      expect(report.factors[name]!.importance).toBe(weight);
      expect(report.factors[name]!.value).toBeCloseTo(stored.scan.score.components[name]! / 100, 3);
    }
    expect(report.factors.defectRisk).toBeUndefined();
    expect(report.recommendations.map((r) => r.message).join('\n')).toMatch(/beast train/);
    const gains = report.recommendations.map((r) => r.gain);
    expect(gains).toEqual([...gains].sort((a, b) => b - a));

    await runJob(h, '/api/self-improvement/scan', { repo: id });
    const again = await json<{ confidence: number }>(
      await h.call('POST', '/api/repos/quality', { repo: id }),
    );
    expect(again.confidence).toBe(0.667);

    // `beast train` stores a model (a heuristic: one commit is too little history); the cached
    // report is recomputed with it.
    const trained = beast(['train', repo, '--db', h.store.file]);
    expect(trained.code, trained.stderr).toBe(0);
    const withModel = await json<{
      factors: Record<string, unknown>;
      recommendations: { factor: string; message: string }[];
    }>(await h.call('POST', '/api/repos/quality', { repo: id }));
    expect(withModel.factors.defectRisk).toBeUndefined();
    expect(withModel.recommendations.find((r) => r.factor === 'defectRisk')?.message).toMatch(
      /quality:defect-risk v1 is a churn x complexity heuristic/,
    );
  });
});

describe('hostile and unbuilt requests', () => {
  it('marks every API answer, refusals included, no-store and nosniff; the dashboard keeps its caching', async () => {
    const h = await harness();
    const answers: [string, Response][] = [
      ['200', await h.call('GET', '/api/repos')],
      ['openapi', await h.call('GET', '/api/openapi.json')],
      ['401', await h.app.request('/api/repos')],
      ['404', await h.call('GET', '/api/no-such-route')],
      ['400', await h.call('POST', '/api/repos', { path: 42 })],
      ['413', await h.call('POST', '/api/repos', 'x'.repeat(1024 * 1024 + 1))],
      ['501', await h.call('POST', '/api/repos/quality/generate-feature', {})],
    ];
    expect(answers.map(([, r]) => r.status)).toEqual([200, 200, 401, 404, 400, 413, 501]);
    for (const [what, response] of answers) {
      expect(response.headers.get('x-content-type-options'), what).toBe('nosniff');
      expect(response.headers.get('cache-control'), what).toBe('no-store');
    }
    const web = path.join(h.dir, 'web');
    await mkdir(web, { recursive: true });
    await writeFile(path.join(web, 'index.html'), '<!doctype html><title>beast</title>');
    const page = await h.app.request('/');
    expect(page.status).toBe(200);
    expect(page.headers.get('cache-control')).toBe('no-cache');
  });

  it('refuses bodies over the limit with 413', async () => {
    const h = await harness();
    const big = JSON.stringify({ path: 'x'.repeat(1024 * 1024 + 1) });
    const response = await h.call('POST', '/api/repos', big);
    expect(response.status).toBe(413);
    expect((await json<{ error: { code: string } }>(response)).error.code).toBe('too-large');
  });

  it('allows no cross-origin request unless an origin is configured', async () => {
    const preflight = {
      method: 'OPTIONS',
      headers: {
        origin: 'https://evil.example',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization',
      },
    };
    const closed = await harness();
    const refused = await closed.app.request('/api/repos', preflight);
    expect(refused.headers.get('access-control-allow-origin')).toBeNull();
    const get = await closed.call('GET', '/api/repos', undefined, {
      origin: 'https://evil.example',
    });
    expect(get.headers.get('access-control-allow-origin')).toBeNull();

    const configured = await harness({ corsOrigin: 'https://dash.example' });
    const allowed = await configured.app.request('/api/repos', {
      ...preflight,
      headers: { ...preflight.headers, origin: 'https://dash.example' },
    });
    expect(allowed.headers.get('access-control-allow-origin')).toBe('https://dash.example');
    const other = await configured.app.request('/api/repos', preflight);
    expect(other.headers.get('access-control-allow-origin')).not.toBe('https://evil.example');
  });

  it('answers 501 for capabilities not built yet', async () => {
    const h = await harness();
    for (const url of ['/api/repos/quality/generate-feature']) {
      const response = await h.call('POST', url, {});
      expect(response.status, url).toBe(501);
      expect(
        (await json<{ error: { code: string; message: string } }>(response)).error.message,
      ).toMatch(/not built yet/);
    }
  });

  it('documents every route in an OpenAPI 3.1 document, and lists the models', async () => {
    const h = await harness();
    const doc = await json<{ openapi: string; paths: Record<string, unknown> }>(
      await h.call('GET', '/api/openapi.json'),
    );
    expect(doc.openapi).toBe('3.1.0');
    for (const p of [
      '/api/repos',
      '/api/repos/{id}',
      '/api/repos/quality',
      '/api/jobs/{id}/events',
      '/api/codebase/refactor',
      '/api/models',
    ])
      expect(Object.keys(doc.paths)).toContain(p);
    const { models } = await json<{ models: { id: string; state: string }[] }>(
      await h.call('GET', '/api/models'),
    );
    expect(models.map((m) => m.id)).toEqual(['builtin:codemods', 'builtin:ts-fixes']);
    expect(models.every((m) => m.state === 'ready')).toBe(true);
  });

  it("lists each model a registered repository's config declares, with its state", async () => {
    const h = await harness();
    const repo = await makeRepo({
      ...SOURCE,
      'beast.config.json': JSON.stringify({
        models: {
          custom: {
            local: {
              baseUrl: 'http://127.0.0.1:9/v1',
              model: 'm',
              apiKeyEnv: 'BEAST_TEST_UNSET_KEY_7f3a',
              price: { inputPerMillion: 1, outputPerMillion: 2 },
            },
          },
        },
      }),
    });
    const id = await register(h, repo);
    type Listed = { id: string; state: string; detail: string | null; deployments: unknown[] };
    for (const url of [`/api/models?repo=${id}`, '/api/models']) {
      const { models } = await json<{ models: Listed[] }>(await h.call('GET', url));
      expect(
        models.map((m) => [m.id, m.state]),
        url,
      ).toEqual([
        ['builtin:codemods', 'ready'],
        ['builtin:ts-fixes', 'ready'],
        ['custom:local', 'missing key'],
      ]);
      expect(models[2]?.detail).toBe('set custom:local (BEAST_TEST_UNSET_KEY_7f3a)');
    }
    expect((await h.call('GET', '/api/models?repo=999')).status).toBe(404);
  });

  it('counts the calls whose reported usage was impossible, per model and deployment', async () => {
    const h = await harness();
    const repo = await makeRepo({
      ...SOURCE,
      'beast.config.json': JSON.stringify({
        models: {
          custom: {
            open: {
              baseUrl: 'http://127.0.0.1:9/v1',
              model: 'm',
              price: { inputPerMillion: 1, outputPerMillion: 2 },
            },
          },
        },
      }),
    });
    await register(h, repo);
    const base = {
      at: new Date(),
      model: 'custom:open',
      deployment: 'custom:open',
      provider: 'custom:open',
      outcome: 'ok',
      costUsd: 0.01,
      latencyMs: 5,
    };
    await recordModelCalls(h.store, [
      base,
      { ...base, usageAnomaly: 'impossible token usage reported; charged the reservation' },
      { ...base, usageAnomaly: 'no token usage reported; charged the reservation' },
    ]);
    type Listed = {
      id: string;
      stats: { usageAnomalies: number; costUsd: number };
      deployments: { usageAnomalies: number }[];
    };
    const { models } = await json<{ models: Listed[] }>(await h.call('GET', '/api/models'));
    const open = models.find((m) => m.id === 'custom:open');
    expect(open?.stats.usageAnomalies).toBe(2);
    expect(open?.stats.costUsd).toBeCloseTo(0.03, 10);
    expect(open?.deployments.map((d) => d.usageAnomalies)).toEqual([2]);
  });

  it("reads the models' stats once however many repositories are registered", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'beast-serve-'));
    const recorded = recordQueries(await openStore(path.join(dir, 'beast.db')));
    const h = await harness({ dir, store: recorded.store });
    const listModels = async (): Promise<string[]> => {
      recorded.queries.length = 0;
      expect((await h.call('GET', '/api/models')).status).toBe(200);
      return [...recorded.queries];
    };
    await register(h, await makeRepo(SOURCE));
    const withOne = await listModels();
    for (let i = 0; i < 3; i++) await register(h, await makeRepo(SOURCE));
    expect(await listModels()).toEqual(withOne);
    expect(new Set(withOne).size, 'no statement runs twice').toBe(withOne.length);
  });
});
