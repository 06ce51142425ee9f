import { execFileSync } from 'node:child_process';
import { link, mkdir, mkdtemp, readFile, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  checkRepositoryRoot,
  createInsideReader,
  OutsideRepositoryError,
  readInside,
  readTextInside,
  resolveInside,
  systemFolderReason,
  writeFileAtomic,
  writeInside,
} from './files.js';

let root: string;
let outside: string;
const VICTIM = 'export const victim = 1;\n';

/*
 * root/
 *   a.ts                          regular file
 *   src/b.ts                      regular file in a folder
 *   out.ts     -> outside/victim.ts
 *   outdir     -> outside
 *   chain1.ts  -> chain2.ts -> outside/victim.ts
 *   alias.ts   -> src/b.ts        (stays inside)
 *   hop1.ts    -> hop2.ts -> a.ts (a chain that stays inside)
 *   srclink    -> src             (a folder symlink that stays inside)
 *   up         -> ..              (the folder holding the root)
 */
beforeAll(async () => {
  const base = await mkdtemp(path.join(tmpdir(), 'beast-inside-'));
  root = path.join(base, 'repo');
  outside = path.join(base, 'outside');
  await mkdir(path.join(root, 'src'), { recursive: true });
  await mkdir(outside);
  await writeFile(path.join(outside, 'victim.ts'), VICTIM);
  await writeFile(path.join(root, 'a.ts'), 'export const a = 1;\n');
  await writeFile(path.join(root, 'src', 'b.ts'), 'export const b = 1;\n');
  await symlink(path.join(outside, 'victim.ts'), path.join(root, 'out.ts'));
  await symlink(outside, path.join(root, 'outdir'));
  await symlink('chain2.ts', path.join(root, 'chain1.ts'));
  await symlink(path.join(outside, 'victim.ts'), path.join(root, 'chain2.ts'));
  await symlink('src/b.ts', path.join(root, 'alias.ts'));
  await symlink('hop2.ts', path.join(root, 'hop1.ts'));
  await symlink('a.ts', path.join(root, 'hop2.ts'));
  await symlink('src', path.join(root, 'srclink'));
  await symlink('..', path.join(root, 'up'));
});

async function refusal(promise: Promise<unknown>): Promise<OutsideRepositoryError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(OutsideRepositoryError);
  return error as OutsideRepositoryError;
}

async function victimUntouched(): Promise<void> {
  expect(await readFile(path.join(outside, 'victim.ts'), 'utf8')).toBe(VICTIM);
}

describe('resolveInside', () => {
  it.each([
    ['../victim.ts', 'outside'],
    ['src/../../outside/victim.ts', 'outside'],
    ['..', 'outside'],
    ['/etc/passwd', 'outside'],
    ['out.ts', 'symlink'],
    ['outdir/victim.ts', 'symlink'],
    ['chain1.ts', 'symlink'],
    ['alias.ts', 'symlink'],
    ['srclink/b.ts', 'symlink'],
    ['up/outside/victim.ts', 'symlink'],
  ])('refuses %s (%s) without followInside', async (file, reason) => {
    expect((await refusal(resolveInside(root, file))).reason).toBe(reason);
  });

  it.each([
    ['out.ts', /points outside the repository/],
    ['outdir/victim.ts', /points outside the repository/],
    ['chain1.ts', /points outside the repository/],
    ['up/outside/victim.ts', /points outside the repository/],
  ])('refuses %s with followInside: its target leaves the root', async (file, message) => {
    expect((await refusal(resolveInside(root, file, { followInside: true }))).message).toMatch(
      message,
    );
  });

  it('accepts plain paths, paths not created yet, and inside symlinks when asked', async () => {
    expect(await resolveInside(root, 'src/b.ts')).toBe(path.join(root, 'src', 'b.ts'));
    expect(await resolveInside(root, './src//b.ts')).toBe(path.join(root, 'src', 'b.ts'));
    expect(await resolveInside(root, 'src/x/../b.ts')).toBe(path.join(root, 'src', 'b.ts'));
    expect(await resolveInside(root, 'new/dir/c.ts')).toBe(path.join(root, 'new', 'dir', 'c.ts'));
    expect(await resolveInside(root, 'alias.ts', { followInside: true })).toBe(
      path.join(root, 'alias.ts'),
    );
    expect(await resolveInside(root, 'srclink/b.ts', { followInside: true })).toBe(
      path.join(root, 'srclink', 'b.ts'),
    );
  });

  it('names the symlink a path goes through', async () => {
    expect((await refusal(resolveInside(root, 'outdir/victim.ts'))).message).toBe(
      'outdir/victim.ts goes through the symlink outdir: left alone (BEAST MODE never reads or writes repository files through symlinks)',
    );
    expect((await refusal(resolveInside(root, 'out.ts'))).message).toMatch(
      /^out\.ts is a symlink:/,
    );
  });
});

