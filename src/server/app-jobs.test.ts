import { mkdtemp, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { makeImproveFixture } from '../../test/helpers/improve-fixture.js';
import { git, makeFolder, makeRepo } from '../../test/helpers/repo.js';
import { claimNextJob, openStore } from '../store/index.js';
import {
  closeHarnesses,
  harness,
  json,
  parseEvents,
  register,
  runJob,
  SOURCE,
  type Job,
} from './testing.js';

afterEach(closeHarnesses);

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

describe('improve job result', () => {
  it('counts withheld changes apart from accepted ones and credits no quality when nothing was delivered', async () => {
    const h = await harness();
    // No tests: every change that passes the other checks is withheld.
    const repo = await makeRepo({
      'src/a.js': "let a = 'x';\nexport const b = a + 'y';\nexport const c = { a: a };\n",
    });
    const id = await register(h, repo);
    const job = await runJob(h, '/api/self-improvement/improve', { repo: id });
    expect(job.status).toBe('succeeded');
    const result = job.result as {
      accepted: number;
      withheld: number;
      rejected: number;
      afterBasis: string;
      before: unknown;
      after: unknown;
      outcomes: { accepted: string[]; withheld: string[]; rejected: string[] };
    };
    expect(result.withheld).toBeGreaterThan(0);
    expect(result).toMatchObject({ accepted: 0, afterBasis: 'nothing-delivered' });
    expect(result.outcomes.withheld).toHaveLength(result.withheld);
    expect(result.outcomes.accepted).toEqual([]);
    expect(result.after).toEqual(result.before);
  });
});

const TAIL = [
  '/** @param {number[]} items */',
  'export function spread(items) {',
  '  if (items.length > 0) {',
  '    const low = Math.min(...items);',
  '    const high = Math.max(...items);',
  '    return high - low;',
  '  }',
  '}',
  '',
].join('\n');

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

    // Without a rule, a refactor works on the file's restructuring findings (here needless
    // nesting), not on the fixture's prefer-const and friends.
    await writeFile(path.join(repo, 'src/tail.js'), TAIL);
    git(repo, 'add', '-A');
    git(repo, 'commit', '-qm', 'a function ending in a large if');
    const applied = await runJob(h, '/api/codebase/refactor', {
      repo,
      file: 'src/tail.js',
      apply: true,
    });
    const out = applied.result as {
      branch: string | null;
      diff: string;
      change: { finding: { ruleId: string } };
    };
    expect(out.branch).toMatch(/^beast\/refactor-/);
    expect(out.change.finding.ruleId).toBe('prefer-early-return');
    expect(out.diff).toMatch(/^\+ {2}if \(!\(items\.length > 0\)\) return;$/m);
    const runs = await json<{ runs: { changes: { file: string }[] }[] }>(
      await h.call('GET', `/api/repos/${id}/improvements`),
    );
    expect(runs.runs).toHaveLength(2);
    expect(runs.runs[0]!.changes.every((c) => c.file === 'src/tail.js')).toBe(true);
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
