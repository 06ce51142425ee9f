import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { isGone, waitFor } from '../../src/fixes/gate/testing.js';
import { makeImproveFixture } from '../helpers/improve-fixture.js';
import { childProcesses, markedProcesses } from '../helpers/processes.js';
import { git } from '../helpers/repo.js';
import { client, startServe, stopServers, type Server } from '../helpers/serve.js';

// Jobs run in processes of their own, off the server's event loop: what happens when one of those
// processes, or the server above them, dies abruptly.

const TOKEN = 'server-load-test-token';
const cleanup: (() => Promise<void> | void)[] = [];
afterEach(stopServers);
afterAll(async () => {
  for (const run of cleanup.splice(0)) await run();
});

/**
 * The improve fixture plus a test that never ends, so a job stays mid-run. It marks itself by its
 * title: the tests run sandboxed, with a /tmp and pids of their own, so it cannot write its pid
 * where we would read it.
 */
async function hangingRepo(): Promise<{ repo: string; marker: string }> {
  const repo = await makeImproveFixture(1);
  const marker = `beast-server-load-${randomBytes(6).toString('hex')}`;
  await writeFile(
    path.join(repo, 'test/hang.test.js'),
    `process.title = ${JSON.stringify(marker)};\nsetInterval(() => {}, 1000);\n`,
  );
  git(repo, 'add', '-A');
  git(repo, 'commit', '-qm', 'a test that never ends');
  cleanup.push(() => rm(repo, { recursive: true, force: true }));
  return { repo, marker };
}

async function home(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'beast-home-'));
  cleanup.push(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

/** The pid of the hanging test, once it runs (as we see it); killed at the end whatever happened. */
async function hangingTestPid(marker: string): Promise<number> {
  const started = await waitFor(() => markedProcesses(marker).length > 0, 90_000);
  expect(started).toBe(true);
  const pid = markedProcesses(marker)[0]!;
  cleanup.push(() => kill(pid));
  return pid;
}

function kill(pid: number): void {
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // Already gone.
  }
}

/** The one process running a job of `server`. */
function jobProcess(server: Server): number {
  const pids = childProcesses(server.child.pid!, 'job-worker');
  expect(pids).toHaveLength(1);
  return pids[0]!;
}

/** Reads a job's event stream to its `done` event; returns the final job. */
async function finalJob(
  call: ReturnType<typeof client>,
  id: number,
): Promise<{ status: string; error: string | null }> {
  const text = await (await call('GET', `/api/jobs/${id}/events`)).text();
  const done = text
    .split('\n\n')
    .filter((block) => block.startsWith('event: done'))
    .map((block) => /^data: (.*)$/m.exec(block)?.[1] ?? 'null')[0];
  expect(done).toBeDefined();
  return JSON.parse(done!) as { status: string; error: string | null };
}

/** No worktree, branch or lock of beast is left in the repository or in beast's home. */
function expectNothingLeft(repo: string, beastHome: string): void {
  expect(git(repo, 'worktree', 'list', '--porcelain').match(/^worktree /gm)).toHaveLength(1);
  expect(git(repo, 'branch', '--list', 'beast/*')).toBe('');
  const worktrees = path.join(beastHome, 'worktrees');
  expect(existsSync(worktrees) ? readdirSync(worktrees) : []).toEqual([]);
}

describe.runIf(process.platform === 'linux')('a job process dying under beast serve', () => {
  it('fails the job with a one-line reason when its process is killed mid-run, removes its worktree, and keeps serving', async () => {
    const { repo, marker } = await hangingRepo();
    const beastHome = await home();
    const server = await startServe(beastHome, { BEAST_API_TOKEN: TOKEN });
    const call = client(server, TOKEN);
    expect((await call('POST', '/api/repos', { path: repo })).status).toBe(201);
    const queued = await call('POST', '/api/self-improvement/improve', { repo });
    expect(queued.status).toBe(202);
    const { job } = (await queued.json()) as { job: { id: number } };
    await hangingTestPid(marker);
    const worker = jobProcess(server);
    expect(worker).not.toBe(server.child.pid);

    // As a native crash in a parser or the out-of-memory killer would.
    process.kill(worker, 'SIGKILL');
    const failed = await finalJob(call, job.id);
    expect(failed.status).toBe('failed');
    expect(failed.error).toBe("the job's process ended without a result (killed by SIGKILL)");
    expectNothingLeft(repo, beastHome);
    // Its test run was tied to its life (the sandbox dies with its parent).
    expect(await waitFor(() => markedProcesses(marker).length === 0, 30_000)).toBe(true);

    const status = await call('GET', '/api/self-improvement/status');
    expect(status.status).toBe(200);
    expect(((await status.json()) as { jobs: unknown }).jobs).toEqual({ queued: 0, running: 0 });
    const scan = await call('POST', '/api/self-improvement/scan', { repo });
    expect(scan.status).toBe(202);
    const scanned = await finalJob(call, ((await scan.json()) as { job: { id: number } }).job.id);
    expect(scanned).toMatchObject({ status: 'succeeded', error: null });

    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(0);
    expect(server.stderr).toEqual([]);
  }, 180_000);

  it('ends the test processes and removes the worktree of a job whose server was killed', async () => {
    const { repo, marker } = await hangingRepo();
    const beastHome = await home();
    const server = await startServe(beastHome, { BEAST_API_TOKEN: TOKEN });
    const call = client(server, TOKEN);
    expect((await call('POST', '/api/repos', { path: repo })).status).toBe(201);
    expect((await call('POST', '/api/self-improvement/improve', { repo })).status).toBe(202);
    const testPid = await hangingTestPid(marker);
    const worker = jobProcess(server);

    // Nothing in the server gets to run: the job's process hears its channel close.
    server.child.kill('SIGKILL');
    await server.exited;
    expect(await waitFor(() => isGone(worker), 30_000)).toBe(true);
    expect(await waitFor(() => isGone(testPid), 10_000)).toBe(true);
    expectNothingLeft(repo, beastHome);
  }, 180_000);
});
