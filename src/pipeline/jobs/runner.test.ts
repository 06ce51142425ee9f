import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeRepo } from '../../../test/helpers/repo.js';
import { countJobs, listJobs, openStore, registerRepository } from '../../store/index.js';
import { createJobHandlers } from './handlers.js';
import { createJobRunner, type JobEvent } from './runner.js';

describe('job runner', () => {
  it.each([1, 2])('runs at most %i job(s) at once, then every queued one', async (concurrency) => {
    const dir = await mkdtemp(path.join(tmpdir(), 'beast-jobs-'));
    const store = await openStore(path.join(dir, 'beast.db'));
    const runner = createJobRunner({
      store,
      handlers: createJobHandlers(store, dir, process.env),
      concurrency,
    });
    const { repo } = await registerRepository(
      store,
      await makeRepo({ 'a.ts': 'export const a = 1;\n' }),
    );
    const events: JobEvent['type'][] = [];
    for (let i = 0; i < 3; i++) {
      const job = await runner.enqueue({ kind: 'scan', repoId: repo.id, params: {} });
      runner.subscribe(job.id, (event) => events.push(event.type));
    }
    await runner.start();
    // start() returns once it has taken what the limit allows.
    expect(await countJobs(store)).toEqual({ running: concurrency, queued: 3 - concurrency });
    expect(runner.running()).toBe(concurrency);
    await runner.idle();
    const jobs = await listJobs(store, { limit: 10 });
    expect(jobs.map((j) => j.status)).toEqual(['succeeded', 'succeeded', 'succeeded']);
    expect(events.filter((e) => e === 'done')).toHaveLength(3);
    await runner.stop();
    await store.close();
  });
});
