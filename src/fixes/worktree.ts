import { execFile, execFileSync } from 'node:child_process';
import {
  type Dirent,
  existsSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  realpathSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { randomBytes, createHash } from 'node:crypto';
import { cp, mkdir, readFile, readdir, rm, symlink, writeFile, lstat } from 'node:fs/promises';
import path from 'node:path';
import { EXIT_STAGE, InputError, onExit } from '../core/index.js';
import { readPackageJson } from './gate/package-json.js';
import { readWorkspace } from './gate/workspaces.js';

/** Who BEAST MODE's own commits are by. */
export const BEAST_IDENTITY = { name: 'BEAST MODE', email: 'beast-mode@localhost' } as const;

/** A git worktree on a new branch, where every change is made and validated. */
export interface Workspace {
  /** Top level of the user's repository. */
  repoRoot: string;
  /** Absolute path of the worktree. */
  dir: string;
  branch: string;
  /** Commit the branch starts from (the user's HEAD). */
  base: string;
  /** Lock file marking the worktree as in use by this process. */
  lockFile: string;
}

interface LockData {
  pid: number;
  repoRoot: string;
  dir: string;
  branch: string;
  base: string;
  startedAt: string;
}

export interface GitRun {
  stdout: string;
  stderr: string;
  code: number;
}

/** Git's arguments with hooks switched off: no hook of the user's may run on our worktree. */
const withoutHooks = (cwd: string, args: readonly string[]) => [
  '-c',
  `core.hooksPath=${path.join(cwd, '.beast-no-hooks')}`,
  ...args,
];

/** Without optional locks, so the user's index is never refreshed; never prompting. */
const gitEnv = (env: Readonly<Record<string, string>> = {}) => ({
  ...process.env,
  GIT_OPTIONAL_LOCKS: '0',
  GIT_TERMINAL_PROMPT: '0',
  ...env,
});

/**
 * Runs git without a shell, with hooks switched off (a user's pre-commit or post-checkout hook must
 * not run on our worktree) and without optional locks, so the user's index is never refreshed.
 */
export function git(
  cwd: string,
  args: readonly string[],
  env: Readonly<Record<string, string>> = {},
): Promise<GitRun> {
  return new Promise((resolve, reject) => {
    execFile(
      'git',
      withoutHooks(cwd, args),
      { cwd, maxBuffer: 256 * 1024 * 1024, encoding: 'utf8', env: gitEnv(env) },
      (error, stdout, stderr) => {
        if (error && typeof error.code !== 'number') {
          reject(new InputError(`cannot run git: ${error.message}`, { cause: error }));
          return;
        }
        resolve({ stdout, stderr, code: typeof error?.code === 'number' ? error.code : 0 });
      },
    );
  });
}

async function gitOrThrow(cwd: string, args: readonly string[], what: string): Promise<string> {
  const result = await git(cwd, args);
  if (result.code !== 0) {
    throw new InputError(`${what}: ${result.stderr.trim().split('\n')[0] ?? 'git failed'}`);
  }
  return result.stdout.trim();
}

/**
 * `beast/improve-20261124-a1b2c3`: the prefix names the kind of run, the date keeps branches in
 * order, the id keeps them apart.
 */
export function defaultBranchName(now: Date, id: string, prefix = 'improve'): string {
  const date = now.toISOString().slice(0, 10).replaceAll('-', '');
  return `beast/${prefix}-${date}-${id}`;
}

/** True when `/proc` shows the process ended, its exit status not yet collected by a parent. */
function isZombie(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return /^[ZX]/.test(stat.slice(stat.lastIndexOf(')') + 2));
  } catch {
    return false;
  }
}

/**
 * Whether a process runs. A killed run whose parent died with it stays a zombie until init collects
 * it, and `kill(pid, 0)` still succeeds on a zombie: dead all the same.
 */
function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
  return !isZombie(pid);
}

function workspacesDir(stateDir: string): string {
  return path.join(stateDir, 'worktrees');
}

async function readLocks(stateDir: string): Promise<{ file: string; data: LockData }[]> {
  const dir = workspacesDir(stateDir);
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return [];
  }
  const locks: { file: string; data: LockData }[] = [];
  for (const name of names.filter((n) => n.endsWith('.lock.json'))) {
    const file = path.join(dir, name);
    try {
      locks.push({ file, data: JSON.parse(await readFile(file, 'utf8')) as LockData });
    } catch {
      // A lock cut short by a kill while being written: its worktree (if any) is pruned below.
      await rm(file, { force: true });
    }
  }
  return locks;
}

