import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { isGone, waitFor } from '../src/fixes/gate/testing.js';
import { makeImproveFixture } from './helpers/improve-fixture.js';
import { markedProcesses } from './helpers/processes.js';
import { BIN, git } from './helpers/repo.js';
import { client, startServe, stopServers } from './helpers/serve.js';

const cleanup: (() => Promise<void>)[] = [];
afterEach(stopServers);
afterAll(async () => {
  for (const run of cleanup) await run();
});

/**
 * The improve fixture plus a test file that marks its command line and then hangs: the
 * repository's own test suite never ends, as a user's sometimes does not. It runs sandboxed, so it
 * is found by its mark rather than by a pid it writes down (its PID namespace's, in a private /tmp).
 */
async function hangingRepo(): Promise<{ repo: string; marker: string }> {
  const repo = await makeImproveFixture(1);
  const marker = `beast-hang-${randomBytes(6).toString('hex')}`;
  await writeFile(
    path.join(repo, 'test/hang.test.js'),
    `process.title = ${JSON.stringify(marker)};\nsetInterval(() => {}, 1000);\n`,
  );
  git(repo, 'add', '-A');
  git(repo, 'commit', '-qm', 'a test that never ends');
  cleanup.push(async () => {
    await rm(repo, { recursive: true, force: true });
  });
  return { repo, marker };
}

/** The pid (here) of the hanging test, once it runs. */
async function hangingTestPid(marker: string): Promise<number> {
  const started = await waitFor(() => markedProcesses(marker).length > 0, 90_000);
  expect(started).toBe(true);
  return markedProcesses(marker)[0]!;
}

/** No worktree, branch or lock of beast is left in the repository or in beast's home. */
function expectNothingLeft(repo: string, home: string): void {
  expect(git(repo, 'worktree', 'list', '--porcelain').match(/^worktree /gm)).toHaveLength(1);
  expect(git(repo, 'branch', '--list', 'beast/*')).toBe('');
  const worktrees = path.join(home, 'worktrees');
  expect(existsSync(worktrees) ? readdirSync(worktrees) : []).toEqual([]);
}

function killLeftover(pid: number): void {
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // Gone, as it should be.
  }
}

describe('interrupting beast while a repository test suite runs', () => {
  it('ends the test processes when beast improve is stopped with Ctrl-C, and leaves the repository as it was', async () => {
    const { repo, marker } = await hangingRepo();
    const home = await mkdtemp(path.join(tmpdir(), 'beast-home-'));
    cleanup.push(() => rm(home, { recursive: true, force: true }));
    const head = git(repo, 'rev-parse', 'HEAD');
    const child = spawn(process.execPath, [BIN, 'improve', repo, '--quiet'], {
      env: { ...process.env, BEAST_HOME: home, NO_COLOR: '1' },
      stdio: 'ignore',
    });
    const ended = new Promise<NodeJS.Signals | null>((resolve) =>
      child.on('exit', (_, signal) => resolve(signal)),
    );
    const pid = await hangingTestPid(marker);
    expect(isGone(pid)).toBe(false);
    child.kill('SIGINT');
    // Dies of the signal, as a program without a handler does, after ending the test processes.
    expect(await ended).toBe('SIGINT');
    const gone = await waitFor(() => isGone(pid), 10_000);
    killLeftover(pid);
    expect(gone).toBe(true);
    expect(git(repo, 'rev-parse', 'HEAD')).toBe(head);
    expect(git(repo, 'status', '--porcelain')).toBe('');
    // The run never finished: its worktree and branch are gone with it, not left for the next run.
    expectNothingLeft(repo, home);
  }, 180_000);

  it('ends the test processes of a running improve job when beast serve is stopped', async () => {
    const { repo, marker } = await hangingRepo();
    const home = await mkdtemp(path.join(tmpdir(), 'beast-home-'));
    cleanup.push(() => rm(home, { recursive: true, force: true }));
    const token = 'interrupt-test-token';
    const server = await startServe(home, { BEAST_API_TOKEN: token });
    const call = client(server, token);
    expect((await call('POST', '/api/repos', { path: repo })).status).toBe(201);
    const queued = await call('POST', '/api/self-improvement/improve', { repo });
    expect(queued.status).toBe(202);
    const pid = await hangingTestPid(marker);
    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(0);
    const gone = await waitFor(() => isGone(pid), 10_000);
    killLeftover(pid);
    expect(gone).toBe(true);
    expect(git(repo, 'status', '--porcelain')).toBe('');
    expectNothingLeft(repo, home);
  }, 180_000);
});