describe('readInside', () => {
  it('reads regular files and refuses symlinks unless asked, and then only inside ones', async () => {
    expect(await readTextInside(root, 'src/b.ts')).toBe('export const b = 1;\n');
    await refusal(readInside(root, 'alias.ts'));
    expect(await readTextInside(root, 'alias.ts', { followInside: true })).toBe(
      'export const b = 1;\n',
    );
    expect(await readTextInside(root, 'hop1.ts', { followInside: true })).toBe(
      'export const a = 1;\n',
    );
    for (const file of ['out.ts', 'chain1.ts', 'outdir/victim.ts', 'up/outside/victim.ts']) {
      await refusal(readInside(root, file));
      await refusal(readInside(root, file, { followInside: true }));
    }
  });

  it('throws IO errors as they are', async () => {
    await expect(readInside(root, 'missing.ts')).rejects.toMatchObject({ code: 'ENOENT' });
    await expect(readInside(root, 'src')).rejects.toThrow(/not a regular file/);
  });

  it('does not hang on a FIFO', async () => {
    execFileSync('mkfifo', [path.join(root, 'pipe.ts')]);
    await expect(readInside(root, 'pipe.ts')).rejects.toThrow(/not a regular file/);
  });
});

describe('createInsideReader', () => {
  it('reads many files, checking each folder once, and refuses every symlink', async () => {
    const read = createInsideReader(root);
    expect((await read('src/b.ts')).toString()).toBe('export const b = 1;\n');
    expect((await read('a.ts')).toString()).toBe('export const a = 1;\n');
    for (const file of ['out.ts', 'alias.ts', 'outdir/victim.ts', 'srclink/b.ts', 'chain1.ts'])
      expect((await refusal(read(file))).reason).toBe('symlink');
    await refusal(read('../outside/victim.ts'));
    // A second read under a refused folder is refused again from the memo.
    expect((await refusal(read('outdir/victim.ts'))).message).toMatch(/through the symlink outdir/);
  });
});

describe('writeInside', () => {
  it('writes in place, creating new files and keeping the mode of existing ones', async () => {
    await writeFile(path.join(root, 'tool.js'), 'old\n', { mode: 0o755 });
    await writeInside(root, 'tool.js', 'new\n');
    expect(await readFile(path.join(root, 'tool.js'), 'utf8')).toBe('new\n');
    expect((await stat(path.join(root, 'tool.js'))).mode & 0o777).toBe(0o755);
    await writeInside(root, 'src/fresh.ts', 'export {};\n');
    expect(await readFile(path.join(root, 'src', 'fresh.ts'), 'utf8')).toBe('export {};\n');
    await writeInside(root, 'tool.js', 'n\n');
    expect(await readFile(path.join(root, 'tool.js'), 'utf8')).toBe('n\n');
  });

  it.each([
    '../outside/victim.ts',
    path.join('/', 'tmp', 'victim.ts'),
    'out.ts',
    'outdir/victim.ts',
    'chain1.ts',
    'up/outside/victim.ts',
    'alias.ts',
    'srclink/b.ts',
  ])('refuses %s and changes nothing', async (file) => {
    const before = await stat(path.join(outside, 'victim.ts'));
    await refusal(writeInside(root, file, 'export const pwned = 1;\n'));
    await victimUntouched();
    expect((await stat(path.join(outside, 'victim.ts'))).mtimeMs).toBe(before.mtimeMs);
    expect(await readFile(path.join(root, 'src', 'b.ts'), 'utf8')).toBe('export const b = 1;\n');
  });

  it('refuses a file with other hard links', async () => {
    await link(path.join(outside, 'victim.ts'), path.join(root, 'hard.ts'));
    expect((await refusal(writeInside(root, 'hard.ts', 'x'))).reason).toBe('hard-link');
    await victimUntouched();
  });
});

describe('writeFileAtomic', () => {
  it('replaces a symlink at the target instead of writing through it', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'beast-atomic-'));
    await symlink(path.join(outside, 'victim.ts'), path.join(dir, 'report.json'));
    await writeFileAtomic(path.join(dir, 'report.json'), '{}\n');
    expect(await readFile(path.join(dir, 'report.json'), 'utf8')).toBe('{}\n');
    await victimUntouched();
  });
});

describe('repository roots', () => {
  it.each([
    ['/', 'is the filesystem root'],
    ['/etc', 'is a system folder'],
    ['/etc/', 'is a system folder'],
    ['/usr/lib', 'is a system folder'],
    ['/home/me', 'is the home folder itself'],
    ['/home/me/project', undefined],
    ['/opt/app', undefined],
    ['/etc/nginx', undefined],
  ])('%s %s', (folder, reason) => {
    expect(systemFolderReason(folder, '/home/me')).toBe(reason);
  });

  it('refuses a symlink to the filesystem root by its real path', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'beast-root-'));
    await symlink('/', path.join(dir, 'slash'));
    await expect(checkRepositoryRoot(path.join(dir, 'slash'))).rejects.toThrow(
      `${path.join(dir, 'slash')} (/) is the filesystem root, not a repository; choose a project folder`,
    );
    await expect(checkRepositoryRoot(dir)).resolves.toBeUndefined();
  });
});