/**
 * Removes worktrees left by runs that died (their process is gone): the worktree, its branch when
 * the run never finished, and its lock. Returns the branches removed.
 */
export async function cleanupStaleWorkspaces(
  repoRoot: string,
  stateDir: string,
): Promise<string[]> {
  const removed: string[] = [];
  endLeftoverProcesses(stateDir);
  for (const { file, data } of await readLocks(stateDir)) {
    if (path.resolve(data.repoRoot) !== path.resolve(repoRoot) || isAlive(data.pid)) continue;
    abandonWorkspaceSync(data, file);
    removed.push(data.branch);
  }
  await git(repoRoot, ['worktree', 'prune']);
  return removed;
}

/** Unregisters the exit cleanup of each open workspace, by lock file. */
const exitCleanups = new Map<string, () => void>();

/**
 * Removes a run's worktree, its branch (the run never finished) and its lock, synchronously: both
 * for a run that died (`cleanupStaleWorkspaces`) and by an ending run itself (`onExit`), so an
 * interrupted `beast improve` leaves no worktree or branch.
 */
function abandonWorkspaceSync(data: LockData, lockFile: string): void {
  /** `git` as above, synchronously: whether it succeeded. */
  const run = (args: readonly string[]): boolean => {
    try {
      execFileSync('git', withoutHooks(data.repoRoot, args), {
        cwd: data.repoRoot,
        stdio: 'ignore',
        env: gitEnv(),
      });
      return true;
    } catch {
      return false;
    }
  };
  run(['worktree', 'remove', '--force', data.dir]);
  rmSync(data.dir, { recursive: true, force: true });
  run(['worktree', 'prune']);
  if (run(['rev-parse', '--verify', '--quiet', `refs/heads/${data.branch}`]))
    run(['branch', '-D', data.branch]);
  rmSync(groupsDirOf(lockFile), { recursive: true, force: true });
  rmSync(lockFile, { force: true });
}

export interface WorkspaceOptions {
  /** Where worktrees and their locks live (beside the store). */
  stateDir: string;
  branch?: string;
  /** The default branch's prefix, `beast/<prefix>-<date>-<id>` (default `improve`). */
  branchPrefix?: string;
  now?: Date;
}

async function checkBranchName(repoRoot: string, branch: string): Promise<void> {
  const valid = await git(repoRoot, ['check-ref-format', '--branch', branch]);
  if (valid.code !== 0) throw new InputError(`--branch: "${branch}" is not a valid branch name`);
  const exists = await git(repoRoot, ['rev-parse', '--verify', '--quiet', `refs/heads/${branch}`]);
  if (exists.code === 0) throw new InputError(`--branch: branch "${branch}" already exists`);
}

/**
 * Creates a worktree on a new branch from HEAD, outside the user's working tree. The user's working
 * tree, index, stash and current branch are never touched; the lock is written before the worktree
 * so that a run killed at any point leaves enough behind for `cleanupStaleWorkspaces`.
 */
export async function createWorkspace(
  repoRoot: string,
  options: WorkspaceOptions,
): Promise<Workspace> {
  const base = await git(repoRoot, ['rev-parse', '--verify', '--quiet', 'HEAD^{commit}']);
  if (base.code !== 0)
    throw new InputError(`${repoRoot} has no commits yet; commit something first`);
  const id = randomBytes(3).toString('hex');
  const branch =
    options.branch ?? defaultBranchName(options.now ?? new Date(), id, options.branchPrefix);
  await checkBranchName(repoRoot, branch);
  const repoKey = createHash('sha256').update(path.resolve(repoRoot)).digest('hex').slice(0, 8);
  const dir = path.join(workspacesDir(options.stateDir), `${repoKey}-${id}`);
  const lockFile = `${dir}.lock.json`;
  const data: LockData = {
    pid: process.pid,
    repoRoot,
    dir,
    branch,
    base: base.stdout.trim(),
    startedAt: new Date().toISOString(),
  };
  await mkdir(workspacesDir(options.stateDir), { recursive: true });
  // A fresh name: 'wx' creates it and never writes through something already there.
  await writeFile(lockFile, JSON.stringify(data), { flag: 'wx' });
  exitCleanups.set(
    lockFile,
    onExit(() => abandonWorkspaceSync(data, lockFile), EXIT_STAGE.workspaces),
  );
  await gitOrThrow(
    repoRoot,
    ['worktree', 'add', '--quiet', '-b', branch, dir, data.base],
    'cannot create a worktree',
  );
  await linkDependencies(repoRoot, dir);
  return { repoRoot, dir, branch, base: data.base, lockFile };
}

