import { execFileSync, spawn } from 'node:child_process';
import { existsSync, realpathSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { git as testGit, makeRepo } from '../../test/helpers/repo.js';
import {
  branchDiff,
  cleanupStaleWorkspaces,
  closeWorkspace,
  commitFiles,
  createWorkspace,
  defaultBranchName,
} from './worktree.js';

async function userState(repo: string): Promise<string> {
  return [
    testGit(repo, 'status', '--porcelain=v2', '--branch'),
    testGit(repo, 'stash', 'list'),
    testGit(repo, 'diff'),
    testGit(repo, 'diff', '--cached'),
    await readFile(path.join(repo, 'a.ts'), 'utf8'),
  ].join('\n---\n');
}

async function dirtyRepo(): Promise<string> {
  const repo = await makeRepo({ 'a.ts': 'let a = 1;\n', 'b.ts': 'export const b = 2;\n' });
  await writeFile(path.join(repo, 'b.ts'), 'export const b = 3;\n');
  testGit(repo, 'stash');
  await writeFile(path.join(repo, 'a.ts'), 'let a = 10;\n');
  testGit(repo, 'add', 'a.ts');
  await writeFile(path.join(repo, 'a.ts'), 'let a = 100; // unstaged\n');
  return repo;
}

describe('workspaces', () => {
  it('names branches by date and id', () => {
    expect(defaultBranchName(new Date('2026-11-24T10:00:00Z'), 'abc123')).toBe(
      'beast/improve-20261124-abc123',
    );
  });

  it('works on a branch in its own worktree and never touches the user state', async () => {
    const repo = await dirtyRepo();
    const stateDir = await mkdtemp(path.join(tmpdir(), 'beast-state-'));
    const before = await userState(repo);
    const workspace = await createWorkspace(repo, { stateDir });
    expect(workspace.dir.startsWith(stateDir)).toBe(true);
    expect(await readFile(path.join(workspace.dir, 'a.ts'), 'utf8')).toBe('let a = 1;\n');
    await writeFile(path.join(workspace.dir, 'a.ts'), 'const a = 1;\n');
    const sha = await commitFiles(workspace, ['a.ts'], 'Use const for a');
    expect(testGit(repo, 'log', '-1', '--format=%an %s', sha).trim()).toBe(
      'BEAST MODE Use const for a',
    );
    expect(await branchDiff(workspace)).toContain('+const a = 1;');
    const { branchKept } = await closeWorkspace(workspace, { keepBranch: true });
    expect(branchKept).toBe(true);
    expect(existsSync(workspace.dir)).toBe(false);
    expect(await userState(repo)).toBe(before);
    expect(testGit(repo, 'branch', '--list', workspace.branch).trim()).not.toBe('');
  });

  it('says why a commit failed when git says it on stdout', async () => {
    const repo = await makeRepo({ 'a.ts': 'let a = 1;\n' });
    const stateDir = await mkdtemp(path.join(tmpdir(), 'beast-state-'));
    const workspace = await createWorkspace(repo, { stateDir });
    try {
      await expect(commitFiles(workspace, ['a.ts'], 'nothing changed')).rejects.toThrow(
        /^git commit failed: .*nothing (added )?to commit/,
      );
    } finally {
      await closeWorkspace(workspace, { keepBranch: false });
    }
  });

  it('deletes a branch without commits', async () => {
    const repo = await makeRepo({ 'a.ts': 'let a = 1;\n' });
    const stateDir = await mkdtemp(path.join(tmpdir(), 'beast-state-'));
    const workspace = await createWorkspace(repo, { stateDir, branch: 'beast/try' });
    await closeWorkspace(workspace, { keepBranch: true });
    expect(testGit(repo, 'branch', '--list', 'beast/try').trim()).toBe('');
  });

  it('refuses an existing or invalid branch name', async () => {
    const repo = await makeRepo({ 'a.ts': 'let a = 1;\n' });
    const stateDir = await mkdtemp(path.join(tmpdir(), 'beast-state-'));
    await expect(createWorkspace(repo, { stateDir, branch: 'main' })).rejects.toThrow(
      /already exists/,
    );
    await expect(createWorkspace(repo, { stateDir, branch: 'bad..name' })).rejects.toThrow(
      /not a valid branch name/,
    );
  });

  it('cleans up after a process that died mid-run', async () => {
    const repo = await makeRepo({ 'a.ts': 'let a = 1;\n' });
    const stateDir = await mkdtemp(path.join(tmpdir(), 'beast-state-'));
    // A real process creates the workspace, commits, and is killed before closing it.
    const script = `
      import { createWorkspace, commitFiles } from ${JSON.stringify(path.resolve('src/fixes/worktree.ts'))};
      import { writeFileSync } from 'node:fs';
      const ws = await createWorkspace(${JSON.stringify(repo)}, { stateDir: ${JSON.stringify(stateDir)} });
      writeFileSync(ws.dir + '/a.ts', 'const a = 1;\\n');
      await commitFiles(ws, ['a.ts'], 'half done');
      console.log(JSON.stringify(ws));
      setInterval(() => {}, 1000);
    `;
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', '--input-type=module', '-e', script],
      {
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    const line = await new Promise<string>((resolve) =>
      child.stdout.once('data', (chunk: Buffer) => resolve(chunk.toString())),
    );
    const workspace = JSON.parse(line) as { dir: string; branch: string };
    expect(await cleanupStaleWorkspaces(repo, stateDir)).toEqual([]);
    child.kill('SIGKILL');
    await new Promise((resolve) => child.once('exit', resolve));
    expect(existsSync(workspace.dir)).toBe(true);
    expect(await cleanupStaleWorkspaces(repo, stateDir)).toEqual([workspace.branch]);
    expect(existsSync(workspace.dir)).toBe(false);
    expect(testGit(repo, 'worktree', 'list').trim().split('\n')).toHaveLength(1);
    expect(testGit(repo, 'branch', '--list', workspace.branch).trim()).toBe('');
    expect(testGit(repo, 'status', '--porcelain').trim()).toBe('');
  });
});

describe('the installed packages in a worktree', () => {
  it("points a workspace package's link at the worktree's copy, and the rest at the user's", async () => {
    const repo = await makeRepo({
      '.gitignore': 'node_modules\ndist\n',
      'package.json': JSON.stringify({ private: true, workspaces: ['packages/*'] }),
      'packages/a/package.json': JSON.stringify({ name: '@x/a', main: 'index.js' }),
      'packages/a/index.js': 'module.exports = 1;\n',
      'packages/c/package.json': JSON.stringify({ name: '@x/c', main: 'dist/index.js' }),
      'packages/c/src/c.js': 'module.exports = 4;\n',
      'packages/b/package.json': JSON.stringify({ name: 'b' }),
    });
    // As npm and yarn install a workspace: links into the repository, and a real package.
    await mkdir(path.join(repo, 'node_modules/@x'), { recursive: true });
    await symlink('../../packages/a', path.join(repo, 'node_modules/@x/a'));
    await mkdir(path.join(repo, 'node_modules/dep'), { recursive: true });
    await writeFile(path.join(repo, 'node_modules/dep/index.js'), 'module.exports = 2;\n');
    // c is used through its build, which git does not track.
    await symlink('../../packages/c', path.join(repo, 'node_modules/@x/c'));
    await mkdir(path.join(repo, 'packages/c/dist'), { recursive: true });
    // A dev build (preconstruct's stubs): its entry point leads to the package's sources.
    await writeFile(
      path.join(repo, 'packages/c/dist/index.js'),
      "module.exports = require('../src/c.js');\n",
    );
    // The user's new, unignored work stays out of the worktree.
    await writeFile(path.join(repo, 'packages/c/draft.js'), '');
    await mkdir(path.join(repo, 'packages/b/node_modules'), { recursive: true });
    await writeFile(path.join(repo, 'packages/b/node_modules/own.js'), '');
    const stateDir = await mkdtemp(path.join(tmpdir(), 'beast-wt-state-'));
    const ws = await createWorkspace(repo, { stateDir });
    try {
      const linked = realpathSync(path.join(ws.dir, 'node_modules/@x/a'));
      expect(linked).toBe(realpathSync(path.join(ws.dir, 'packages/a')));
      expect(realpathSync(path.join(ws.dir, 'node_modules/dep'))).toBe(
        realpathSync(path.join(repo, 'node_modules/dep')),
      );
      expect(realpathSync(path.join(ws.dir, 'packages/b/node_modules'))).toBe(
        realpathSync(path.join(repo, 'packages/b/node_modules')),
      );
      // A change in the worktree's package is what its dependants load.
      await writeFile(path.join(ws.dir, 'packages/a/index.js'), 'module.exports = 3;\n');
      expect(
        execFileSync(process.execPath, ['-p', "require('@x/a')"], {
          cwd: path.join(ws.dir, 'packages/b'),
          encoding: 'utf8',
        }).trim(),
      ).toBe('3');
      // A package used through its ignored build still loads, and its stub leads to the
      // worktree's sources, where the change is.
      await writeFile(path.join(ws.dir, 'packages/c/src/c.js'), 'module.exports = 5;\n');
      expect(
        execFileSync(process.execPath, ['-p', "require('@x/c')"], {
          cwd: path.join(ws.dir, 'packages/b'),
          encoding: 'utf8',
        }).trim(),
      ).toBe('5');
      expect(existsSync(path.join(ws.dir, 'packages/c/draft.js'))).toBe(false);
    } finally {
      await closeWorkspace(ws, { keepBranch: false });
    }
    expect(await readFile(path.join(repo, 'packages/a/index.js'), 'utf8')).toBe(
      'module.exports = 1;\n',
    );
  });
});
