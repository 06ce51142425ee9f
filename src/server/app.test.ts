import { mkdir, mkdtemp, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { makeImproveFixture } from '../../test/helpers/improve-fixture.js';
import { beast, makeFolder, makeRepo } from '../../test/helpers/repo.js';
import { SCORE_WEIGHTS } from '../analysis/index.js';
import { claimNextJob, createJob, latestScan, openStore, type Store } from '../store/index.js';
import { createApp, type AppDeps } from './app.js';
import { createJobHandlers } from './job-handlers.js';
import { createJobRunner, type JobRunner } from './jobs.js';

const TOKEN = 'test-token-0123456789';

interface Harness {
  dir: string;
  store: Store;
  runner: JobRunner;
  app: ReturnType<typeof createApp>;
  call(
    method: string,
    url: string,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<Response>;
}

const open: Harness[] = [];

afterEach(async () => {
  const harnesses = open.splice(0);
  for (const h of harnesses) await h.runner.stop();
  for (const store of new Set(harnesses.map((h) => h.store))) await store.close();
});

/** A real store in a temporary folder, the real job handlers, and the app over them. */
async function harness(
  options: Partial<Pick<AppDeps, 'corsOrigin' | 'staticDir' | 'maxBodyBytes'>> & {
    start?: boolean;
    store?: Store;
    dir?: string;
  } = {},
): Promise<Harness> {
  const dir = options.dir ?? (await mkdtemp(path.join(tmpdir(), 'beast-serve-')));
  const store = options.store ?? (await openStore(path.join(dir, 'beast.db')));
  const runner = createJobRunner({ store, handlers: createJobHandlers(store, dir) });
  if (options.start !== false) await runner.start();
  const app = createApp({
    store,
    runner,
    token: TOKEN,
    staticDir: options.staticDir ?? path.join(dir, 'web'),
    ...(options.corsOrigin ? { corsOrigin: options.corsOrigin } : {}),
    ...(options.maxBodyBytes ? { maxBodyBytes: options.maxBodyBytes } : {}),
  });
  const call: Harness['call'] = async (method, url, body, headers = {}) =>
    app.request(url, {
      method,
      headers: {
        authorization: `Bearer ${TOKEN}`,
        'content-type': 'application/json',
        ...headers,
      },
      ...(body === undefined
        ? {}
        : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
    });
  const h = { dir, store, runner, app, call };
  open.push(h);
  return h;
}

async function json<T = Record<string, unknown>>(response: Response): Promise<T> {
  return (await response.json()) as T;
}

interface Job {
  id: number;
  status: string;
  kind: string;
  repoId: number;
  params: unknown;
  progress: unknown;
  result: Record<string, unknown> | null;
  error: string | null;
  attempts: number;
}

async function register(h: Harness, folder: string): Promise<number> {
  const response = await h.call('POST', '/api/repos', { path: folder });
  expect(response.status).toBe(201);
  return (await json<{ repo: { id: number } }>(response)).repo.id;
}

/** Queues a job through the API and waits until the queue is empty; returns the finished job. */
async function runJob(h: Harness, url: string, body: unknown): Promise<Job> {
  const queued = await h.call('POST', url, body);
  expect(queued.status).toBe(202);
  const { job } = await json<{ job: Job }>(queued);
  await h.runner.idle();
  return (await json<{ job: Job }>(await h.call('GET', `/api/jobs/${job.id}`))).job;
}

const SOURCE = {
  'src/a.ts':
    'export function f(x: any) {\n  var y = x;\n  if (y == 1) { return 1; }\n  return y;\n}\n',
  'src/b.ts': 'export const b = (n: number) => n * 2;\n',
};

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

describe('jobs', () => {
  it('streams progress and ends with done; a late client gets done at once', async () => {
    const h = await harness({ start: false });
    const repo = await makeRepo(SOURCE);
    const id = await register(h, repo);
    const { job } = await json<{ job: Job }>(
      await h.call('POST', '/api/self-improvement/scan', { repo: id }),
    );
    const live = await h.call('GET', `/api/jobs/${job.id}/events`);
    expect(live.headers.get('content-type')).toMatch(/text\/event-stream/);
    const text = live.text();
    await h.runner.start();
    const events = parseEvents(await text);
    expect(events[0]).toMatchObject({ event: 'status', data: { status: 'queued' } });
    expect(events.map((e) => e.event)).toContain('progress');
    expect(events.find((e) => e.event === 'progress')?.data).toMatchObject({
      type: 'files',
      total: 2,
    });
    expect(events.filter((e) => e.event === 'status').map((e) => (e.data as Job).status)).toEqual([
      'queued',
      'running',
      'succeeded',
    ]);
    expect(events.at(-1)).toMatchObject({ event: 'done', data: { status: 'succeeded' } });

    const late = parseEvents(await (await h.call('GET', `/api/jobs/${job.id}/events`)).text());
    expect(late).toEqual([
      { event: 'done', data: expect.objectContaining({ status: 'succeeded' }) },
    ]);
  });

  it('marks jobs a dead server left running as interrupted, and reruns them', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'beast-serve-'));
    const store = await openStore(path.join(dir, 'beast.db'));
    const first = await harness({ dir, store, start: false });
    const repo = await makeRepo(SOURCE);
    const id = await register(first, repo);
    const { job } = await json<{ job: Job }>(
      await first.call('POST', '/api/self-improvement/scan', { repo: id }),
    );
    // The first server took the job, then died without finishing it.
    expect((await claimNextJob(store, 'dead-server'))?.id).toBe(job.id);
    const queued = await json<{ job: Job }>(
      await first.call('POST', '/api/self-improvement/scan', { repo: id }),
    );

    const second = await harness({ dir, store, start: false });
    expect(await second.runner.start()).toEqual([job.id]);
    await second.runner.idle();
    const cut = (await json<{ job: Job }>(await second.call('GET', `/api/jobs/${job.id}`))).job;
    expect(cut).toMatchObject({ status: 'interrupted', attempts: 1 });
    expect(cut.error).toMatch(/rerun/);
    // A job still queued was not lost: the new server ran it.
    const ran = (await json<{ job: Job }>(await second.call('GET', `/api/jobs/${queued.job.id}`)))
      .job;
    expect(ran.status).toBe('succeeded');

    const rerun = await second.call('POST', `/api/jobs/${job.id}/rerun`);
    expect(rerun.status).toBe(202);
    const fresh = (await json<{ job: Job }>(rerun)).job;
    expect(fresh.id).not.toBe(job.id);
    expect(fresh).toMatchObject({ kind: 'scan', repoId: id, params: cut.params });
    await second.runner.idle();
    const done = (await json<{ job: Job }>(await second.call('GET', `/api/jobs/${fresh.id}`))).job;
    expect(done.status).toBe('succeeded');
    expect((await second.call('POST', `/api/jobs/${fresh.id}/rerun`)).status).toBe(409);
  });

  it('records a failing job as failed with a one-line error, and reruns it', async () => {
    const h = await harness();
    const folder = await makeFolder({ 'a.ts': 'export const a = 1;\n' });
    const id = await register(h, folder);
    const job = await runJob(h, '/api/self-improvement/improve', {
      repo: id,
      options: { dryRun: true },
    });
    expect(job.status).toBe('failed');
    expect(job.error).toMatch(/not inside a git repository/);
    expect(job.error).not.toMatch(/\n/);
    const rerun = await h.call('POST', `/api/jobs/${job.id}/rerun`);
    expect(rerun.status).toBe(202);
    await h.runner.idle();
  });

  it('validates improve options', async () => {
    const h = await harness();
    const id = await register(h, await makeRepo(SOURCE));
    const bad: [unknown, RegExp][] = [
      [{ maxChanges: 0 }, /options\.maxChanges/],
      [{ rules: ['../x'] }, /options\.rules\.0/],
      [{ branch: 'x; rm -rf /' }, /branch/],
      [{ dryRun: 'yes' }, /options\.dryRun/],
    ];
    for (const [options, message] of bad) {
      const response = await h.call('POST', '/api/self-improvement/improve', { repo: id, options });
      expect(response.status).toBe(400);
      expect((await json<{ error: { message: string } }>(response)).error.message).toMatch(message);
    }
  });
});