/**
 * Tests and the type-check need the repository's installed packages; the worktree shares them
 * rather than installing its own. A node_modules without links into the repository is linked as a
 * whole. One with workspace links (`node_modules/@scope/pkg -> ../../packages/pkg`) is mirrored
 * entry by entry, those links pointing at the worktree's packages: otherwise a change to one
 * package would be tested and type-checked against the user's unchanged copy of it. Each
 * workspace package's own node_modules is shared the same way.
 */
async function linkDependencies(repoRoot: string, dir: string): Promise<void> {
  const read = await readPackageJson(repoRoot);
  const packages = 'pkg' in read ? await readWorkspace(repoRoot, read.pkg) : [{ dir: '' }];
  for (const { dir: rel } of packages) {
    const source = path.join(repoRoot, rel, 'node_modules');
    const target = path.join(dir, rel, 'node_modules');
    if (!(await exists(source)) || (await exists(target))) continue;
    if (!existsSync(path.join(dir, rel))) continue;
    if (workspaceLinks(source, repoRoot) === 0) {
      await symlink(source, target, 'dir');
    } else {
      await mirrorLinks(source, target, { repoRoot, dir }, 0);
    }
  }
  const members = packages.map((p) => p.dir).filter((rel) => rel !== '');
  if (members.length > 0) await shareBuilds(repoRoot, dir, members);
}

/**
 * A workspace package's ignored top-level entries (its built `dist/`, say) are brought from the
 * user's checkout, copied when small and linked otherwise: its dependants load its entry points
 * from there, and a worktree has only tracked files. Untracked files that are not ignored (the
 * user's new work) are not.
 */
async function shareBuilds(repoRoot: string, dir: string, members: string[]): Promise<void> {
  const listed = await git(repoRoot, [
    'ls-files',
    '--others',
    '--ignored',
    '--exclude-standard',
    '--directory',
    '--',
    ...members,
  ]);
  if (listed.code !== 0) return;
  for (const line of listed.stdout.split('\n')) {
    const entry = line.replace(/\/$/, '');
    const rel = members.find((m) => path.posix.dirname(entry) === m);
    const name = path.posix.basename(entry);
    if (rel === undefined || name === 'node_modules') continue;
    const target = path.join(dir, rel, name);
    if (!existsSync(path.join(dir, rel)) || (await exists(target))) continue;
    const source = path.join(repoRoot, rel, name);
    // Copied when small: a build's relative paths (preconstruct's dev stubs, source maps) then lead
    // to the worktree's sources; a link would lead back to the user's. Large builds are linked.
    if (await smallerThan(source, COPY_LIMIT_BYTES)) {
      await cp(source, target, { recursive: true, verbatimSymlinks: true });
    } else {
      await symlink(source, target);
    }
  }
}

/** Builds up to this size are copied into a worktree; larger ones are linked. */
const COPY_LIMIT_BYTES = 8 * 2 ** 20;

/** Whether a file or folder (not following links) holds fewer than `limit` bytes. */
async function smallerThan(entry: string, limit: number): Promise<boolean> {
  let total = 0;
  const pending = [entry];
  while (pending.length > 0) {
    const current = pending.pop()!;
    const info = await lstat(current).catch(() => undefined);
    if (info === undefined) continue;
    total += info.size;
    if (total >= limit) return false;
    if (info.isDirectory()) {
      for (const name of await readdir(current)) pending.push(path.join(current, name));
    }
  }
  return true;
}

async function exists(file: string): Promise<boolean> {
  return lstat(file).then(
    () => true,
    () => false,
  );
}

/** Where a node_modules entry leads when that is a package of the repository itself, else undefined. */
function workspaceTarget(entry: string, repoRoot: string): string | undefined {
  let real: string;
  try {
    real = realpathSync(entry);
  } catch {
    return undefined;
  }
  const relative = path.relative(repoRoot, real);
  if (relative === '' || relative.startsWith('..') || path.isAbsolute(relative)) return undefined;
  return relative.split(path.sep).includes('node_modules') ? undefined : relative;
}

