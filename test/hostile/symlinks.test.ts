import { mkdtemp, readFile, rm, stat, symlink, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ScanReport } from '../../src/core/index.js';
import { runImprove, type ImproveReport } from '../../src/pipeline/index.js';
import { closeHarnesses, harness, json, register, runJob } from '../../src/server/testing.js';
import { createReachingModel, makeImproveFixture } from '../helpers/improve-fixture.js';
import { beast, git, makeFolder, makeRepo } from '../helpers/repo.js';

/*
 * A repository is hostile input: its symlinks must never make BEAST MODE read or write outside
 * it, and the machine's own folders are no repository.
 */

afterEach(closeHarnesses);

/** Fixable as the fixture's modules are (prefer-const, prefer-template, object-shorthand). */
const VICTIM = [
  `/** @param {string} name */`,
  `export function victim(name) {`,
  `  let prefix = 'victim';`,
  `  return prefix + ':' + name;`,
  `}`,
  ``,
].join('\n');

/** A file outside any repository, with its bytes and mtime to compare against afterwards. */
async function makeVictim(): Promise<{ file: string; untouched: () => Promise<void> }> {
  const dir = await mkdtemp(path.join(tmpdir(), 'beast-victim-'));
  const file = path.join(dir, 'victim.js');
  await writeFile(file, VICTIM);
  // An mtime in the past, so any write (even of the same bytes) shows.
  await utimes(file, new Date('2020-01-01T00:00:00Z'), new Date('2020-01-01T00:00:00Z'));
  const before = await stat(file);
  return {
    file,
    untouched: async () => {
      expect(await readFile(file, 'utf8')).toBe(VICTIM);
      const after = await stat(file);
      expect(after.mtimeMs).toBe(before.mtimeMs);
      expect(after.ctimeMs).toBe(before.ctimeMs);
    },
  };
}

/** The improve fixture (fixable modules, tests) plus a committed `src/link.js` -> the victim. */
async function repoWithLink(victim: string): Promise<string> {
  const repo = await makeImproveFixture(1);
  await symlink(victim, path.join(repo, 'src', 'link.js'));
  git(repo, 'add', 'src/link.js');
  git(repo, 'commit', '-q', '-m', 'link');
  return repo;
}

const SKIPPED_LINK =
  'skipped src/link.js: symlink to a path outside the repository, not followed; symlinks are never read, analysed or written';

/** `beast improve --json` with a fresh home; fails the test when no report was printed. */
async function improve(repo: string, ...flags: string[]) {
  const home = await mkdtemp(path.join(tmpdir(), 'beast-home-'));
  const result = beast(['improve', repo, '--json', ...flags], { env: { BEAST_HOME: home } });
  if (!result.stdout) throw new Error(`no report (exit ${result.code}): ${result.stderr}`);
  return { ...result, report: JSON.parse(result.stdout) as ImproveReport };
}

function touchedFiles(report: ImproveReport): string[] {
  return [...new Set(report.changes.flatMap((c) => c.changes.map((ch) => ch.file)))].sort();
}

