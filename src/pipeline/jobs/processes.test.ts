import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { makeFolder, makeRepo } from '../../../test/helpers/repo.js';
import {
  getJob,
  openStore,
  registerRepository,
  type JobRecord,
  type Store,
} from '../../store/index.js';
import { holdSecrets } from '../../core/index.js';
import { crashReason, createJobProcesses, workerRequest, type JobProcesses } from './processes.js';
import { createJobRunner, type JobEvent, type JobRunner } from './runner.js';

const open: { store: Store; runner: JobRunner; processes: JobProcesses }[] = [];
afterEach(async () => {
  for (const { store, runner, processes } of open.splice(0)) {
    await runner.stop();
    await processes.close();
    await store.close();
  }
});

async function setup() {
  const dir = await mkdtemp(path.join(tmpdir(), 'beast-job-process-'));
  const dbFile = path.join(dir, 'beast.db');
  const store = await openStore(dbFile);
  const processes = createJobProcesses({ store, dbFile, stateDir: dir, env: process.env });
  const runner = createJobRunner({ store, handlers: processes.handlers });
  open.push({ store, runner, processes });
  return { store, processes, runner };
}

describe('workerRequest', () => {
  it("gives the job's process the credentials held out of the environment", () => {
    const env: Record<string, string | undefined> = { PATH: '/bin', OPENAI_API_KEY: 'sk-held' };
    holdSecrets(env);
    expect(env.OPENAI_API_KEY).toBeUndefined();
    const job = { id: 1, kind: 'scan', repoId: null } as unknown as JobRecord;
    const request = workerRequest(job, { dbFile: 'db', stateDir: 'dir', env });
    expect(request.env).toEqual({ PATH: '/bin', OPENAI_API_KEY: 'sk-held' });
  });
});

describe('jobs in processes of their own', () => {
  it('runs a job in a child process that writes to the shared store, and relays its progress', async () => {
    const { store, processes, runner } = await setup();
    const { repo } = await registerRepository(
      store,
      await makeRepo({ 'a.ts': 'export const a = 1;\n', 'b.ts': 'var b = 2;\n' }),
    );
    const job = await runner.enqueue({ kind: 'scan', repoId: repo.id, params: {} });
    const events: JobEvent[] = [];
    const pids: number[] = [];
    runner.subscribe(job.id, (event) => {
      events.push(event);
      pids.push(...processes.pids());
    });
    await runner.start();
    await runner.idle();
    const done = await getJob(store, job.id);
    expect(done).toMatchObject({ status: 'succeeded', result: { files: 2 } });
    expect(events.filter((e) => e.type === 'progress').at(-1)).toEqual({
      type: 'progress',
      data: { type: 'files', done: 2, total: 2 },
    });
    // The scan was saved through the child's own connection.
    expect(done?.result).toMatchObject({ scanId: expect.any(Number) });
    expect(pids.length).toBeGreaterThan(0);
    expect(pids.every((pid) => pid !== process.pid)).toBe(true);
    expect(processes.pids()).toEqual([]);
  });

  it("reports the job's own error as a one-line failure", async () => {
    const { store, runner } = await setup();
    const { repo } = await registerRepository(
      store,
      await makeFolder({ 'a.ts': 'export const a = 1;\n' }),
    );
    const job = await runner.enqueue({ kind: 'improve', repoId: repo.id, params: {} });
    await runner.start();
    await runner.idle();
    const failed = await getJob(store, job.id);
    expect(failed?.status).toBe('failed');
    expect(failed?.error).toMatch(/^[^\n]*not inside a git repository[^\n]*$/);
  });

  it('refuses jobs once closed, without starting a process', async () => {
    const { processes } = await setup();
    await processes.close();
    const job = { id: 1, kind: 'scan', repoId: null } as Parameters<
      JobProcesses['handlers']['scan']
    >[0];
    await expect(processes.handlers.scan(job, () => undefined)).rejects.toThrow(/stopping/);
    expect(processes.pids()).toEqual([]);
  });
});

describe('crashReason', () => {
  const uncaught = [
    'file:///app/dist/analysis/parse.js:10',
    "        throw new Error('boom');",
    '        ^',
    '',
    'Error: boom',
    '    at parse (file:///app/dist/analysis/parse.js:10:15)',
    '',
    'Node.js v20.20.2',
    '',
  ].join('\n');
  it.each<[number | null, NodeJS.Signals | null, Error | undefined, string, string]>([
    [null, 'SIGSEGV', undefined, '', '(killed by SIGSEGV)'],
    [1, null, undefined, uncaught, '(exit code 1): Error: boom'],
    [
      134,
      null,
      undefined,
      'FATAL ERROR: Reached heap limit\n',
      '(exit code 134): FATAL ERROR: Reached heap limit',
    ],
    [null, null, new Error('spawn EAGAIN'), '', 'could not run: spawn EAGAIN'],
  ])('exit %s, signal %s: one line ending %s', (...row) => {
    const [code, signal, spawnError, stderr, ending] = row;
    const reason = crashReason(code, signal, spawnError, stderr);
    expect(reason.endsWith(ending)).toBe(true);
    expect(reason).not.toMatch(/\n/);
  });
});
