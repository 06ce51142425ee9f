import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { ApiError } from './errors.js';

/*
 * Read-only git for the dashboard's code view and run diffs: objects of a commit, never the working
 * tree, so a symlink or a file changed since the scan is never followed or shown as scanned.
 */

/** Files larger than this are not sent to the code view. */
export const MAX_FILE_BYTES = 1024 * 1024;
/** A commit's diff larger than this is cut, with a note. */
export const MAX_DIFF_BYTES = 512 * 1024;
const GIT_TIMEOUT_MS = 15_000;

/** Why a file's text is not shown. */
export type Unavailable =
  | 'no-commit'
  | 'not-in-commit'
  | 'symlink'
  | 'not-a-file'
  | 'too-large'
  | 'binary'
  | 'changed-since-scan'
  | 'git-failed';

export type BlobRead =
  { ok: true; text: string; bytes: number } | { ok: false; reason: Unavailable; message: string };

/** Runs git without a shell, with a timeout, never prompting; stdout as bytes. */
function runGit(cwd: string, args: readonly string[]): Promise<{ code: number; stdout: Buffer }> {
  return new Promise((resolve, reject) => {
    execFile(
      'git',
      ['-c', 'core.quotePath=false', ...args],
      {
        cwd,
        encoding: 'buffer',
        timeout: GIT_TIMEOUT_MS,
        maxBuffer: MAX_FILE_BYTES + MAX_DIFF_BYTES + 64 * 1024,
        env: {
          ...process.env,
          GIT_OPTIONAL_LOCKS: '0',
          GIT_TERMINAL_PROMPT: '0',
          GIT_LITERAL_PATHSPECS: '1',
        },
      },
      (error, stdout) => {
        if (error && typeof error.code !== 'number') {
          // A timeout kills git: the answer is a clear refusal, not a hang or a partial file.
          if (error.killed)
            return reject(new ApiError(504, 'git-timeout', `git ${args[0]} took too long`));
          return reject(new ApiError(500, 'git-failed', `cannot run git: ${error.message}`));
        }
        resolve({ code: typeof error?.code === 'number' ? error.code : 0, stdout });
      },
    );
  });
}

const unavailable = (reason: Unavailable, message: string): BlobRead => ({
  ok: false,
  reason,
  message,
});

/** A tree entry of `git ls-tree -l -z`: mode, type, object, size, path. */
function parseTreeEntry(line: string) {
  const match = /^(\d+) (\w+) ([0-9a-f]+)\s+(-|\d+)\t(.*)$/s.exec(line);
  if (!match) return undefined;
  const [, mode, type, object, size, path] = match;
  return {
    mode: mode!,
    type: type!,
    object: object!,
    size: size === '-' ? -1 : Number(size),
    path,
  };
}

/** Git's own test for binary content: a NUL byte in the first 8000 bytes. */
function isBinary(bytes: Buffer): boolean {
  return bytes.subarray(0, 8000).includes(0);
}

type TreeEntry = NonNullable<ReturnType<typeof parseTreeEntry>>;

/** The tree entry of `file` at `commit`, or why there is none. */
async function treeEntry(
  root: string,
  commit: string,
  file: string,
): Promise<TreeEntry | BlobRead> {
  const listed = await runGit(root, ['ls-tree', '-l', '-z', commit, '--', file]);
  if (listed.code !== 0)
    return unavailable('git-failed', `commit ${commit.slice(0, 12)} is not in the repository`);
  const entry = listed.stdout
    .toString('utf8')
    .split('\0')
    .map(parseTreeEntry)
    .find((e) => e?.path === file);
  return entry ?? unavailable('not-in-commit', `${file} is not in commit ${commit.slice(0, 12)}`);
}

/** Why an entry is not read: a link, not a file, or too large; undefined when it may be. */
function refusal(entry: TreeEntry, file: string): BlobRead | undefined {
  if (entry.mode === '120000')
    return unavailable(
      'symlink',
      `${file} is a symbolic link in the commit; links are not followed`,
    );
  if (entry.type !== 'blob') return unavailable('not-a-file', `${file} is not a file`);
  if (entry.size > MAX_FILE_BYTES)
    return unavailable(
      'too-large',
      `${file} is ${entry.size} bytes, over the code view's limit of ${MAX_FILE_BYTES} bytes`,
    );
  return undefined;
}

/**
 * The text of `file` (relative to `root`, `/`-separated) at `commit`, read from git's objects.
 * With `expectedSha256` (the scan's hash of the file), a blob with other content is refused: the
 * scan read a working tree that differed from its commit.
 */
export async function readFileAtCommit(
  root: string,
  commit: string,
  file: string,
  expectedSha256?: string,
): Promise<BlobRead> {
  if (!/^[0-9a-f]{7,64}$/.test(commit))
    return unavailable('no-commit', `the scan's commit "${commit}" is not a commit id`);
  const entry = await treeEntry(root, commit, file);
  if ('ok' in entry) return entry;
  const refused = refusal(entry, file);
  if (refused) return refused;
  const blob = await runGit(root, ['cat-file', 'blob', entry.object]);
  if (blob.code !== 0) return unavailable('git-failed', `cannot read ${file} from git`);
  if (isBinary(blob.stdout)) return unavailable('binary', `${file} is a binary file`);
  const actual = createHash('sha256').update(blob.stdout).digest('hex');
  if (expectedSha256 !== undefined && actual !== expectedSha256)
    return unavailable(
      'changed-since-scan',
      `${file} had uncommitted changes when it was scanned; the file at commit ${commit.slice(0, 12)} is not what was scanned`,
    );
  return { ok: true, text: blob.stdout.toString('utf8'), bytes: blob.stdout.length };
}

/** A full commit id: 40 hex digits (SHA-1) or 64 (SHA-256), nothing git would have to guess. */
export const FULL_COMMIT_ID = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/;

/** Whether `commit` is a full commit id that names a commit object of the repository at `root`. */
export async function isCommitOf(root: string, commit: string): Promise<boolean> {
  if (!FULL_COMMIT_ID.test(commit)) return false;
  const typed = await runGit(root, ['cat-file', '-t', commit]);
  return typed.code === 0 && typed.stdout.toString('utf8').trim() === 'commit';
}

export type CommitDiff =
  { ok: true; diff: string; truncated: boolean } | { ok: false; message: string };

/** The unified diff of one commit against its parent, as `git show` prints it (no colour). */
export async function commitDiff(root: string, commit: string): Promise<CommitDiff> {
  if (!/^[0-9a-f]{7,64}$/.test(commit))
    return { ok: false, message: `"${commit}" is not a commit id` };
  const shown = await runGit(root, [
    'show',
    '--no-color',
    '--no-ext-diff',
    '--no-textconv',
    '--format=',
    '--patch',
    commit,
    '--',
  ]);
  if (shown.code !== 0)
    return {
      ok: false,
      message: `commit ${commit.slice(0, 12)} is no longer in the repository (its branch was deleted?)`,
    };
  const truncated = shown.stdout.length > MAX_DIFF_BYTES;
  return {
    ok: true,
    diff: shown.stdout.subarray(0, MAX_DIFF_BYTES).toString('utf8'),
    truncated,
  };
}