describe('refactor', () => {
  it('proposes one validated change to one file, and applies it on a branch only when asked', async () => {
    const h = await harness();
    const repo = await makeImproveFixture(2);
    const id = await register(h, repo);
    const dry = await runJob(h, '/api/codebase/refactor', {
      repo: id,
      file: 'src/mod1.js',
      rule: 'prefer-const',
    });
    expect(dry.status).toBe('succeeded');
    const result = dry.result as {
      status: string;
      branch: string | null;
      diff: string;
      change: { status: string; finding: { file: string; ruleId: string }; checks: unknown[] };
    };
    expect(result.branch).toBeNull();
    expect(result.change).toMatchObject({
      status: 'accepted',
      finding: { file: 'src/mod1.js', ruleId: 'prefer-const' },
    });
    expect(result.change.checks.length).toBeGreaterThan(0);
    expect(result.diff).toMatch(/^\+\s*const prefix = 'item-1';$/m);
    expect(result.diff).not.toMatch(/mod0/);

    const applied = await runJob(h, '/api/codebase/refactor', {
      repo,
      file: 'src/mod0.js',
      apply: true,
    });
    const out = applied.result as { branch: string | null; diff: string };
    expect(out.branch).toMatch(/^beast\//);
    expect(out.diff).toMatch(/mod0\.js/);
    const runs = await json<{ runs: { changes: { file: string }[] }[] }>(
      await h.call('GET', `/api/repos/${id}/improvements`),
    );
    expect(runs.runs).toHaveLength(2);
    expect(runs.runs[0]!.changes.every((c) => c.file === 'src/mod0.js')).toBe(true);
  });

  it('refuses files outside the repository, literally or through a symlink', async () => {
    const h = await harness();
    const repo = await makeRepo(SOURCE);
    const outside = await makeFolder({ 'secret.ts': 'export const s = 1;\n' });
    await symlink(path.join(outside, 'secret.ts'), path.join(repo, 'src', 'escape.ts'));
    await symlink(outside, path.join(repo, 'linked'));
    const id = await register(h, repo);
    const cases: [string, RegExp][] = [
      ['../secret.ts', /outside the repository/],
      ['src/../../x.ts', /outside the repository/],
      [path.join(outside, 'secret.ts'), /outside the repository/],
      ['src/escape.ts', /symlink/],
      ['linked/secret.ts', /symlink/],
      ['src/missing.ts', /does not exist/],
      ['src', /not a file/],
    ];
    for (const [file, message] of cases) {
      const response = await h.call('POST', '/api/codebase/refactor', { repo: id, file });
      expect(response.status, file).toBe(400);
      expect((await json<{ error: { message: string } }>(response)).error.message, file).toMatch(
        message,
      );
    }
    expect((await json<{ jobs: unknown[] }>(await h.call('GET', '/api/jobs'))).jobs).toEqual([]);
  });
});

describe('hostile and unbuilt requests', () => {
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
    for (const url of [
      '/api/codebase/chat',
      '/api/codebase/tests/generate',
      '/api/repos/quality/generate-feature',
    ]) {
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
});

function parseEvents(text: string): { event: string; data: unknown }[] {
  return text
    .split('\n\n')
    .filter((block) => block.trim() !== '')
    .map((block) => {
      const lines = block.split('\n');
      const event = lines.find((l) => l.startsWith('event: '))?.slice(7) ?? '';
      const data = lines.find((l) => l.startsWith('data: '))?.slice(6) ?? 'null';
      return { event, data: JSON.parse(data) as unknown };
    });
}
