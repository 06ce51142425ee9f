import { execFile } from 'node:child_process';
import { InputError } from '../core/index.js';

export interface GitResult {
  stdout: string;
  code: number;
  stderr: string;
}

/** Runs git with arguments (never through a shell) and returns its output, whatever the exit code. */
export function runGit(cwd: string, args: readonly string[]): Promise<GitResult> {
  return new Promise((resolve, reject) => {
    execFile(
      'git',
      [...args],
      {
        cwd,
        maxBuffer: 512 * 1024 * 1024,
        encoding: 'utf8',
        env: { ...process.env, GIT_OPTIONAL_LOCKS: '0' },
      },
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

export interface GitInfo {
  /** Absolute path of the work tree's top level. */
  toplevel: string;
  /** Path of the scanned folder relative to the top level ('' at the top), with a trailing slash. */
  prefix: string;
  commit: string | undefined;
  branch: string | undefined;
  dirty: boolean;
  /** A shallow clone (`git clone --depth`, the CI default): its history is truncated. */
  shallow: boolean;
}

/** What a shallow clone cannot tell, and how to get it. */
export const SHALLOW_CLONE = 'shallow clone (git fetch --unshallow to get history)';

/** Whether `dir` is inside a shallow clone, whose history stops at the clone depth. */
export async function isShallowRepository(dir: string): Promise<boolean> {
  const result = await runGit(dir, ['rev-parse', '--is-shallow-repository']);
  return result.code === 0 && result.stdout.trim() === 'true';
}

/** Git facts about a folder, or undefined when it is not inside a work tree. */
export async function readGitInfo(dir: string): Promise<GitInfo | undefined> {
  const top = await runGit(dir, ['rev-parse', '--show-toplevel', '--show-prefix']);
  if (top.code !== 0) return undefined;
  // A folder git ignores (a vendored copy, a build output) is scanned as a plain folder.
  const ignored = await runGit(dir, ['check-ignore', '-q', '.']);
  if (ignored.code === 0) return undefined;
  const [toplevel = dir, prefix = ''] = top.stdout.split('\n');
  const [head, branch, status, shallow] = await Promise.all([
    runGit(dir, ['rev-parse', '--verify', '--quiet', 'HEAD']),
    runGit(dir, ['symbolic-ref', '--short', '--quiet', 'HEAD']),
    runGit(dir, ['status', '--porcelain', '--untracked-files=no', '--', '.']),
    isShallowRepository(dir),
  ]);
  return {
    toplevel,
    prefix,
    commit: head.code === 0 ? head.stdout.trim() : undefined,
    branch: branch.code === 0 ? branch.stdout.trim() : undefined,
    dirty: status.stdout.trim().length > 0,
    shallow,
  };
}

/** Files git tracks or would track (honours .gitignore), relative to `dir`. */
export async function listGitFiles(dir: string): Promise<string[]> {
  const result = await runGit(dir, [
    'ls-files',
    '-z',
    '--cached',
    '--others',
    '--exclude-standard',
    '--deduplicate',
  ]);
  if (result.code !== 0)
    throw new InputError(`git ls-files failed in ${dir}: ${result.stderr.trim()}`);
  return result.stdout.split('\0').filter((f) => f.length > 0);
}

/**
 * Lines added or changed since `ref`, per file relative to `dir`, including uncommitted and
 * untracked files (whose every line is new: `'all'`).
 */
export async function changedLinesSince(
  dir: string,
  ref: string,
): Promise<Map<string, Set<number> | 'all'>> {
  const verify = await runGit(dir, ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`]);
  if (verify.code !== 0) {
    // In a shallow clone the ref is usually real but older than the clone depth.
    if (await isShallowRepository(dir))
      throw new InputError(`--since: "${ref}" is not in the history of this ${SHALLOW_CLONE}`);
    throw new InputError(`--since: "${ref}" is not a commit in this repository`);
  }
  const diff = await runGit(dir, [
    'diff',
    '--no-color',
    '--no-ext-diff',
    '--unified=0',
    '--relative',
    '--diff-filter=AMR',
    verify.stdout.trim(),
    '--',
    '.',
  ]);
  if (diff.code !== 0) throw new InputError(`git diff failed: ${diff.stderr.trim()}`);
  const changed = parseUnifiedDiff(diff.stdout);
  const untracked = await runGit(dir, ['ls-files', '-z', '--others', '--exclude-standard']);
  for (const file of untracked.stdout.split('\0')) if (file) changed.set(file, 'all');
  return changed;
}

/** Pure: the added lines of each file in a `--unified=0` diff. */
export function parseUnifiedDiff(text: string): Map<string, Set<number> | 'all'> {
  const out = new Map<string, Set<number> | 'all'>();
  let current: Set<number> | undefined;
  for (const line of text.split('\n')) {
    if (line.startsWith('+++ ')) {
      const name = line.slice(4);
      if (name === '/dev/null') {
        current = undefined;
        continue;
      }
      current = new Set<number>();
      out.set(name.replace(/^b\//, ''), current);
    } else if (line.startsWith('@@') && current) {
      const match = /\+(\d+)(?:,(\d+))?/.exec(line);
      if (!match) continue;
      const start = Number(match[1]);
      const count = match[2] === undefined ? 1 : Number(match[2]);
      for (let i = 0; i < count; i++) current.add(start + i);
    }
  }
  return out;
}

/** Commits touching each file (relative to `dir`) in the last `maxCommits` non-merge commits. */
export async function changeCounts(dir: string, maxCommits = 2000): Promise<Map<string, number>> {
  const result = await runGit(dir, [
    'log',
    `--max-count=${maxCommits}`,
    '--no-merges',
    '--no-renames',
    '--relative',
    '--name-only',
    '--format=',
    '--',
    '.',
  ]);
  const counts = new Map<string, number>();
  if (result.code !== 0) return counts;
  for (const file of result.stdout.split('\n')) {
    if (file) counts.set(file, (counts.get(file) ?? 0) + 1);
  }
  return counts;
}

/**
 * Files changed in the work tree or the index relative to HEAD (staged, unstaged, and untracked
 * files git does not ignore), relative to `dir`; deleted files are not listed. Before the first
 * commit, every file git would track.
 */
export async function listChangedFiles(dir: string): Promise<string[]> {
  const head = await runGit(dir, ['rev-parse', '--verify', '--quiet', 'HEAD']);
  if (head.code !== 0) return listGitFiles(dir);
  const [diff, untracked] = await Promise.all([
    runGit(dir, [
      'diff',
      '-z',
      '--name-only',
      '--relative',
      '--no-renames',
      '--diff-filter=d',
      'HEAD',
      '--',
      '.',
    ]),
    runGit(dir, ['ls-files', '-z', '--others', '--exclude-standard']),
  ]);
  if (diff.code !== 0) throw new InputError(`git diff failed: ${diff.stderr.trim()}`);
  const files = new Set([...diff.stdout.split('\0'), ...untracked.stdout.split('\0')]);
  files.delete('');
  return [...files].sort();
}

/** The ignore rule that makes git ignore `file` (relative to `dir`), as `source:line: pattern`. */
export async function ignoreRuleOf(dir: string, file: string): Promise<string | undefined> {
  const result = await runGit(dir, ['check-ignore', '-v', '--no-index', '--', file]);
  if (result.code !== 0) return undefined;
  const match = /^(.*?):(\d+):(.*?)\t/.exec(result.stdout);
  return match ? `${match[1]}:${match[2]}: ${match[3]}` : 'an ignore rule';
}