describe('a committed symlink to a file outside the repository', () => {
  it('beast improve fixes the repository, leaves the link and its target alone, and says so', async () => {
    const victim = await makeVictim();
    const repo = await repoWithLink(victim.file);
    const { code, stderr, report } = await improve(repo);
    expect(stderr).not.toMatch(/git commit failed/);
    expect(code).toBe(0);
    expect(report.status).toBe('delivered');
    expect(report.findingsFixed).toBeGreaterThan(0);
    expect(touchedFiles(report)).toEqual(['src/mod0.js']);
    expect(report.warnings).toContain(SKIPPED_LINK);
    const changed = git(
      repo,
      'diff',
      '--name-only',
      `${report.base}..${report.branch ?? 'no-branch'}`,
    );
    expect(changed.trim().split('\n')).toEqual(['src/mod0.js']);
    await victim.untouched();
  });

  it('beast improve --dry-run leaves the target alone too', async () => {
    const victim = await makeVictim();
    const repo = await repoWithLink(victim.file);
    const { code, report } = await improve(repo, '--dry-run');
    expect(code).toBe(0);
    expect(report.status).toBe('dry-run');
    expect(report.diff).toMatch(/src\/mod0\.js/);
    expect(report.diff).not.toMatch(/link\.js/);
    expect(report.warnings).toContain(SKIPPED_LINK);
    await victim.untouched();
  });

  it('an improve job of the API leaves the target alone and reports the link', async () => {
    const victim = await makeVictim();
    const repo = await repoWithLink(victim.file);
    const h = await harness();
    const id = await register(h, repo);
    const job = await runJob(h, '/api/self-improvement/improve', { repo: id, options: {} });
    expect(job.error).toBeNull();
    expect(job.status).toBe('succeeded');
    const result = job.result as {
      status: string;
      warnings: string[];
      changes: { file: string }[];
    };
    expect(result.status).toBe('delivered');
    expect(result.warnings).toContain(SKIPPED_LINK);
    expect(new Set(result.changes.map((c) => c.file))).toEqual(new Set(['src/mod0.js']));
    await victim.untouched();
  });
});

describe('a committed symlink to / inside a type-checked folder', () => {
  it('beast improve type-checks the repository without walking the machine', async () => {
    const repo = await makeImproveFixture(1);
    await symlink('/', path.join(repo, 'src', 'loop'));
    git(repo, 'add', 'src/loop');
    git(repo, 'commit', '-q', '-m', 'loop');
    const { code, stderr, report } = await improve(repo);
    expect(stderr).not.toMatch(/internal error/);
    expect(code).toBe(0);
    expect(report.status).toBe('delivered');
    expect(report.checks.find((c) => c.name === 'typecheck')).toMatchObject({ ran: true });
    expect(touchedFiles(report)).toEqual(['src/mod0.js']);
  });
});

describe('a model proposing a change outside the repository', () => {
  it.each([
    ['src/link.js', 'src/link.js is a symlink: left alone'],
    ['../victim.js', '../victim.js is outside the repository'],
  ])('a change to %s is dropped with a warning and nothing is written', async (file, why) => {
    const victim = await makeVictim();
    const repo = await repoWithLink(victim.file);
    const state = await mkdtemp(path.join(tmpdir(), 'beast-state-'));
    const report = await runImprove(repo, {
      models: [createReachingModel(file, '// pwned\n')],
      stateDir: state,
    });
    expect(report.status).toBe('nothing-to-do');
    expect(report.changes).toEqual([]);
    expect(
      report.warnings.some((w) => w.startsWith(`test:reach: a proposal was dropped: ${why}`)),
    ).toBe(true);
    await victim.untouched();
  });
});

/** Outside any repository: a folder holding a source file whose finding carries a marker. */
async function makeOutside(): Promise<{ dir: string; marker: string }> {
  const marker = `OUTSIDE_MARKER_${Date.now().toString(36)}`;
  const dir = await makeFolder({ 'secret.ts': `export const ${marker}: any = 1;\n` });
  return { dir, marker };
}

const GOOD = `export function add(a: number, b: number): number {\n  return a + b;\n}\n`;

/**
 * Scans `dir` and checks that only src/ok.ts was analysed, that `skipped` (path -> "reason:
 * detail") is exactly what was skipped, and that nothing from outside (the marker of the outside
 * file, a line of /etc/passwd) is anywhere in the report.
 */
function expectOnlyOkScanned(
  dir: string,
  isGit: boolean,
  marker: string,
  skipped: Record<string, string>,
): void {
  const { code, stderr, stdout } = beast(['scan', dir, '--format', 'json', '--quiet']);
  expect(stderr).toBe('');
  expect(code).toBe(0);
  const report = JSON.parse(stdout) as ScanReport;
  expect(report.repo.isGit).toBe(isGit);
  expect(report.files.map((f) => f.path)).toEqual(['src/ok.ts']);
  expect(
    Object.fromEntries(report.skipped.map((s) => [s.path, `${s.reason}: ${s.detail}`])),
  ).toEqual(skipped);
  expect(stdout).not.toContain(marker);
  expect(stdout).not.toMatch(/root:/);
}