/**
 * The entries of a node_modules that are symbolic links, top-level and inside `@scope` folders,
 * as paths: how package managers link workspace packages, `npm link`s and their stores. A folder
 * that cannot be read has none.
 */
export function packageSymlinks(nodeModules: string): string[] {
  const links: string[] = [];
  const visit = (folder: string, depth: number): void => {
    let entries: Dirent[];
    try {
      entries = readdirSync(folder, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      const full = path.join(folder, entry.name);
      if (depth === 0 && entry.isDirectory() && entry.name.startsWith('@')) visit(full, 1);
      else if (entry.isSymbolicLink()) links.push(full);
    }
  };
  visit(nodeModules, 0);
  return links;
}

/** How many top-level and scoped entries of a node_modules link to the repository's packages. */
function workspaceLinks(nodeModules: string, repoRoot: string): number {
  return packageSymlinks(nodeModules).filter((l) => workspaceTarget(l, repoRoot) !== undefined)
    .length;
}

async function mirrorLinks(
  source: string,
  target: string,
  roots: { repoRoot: string; dir: string },
  depth: number,
): Promise<void> {
  await mkdir(target, { recursive: true });
  for (const entry of await readdir(source, { withFileTypes: true })) {
    const from = path.join(source, entry.name);
    const to = path.join(target, entry.name);
    if (depth === 0 && entry.isDirectory() && entry.name.startsWith('@')) {
      await mirrorLinks(from, to, roots, 1);
      continue;
    }
    const ours = entry.isSymbolicLink() ? workspaceTarget(from, roots.repoRoot) : undefined;
    await symlink(ours === undefined ? from : path.join(roots.dir, ours), to);
  }
}

/**
 * Removes the worktree (never the user's files). The branch stays when it holds commits and
 * `keepBranch` is set; otherwise it is deleted too.
 */
export async function closeWorkspace(
  workspace: Workspace,
  options: { keepBranch: boolean },
): Promise<{ branchKept: boolean }> {
  const { repoRoot, dir, branch, base } = workspace;
  exitCleanups.get(workspace.lockFile)?.();
  exitCleanups.delete(workspace.lockFile);
  await git(repoRoot, ['worktree', 'remove', '--force', dir]);
  await rm(dir, { recursive: true, force: true });
  await git(repoRoot, ['worktree', 'prune']);
  const tip = await git(repoRoot, ['rev-parse', '--verify', '--quiet', `refs/heads/${branch}`]);
  const hasCommits = tip.code === 0 && tip.stdout.trim() !== base;
  const branchKept = options.keepBranch && hasCommits;
  if (!branchKept && tip.code === 0) await git(repoRoot, ['branch', '-D', branch]);
  await rm(groupsDirOf(workspace.lockFile), { recursive: true, force: true });
  await rm(workspace.lockFile, { force: true });
  return { branchKept };
}

/** One line of why git failed: its error, or the verdict it ends stdout with ("nothing to commit"). */
function whyFailed(run: GitRun): string {
  const error = run.stderr.trim().split('\n')[0];
  if (error) return error;
  const lines = run.stdout.trim().split('\n');
  return lines[lines.length - 1] || `exit code ${run.code}`;
}

/**
 * Commits the given files in the worktree as `author` (author and committer; BEAST MODE by
 * default); returns the new commit's id.
 */
export async function commitFiles(
  workspace: Workspace,
  files: readonly string[],
  message: string,
  author: { name: string; email: string } = BEAST_IDENTITY,
): Promise<string> {
  const env = {
    GIT_AUTHOR_NAME: author.name,
    GIT_AUTHOR_EMAIL: author.email,
    GIT_COMMITTER_NAME: author.name,
    GIT_COMMITTER_EMAIL: author.email,
  };
  const add = await git(workspace.dir, ['add', '--', ...files], env);
  if (add.code !== 0) throw new InputError(`git add failed: ${whyFailed(add)}`);
  const commit = await git(
    workspace.dir,
    ['commit', '--quiet', '--no-verify', '--no-gpg-sign', '-m', message, '--', ...files],
    env,
  );
  if (commit.code !== 0) throw new InputError(`git commit failed: ${whyFailed(commit)}`);
  return gitOrThrow(workspace.dir, ['rev-parse', 'HEAD'], 'cannot read the new commit');
}

/** The unified diff of the branch against its base. */
export async function branchDiff(workspace: Workspace): Promise<string> {
  const result = await git(workspace.dir, [
    'diff',
    '--no-color',
    '--no-ext-diff',
    `${workspace.base}..HEAD`,
  ]);
  if (result.code !== 0) throw new InputError(`git diff failed: ${result.stderr.trim()}`);
  return result.stdout;
}

/** A worktree of a run, found from a folder inside it. */
export interface WorkspaceOf {
  dir: string;
  repoRoot: string;
  /** Where the store and the worktrees live. */
  stateDir: string;
  lockFile: string;
}

/** The run's worktree that holds `cwd` (the one folder above it with a lock beside it), if any. */
export function findWorkspaceOf(cwd: string): WorkspaceOf | undefined {
  for (let dir = path.resolve(cwd); dir !== path.dirname(dir); dir = path.dirname(dir)) {
    const lockFile = `${dir}.lock.json`;
    if (!existsSync(lockFile)) continue;
    try {
      const data = JSON.parse(readFileSync(lockFile, 'utf8')) as LockData;
      if (path.resolve(data.dir) !== dir) return undefined;
      return { dir, repoRoot: data.repoRoot, stateDir: path.dirname(path.dirname(dir)), lockFile };
    } catch {
      return undefined;
    }
  }
  return undefined;
}

/** A process group a run started, recorded so that the next run can end it if this one dies. */
interface GroupRecord {
  owner: number;
  ownerStart: string | undefined;
  pgid: number;
  start: string | undefined;
}

function groupsDirOf(lockFile: string): string {
  return lockFile.replace(/\.lock\.json$/, '.groups');
}

/**
 * A process's start time in clock ticks since boot (`/proc/<pid>/stat`, field 22): with the pid,
 * it names one process, where a pid alone may have been reused. Undefined when the process is gone
 * or there is no /proc.
 */
function startTimeOf(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces and parentheses: count from the last `)`.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}

/**
 * Records a process group this process started for a run's worktree; the returned function
 * removes the record once the group has ended.
 */
export function recordProcessGroup(lockFile: string, pgid: number): () => void {
  const dir = groupsDirOf(lockFile);
  const file = path.join(dir, `${pgid}.json`);
  const record: GroupRecord = {
    owner: process.pid,
    ownerStart: startTimeOf(process.pid),
    pgid,
    start: startTimeOf(pgid),
  };
  try {
    mkdirSync(dir, { recursive: true });
    writeFileSync(file, JSON.stringify(record));
  } catch {
    // Without a record only the next run's clean-up is lost; the group still dies with us.
    return () => {};
  }
  return () => rmSync(file, { force: true });
}

function isOwnerAlive(record: GroupRecord): boolean {
  if (!isAlive(record.owner)) return false;
  const start = startTimeOf(record.owner);
  return start === undefined || record.ownerStart === undefined || start === record.ownerStart;
}

/**
 * Kills the process groups recorded by runs that died (killed with SIGKILL, say, so that they
 * could not end their own tests): at a run's start and at a server's start. A group whose leader's
 * pid now names another process is left alone. Returns the groups killed.
 */
export function endLeftoverProcesses(stateDir: string): number[] {
  const worktrees = workspacesDir(stateDir);
  let dirs: string[];
  try {
    dirs = readdirSync(worktrees).filter((name) => name.endsWith('.groups'));
  } catch {
    return [];
  }
  const killed: number[] = [];
  for (const name of dirs) {
    const dir = path.join(worktrees, name);
    for (const file of readdirSync(dir)) {
      let record: GroupRecord;
      try {
        record = JSON.parse(readFileSync(path.join(dir, file), 'utf8')) as GroupRecord;
      } catch {
        rmSync(path.join(dir, file), { force: true });
        continue;
      }
      if (isOwnerAlive(record)) continue;
      const leader = startTimeOf(record.pgid);
      // With its leader gone the group id cannot have been reused while any member lives.
      if (leader === undefined || leader === record.start) {
        try {
          process.kill(-record.pgid, 'SIGKILL');
          killed.push(record.pgid);
        } catch {
          // ESRCH: the group has ended.
        }
      }
      rmSync(path.join(dir, file), { force: true });
    }
  }
  return killed;
}
