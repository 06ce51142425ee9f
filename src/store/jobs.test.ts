import { describe, expect, it } from 'vitest';
import { openStore } from './db.js';
import {
  claimNextJob,
  countJobs,
  createJob,
  finishJob,
  getJob,
  interruptJobs,
  listJobs,
  setJobProgress,
} from './jobs.js';
import { registerRepository } from './repositories.js';

describe('job queue', () => {
  it("scrubs keys from a job's progress, result and error", async () => {
    const store = await openStore(':memory:');
    const key = 'sk-proj-' + 'a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6';
    const a = await createJob(store, { kind: 'scan', repoId: null, params: {} });
    const b = await createJob(store, { kind: 'scan', repoId: null, params: {} });
    await claimNextJob(store, 'one');
    await claimNextJob(store, 'one');
    await setJobProgress(store, a.id, { said: `progress ${key}` });
    const done = await finishJob(store, a.id, 'one', {
      status: 'succeeded',
      result: { title: `uses ${key}` },
    });
    const failed = await finishJob(store, b.id, 'one', { status: 'failed', error: `bad ${key}` });
    const stored = JSON.stringify([done, failed]);
    expect(stored).not.toContain(key);
    expect(done?.result).toEqual({ title: 'uses [REDACTED:openai-key]' });
    expect(stored).toContain('progress [REDACTED:');
    expect(failed?.error).toMatch(/^bad \[REDACTED:/);
    await store.close();
  });

  it('hands out queued jobs oldest first, each to one owner', async () => {
    const store = await openStore(':memory:');
    const { repo } = await registerRepository(store, '/tmp/repo');
    const a = await createJob(store, { kind: 'scan', repoId: repo.id, params: { n: 1 } });
    const b = await createJob(store, { kind: 'improve', repoId: repo.id, params: { n: 2 } });
    expect(a).toMatchObject({ status: 'queued', attempts: 0, params: { n: 1 }, result: null });

    const first = await claimNextJob(store, 'one');
    const second = await claimNextJob(store, 'two');
    expect([first?.id, second?.id]).toEqual([a.id, b.id]);
    expect(first).toMatchObject({ status: 'running', attempts: 1 });
    expect(await claimNextJob(store, 'three')).toBeUndefined();
    expect(await countJobs(store)).toEqual({ running: 2 });

    await setJobProgress(store, a.id, { done: 1, total: 2 });
    // Only the owner can finish a job.
    expect(await finishJob(store, a.id, 'two', { status: 'succeeded', result: 1 })).toBeUndefined();
    const done = await finishJob(store, a.id, 'one', { status: 'succeeded', result: { ok: true } });
    expect(done).toMatchObject({
      status: 'succeeded',
      result: { ok: true },
      progress: { done: 1, total: 2 },
    });
    expect(done?.finishedAt).not.toBeNull();
    expect((await listJobs(store, { repoId: repo.id, limit: 10 })).map((j) => j.id)).toEqual([
      b.id,
      a.id,
    ]);
    await store.close();
  });

  it('marks the running jobs of other owners interrupted, and a late finish does not undo it', async () => {
    const store = await openStore(':memory:');
    const cut = await createJob(store, { kind: 'scan', repoId: null, params: {} });
    await claimNextJob(store, 'dead');
    const mine = await createJob(store, { kind: 'scan', repoId: null, params: {} });
    await claimNextJob(store, 'alive');
    const waiting = await createJob(store, { kind: 'scan', repoId: null, params: {} });

    expect(await interruptJobs(store, { except: 'alive' }, 'stopped')).toEqual([cut.id]);
    expect(await getJob(store, cut.id)).toMatchObject({ status: 'interrupted', error: 'stopped' });
    expect((await getJob(store, waiting.id))?.status).toBe('queued');
    expect(
      await finishJob(store, cut.id, 'dead', { status: 'failed', error: 'late' }),
    ).toBeUndefined();
    expect((await getJob(store, cut.id))?.status).toBe('interrupted');

    expect(await interruptJobs(store, { owner: 'alive' }, 'shutdown')).toEqual([mine.id]);
    await store.close();
  });
});