const OUTSIDE = 'symlink: symlink to a path outside the repository, not followed';

describe('beast scan and symlinks out of the repository', () => {
  it('a folder outside git with links to /, to a folder and to files outside: none is read', async () => {
    const outside = await makeOutside();
    const dir = await makeFolder({ 'src/ok.ts': GOOD });
    await symlink('/', path.join(dir, 'loop'));
    await symlink(outside.dir, path.join(dir, 'ext'));
    await symlink('/etc/passwd', path.join(dir, 'src', 'passwd.js'));
    await symlink(path.join(outside.dir, 'secret.ts'), path.join(dir, 'src', 'secret.ts'));
    expectOnlyOkScanned(dir, false, outside.marker, {
      loop: OUTSIDE,
      ext: OUTSIDE,
      'src/passwd.js': OUTSIDE,
      'src/secret.ts': OUTSIDE,
    });
  });

  it('a git repository: tracked links and a tracked folder now a link are not read through', async () => {
    const outside = await makeOutside();
    await writeFile(
      path.join(outside.dir, 'real.ts'),
      `export const ${outside.marker}_2: any = 1;\n`,
    );
    const repo = await makeRepo({ 'src/ok.ts': GOOD, 'sub/real.ts': GOOD });
    await symlink('/etc/passwd', path.join(repo, 'src', 'passwd.js'));
    await symlink(path.join(outside.dir, 'secret.ts'), path.join(repo, 'src', 'secret.ts'));
    await symlink('ok.ts', path.join(repo, 'src', 'alias.ts'));
    git(repo, 'add', '-A');
    git(repo, 'commit', '-q', '-m', 'links');
    // git still lists sub/real.ts, which now leads out of the repository.
    await rm(path.join(repo, 'sub'), { recursive: true });
    await symlink(outside.dir, path.join(repo, 'sub'));
    expectOnlyOkScanned(repo, true, outside.marker, {
      'src/alias.ts':
        'symlink: symlink to a path inside the repository, not followed (scanned where it is)',
      'src/passwd.js': OUTSIDE,
      'src/secret.ts': OUTSIDE,
      'sub/real.ts': `symlink: inside sub/, ${OUTSIDE.slice('symlink: '.length)}`,
    });
  });
});

describe('the filesystem root and system folders are no repository', () => {
  it('POST /api/repos refuses /, /etc and a symlink to / with a one-line 400', async () => {
    const h = await harness();
    const link = path.join(h.dir, 'slash');
    await symlink('/', link);
    const cases: [string, string][] = [
      ['/', 'path: / is the filesystem root, not a repository; choose a project folder'],
      ['/etc', 'path: /etc is a system folder, not a repository; choose a project folder'],
      [link, `path: ${link} (/) is the filesystem root, not a repository; choose a project folder`],
    ];
    for (const [folder, message] of cases) {
      const response = await h.call('POST', '/api/repos', { path: folder });
      expect(response.status, folder).toBe(400);
      expect(await json(response), folder).toEqual({ error: { code: 'validation', message } });
    }
    const listed = await json<{ repos: unknown[] }>(await h.call('GET', '/api/repos'));
    expect(listed.repos).toEqual([]);
  });

  it('beast scan refuses / and /etc with exit 2 and one line', () => {
    for (const [folder, what] of [
      ['/', 'is the filesystem root'],
      ['/etc', 'is a system folder'],
    ] as const) {
      const result = beast(['scan', folder, '--quiet']);
      expect(result.code, folder).toBe(2);
      expect(result.stdout).toBe('');
      expect(result.stderr).toBe(
        `beast: ${folder} ${what}, not a repository; choose a project folder\n`,
      );
    }
  });
});
