import { execFile } from 'node:child_process';
import { rmSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { InputError, onExit, resolveInside } from '../../core/index.js';
import { git } from '../../fixes/index.js';

/** Pathspecs taken literally: a file named `*.ts` is that file, not a glob. */
const LITERAL = { GIT_LITERAL_PATHSPECS: '1' };

/** A blob's bytes (`git cat-file blob <commit>:<path>`), undefined when the commit has no such file. */
function readBlob(repoRoot: string, commit: string, file: string): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    execFile(
      'git',
      ['cat-file', 'blob', `${commit}:${file}`],
      { cwd: repoRoot, encoding: 'buffer', maxBuffer: 256 * 1024 * 1024 },
      (error, stdout) => {
        if (error && typeof error.code !== 'number') reject(error);
        else resolve(error ? undefined : stdout);
      },
    );
  });
}

async function readCurrent(file: string): Promise<Buffer | undefined> {
  return readFile(file).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined;
    throw error;
  });
}

/** The files that differ between two commits, `/`-separated from the repository's top. */
async function touchedFiles(repoRoot: string, base: string, head: string): Promise<string[]> {
  const diff = await git(repoRoot, ['diff', '--name-only', '--no-renames', '-z', base, head]);
  if (diff.code !== 0) throw new InputError(`--apply: git diff failed: ${diff.stderr.trim()}`);
  return diff.stdout.split('\0').filter((f) => f !== '');
}

/** Of `files`, those with uncommitted changes (staged, unstaged, or untracked where the branch adds one). */
async function uncommitted(repoRoot: string, files: readonly string[]): Promise<string[]> {
  const status = await git(
    repoRoot,
    [
      'status',
      '--porcelain=v1',
      '-z',
      '--no-renames',
      '--untracked-files=all',
      '--ignored',
      '--',
      ...files,
    ],
    LITERAL,
  );
  if (status.code !== 0)
    throw new InputError(`--apply: git status failed: ${status.stderr.trim()}`);
  return status.stdout
    .split('\0')
    .filter((entry) => entry.length > 3)
    .map((entry) => entry.slice(3));
}

async function modeOf(repoRoot: string, commit: string, file: string): Promise<number> {
  const tree = await git(repoRoot, ['ls-tree', commit, '--', file], LITERAL);
  return tree.stdout.startsWith('100755') ? 0o755 : 0o644;
}

/**
 * Replaces a file through a temporary file beside it, flushed, and a rename: a process killed at
 * any moment leaves the old file or the new one, never half of either. The path may not lead
 * through a symlink.
 */
async function replaceFile(file: string, data: Buffer, mode: number): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  const temp = path.join(
    path.dirname(file),
    `.${path.basename(file)}.beast-${randomBytes(4).toString('hex')}.tmp`,
  );
  // Interrupted (Ctrl-C) between creating and renaming it, the temporary file goes too.
  const forget = onExit(() => rmSync(temp, { force: true }));
  try {
    const handle = await open(temp, 'wx', mode);
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, file);
    forget();
  } catch (error) {
    await rm(temp, { force: true });
    forget();
    throw new InputError(
      `--apply: cannot write ${file}: ${(error as NodeJS.ErrnoException).code ?? error}`,
      {
        cause: error,
      },
    );
  }
}

/** Where the changes wait when they could not be applied, for the end of a refusal. */
function stillOnBranch(branch: string): string {
  return `nothing in the working tree was changed; the changes stay on branch ${branch}`;
}

/** Refuses (InputError) unless HEAD is the run's base and no touched file has uncommitted changes. */
async function checkApplicable(
  repoRoot: string,
  delivered: { branch: string; base: string },
  files: readonly string[],
): Promise<void> {
  const { branch, base } = delivered;
  const current = await git(repoRoot, ['rev-parse', '--verify', '--quiet', 'HEAD^{commit}']);
  const head = current.stdout.trim();
  if (head !== base) {
    throw new InputError(
      `--apply: not applied: HEAD moved since the run started (from ${base.slice(0, 12)} to ${head.slice(0, 12) || 'nothing'}); ${stillOnBranch(branch)}`,
    );
  }
  const dirty = await uncommitted(repoRoot, files);
  if (dirty.length > 0) {
    throw new InputError(
      `--apply: not applied: ${dirty.length} touched file(s) have uncommitted changes: ${dirty.join(', ')}; ${stillOnBranch(branch)}`,
    );
  }
}

/**
 * Writes one file as the branch has it, or removes it when the branch does, after checking it
 * still holds the committed content; false (nothing written) when it does not.
 */
async function applyFile(
  repoRoot: string,
  delivered: { base: string; head: string },
  file: string,
): Promise<boolean> {
  const target = await resolveInside(repoRoot, file);
  const [was, now, wanted] = await Promise.all([
    readBlob(repoRoot, delivered.base, file),
    readCurrent(target),
    readBlob(repoRoot, delivered.head, file),
  ]);
  const unchanged = was === undefined ? now === undefined : now !== undefined && was.equals(now);
  if (!unchanged) return false;
  if (wanted !== undefined) {
    await replaceFile(target, wanted, await modeOf(repoRoot, delivered.head, file));
  } else if (now !== undefined) {
    await rm(target);
  }
  return true;
}

/**
 * Brings a delivered branch's changes into the user's working tree, unstaged, as `eslint --fix`
 * leaves its fixes. Only the files the branch changed are written, and only when HEAD is still
 * the commit the run started from and none of them has uncommitted changes (staged, unstaged or
 * untracked): otherwise nothing is written and an InputError gives the reason. Each file is
 * written atomically after checking it still holds the committed content, so a killed apply
 * leaves each file either as committed or as on the branch, and a file edited meanwhile is never
 * overwritten. Returns the files written.
 */
export async function applyBranch(
  repoRoot: string,
  delivered: { branch: string; base: string; head: string },
): Promise<string[]> {
  const files = await touchedFiles(repoRoot, delivered.base, delivered.head);
  await checkApplicable(repoRoot, delivered, files);
  const written: string[] = [];
  for (const file of files) {
    if (!(await applyFile(repoRoot, delivered, file))) {
      const done = written.length > 0 ? `${written.join(', ')} already applied; ` : '';
      throw new InputError(
        `--apply: stopped: ${file} changed while applying; ${done}the rest stays on branch ${delivered.branch}`,
      );
    }
    written.push(file);
  }
  return written;
}
