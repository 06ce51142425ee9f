import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ScanReport } from '../src/core/index.js';
import { beast, BIN, git, makeRepo, type CliResult } from './helpers/repo.js';
import { loop } from './helpers/code.js';

let home: string;
beforeAll(async () => {
  home = await mkdtemp(path.join(tmpdir(), 'beast-home-'));
});

const CLEAN = 'export const clean = 1;\n';

/** A repository with findings that span files (a clone, an import cycle) and files we skip. */
const FILES: Record<string, string> = {
  '.gitignore': 'dist/\n',
  'src/a.ts': loop('first'),
  'src/b.ts': `// copy\n${loop('second')}`,
  'src/x.ts': "import { y } from './y.js';\nexport const x = () => y;\n",
  'src/y.ts': "import { x } from './x.js';\nexport const y = () => x;\n",
  'src/clean.ts': CLEAN,
  'src/broken.ts': 'export function broken( {\n',
  'lib/d.ts': 'export const d = 4;\n',
  'vendor/lib.js': 'export const v = 1;\n',
  'notes.md': '# notes\n',
};

function run(dir: string, args: string[], stdin?: string): CliResult {
  if (stdin === undefined) return beast(args, { cwd: dir, env: { BEAST_HOME: home } });
  const result = spawnSync(process.execPath, [BIN, ...args], {
    cwd: dir,
    input: stdin,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', BEAST_HOME: home },
  });
  return { code: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}

function scanJson(dir: string, args: string[], stdin?: string) {
  const result = run(dir, ['scan', '--format', 'json', '--quiet', ...args], stdin);
  if (result.code >= 2) throw new Error(`beast failed (${result.code}): ${result.stderr}`);
  return { ...result, report: JSON.parse(result.stdout) as ScanReport };
}

const found = (report: ScanReport) =>
  report.findings.map((f) => `${f.file}:${f.location.line} ${f.ruleId}`);
const paths = (report: ScanReport) => report.files.map((f) => f.path);

describe('beast scan FILES...', () => {
  let dir: string;
  let whole: ScanReport;
  beforeAll(async () => {
    dir = await makeRepo(FILES);
    whole = scanJson(dir, ['.', '--no-store']).report;
  });

  it('reports a named file with the findings a whole scan finds for it, its clone twin included', () => {
    const { code, report, stderr } = scanJson(dir, ['src/a.ts']);
    expect(code).toBe(0);
    expect(stderr).toBe('');
    expect(report.repo.root).toBe(whole.repo.root);
    expect(paths(report)).toEqual(['src/a.ts']);
    expect(found(report)).toEqual(['src/a.ts:2 duplicated-code']);
    expect(report.findings).toEqual(whole.findings.filter((f) => f.file === 'src/a.ts'));
    expect(report.clones.map((c) => [c.a.file, c.b.file])).toEqual([['src/a.ts', 'src/b.ts']]);
    expect(report.selection).toEqual({ by: 'paths', named: ['src/a.ts'] });
    expect(report.summary.files).toBe(1);
  });

  it('finds an import cycle through a named file whose other half is not named', () => {
    const { report } = scanJson(dir, ['src/x.ts', 'src/clean.ts']);
    expect(paths(report)).toEqual(['src/clean.ts', 'src/x.ts']);
    expect(found(report)).toEqual(['src/x.ts:1 circular-import']);
  });

  it('takes files, folders and quoted globs mixed, relative to the working folder', () => {
    const { report } = scanJson(dir, ['lib', 'src/x.ts', 'src/[ab].ts']);
    expect(paths(report)).toEqual(['lib/d.ts', 'src/a.ts', 'src/b.ts', 'src/x.ts']);
    const inSrc = scanJson(path.join(dir, 'src'), ['*.ts', '../lib/d.ts']).report;
    expect(paths(inSrc)).toEqual([
      'lib/d.ts',
      'src/a.ts',
      'src/b.ts',
      'src/broken.ts',
      'src/clean.ts',
      'src/x.ts',
      'src/y.ts',
    ]);
    expect(inSrc.repo.root).toBe(whole.repo.root);
  });

  it('reports named files it does not scan as skipped, with the reason, and warns of each', async () => {
    const { code, report, stderr } = scanJson(dir, ['src/clean.ts', 'vendor/lib.js', 'notes.md']);
    expect(code).toBe(0);
    expect(paths(report)).toEqual(['src/clean.ts']);
    expect(report.skipped).toEqual([
      { path: 'notes.md', reason: 'unsupported', detail: 'not a JavaScript or TypeScript file' },
      { path: 'vendor/lib.js', reason: 'vendored', detail: 'inside vendor/' },
    ]);
    expect(stderr).toBe(
      'beast: warning: notes.md skipped (unsupported): not a JavaScript or TypeScript file\n' +
        'beast: warning: vendor/lib.js skipped (vendored): inside vendor/\n',
    );
  });

  it('reports a named file git ignores as skipped, naming the ignore rule', async () => {
    const ignored = await makeRepo({ '.gitignore': 'dist/\n', 'a.ts': CLEAN });
    await mkdir(path.join(ignored, 'dist'));
    await writeFile(path.join(ignored, 'dist', 'out.js'), CLEAN);
    const { code, report, stderr } = scanJson(ignored, ['dist/out.js', 'a.ts']);
    expect(code).toBe(0);
    expect(paths(report)).toEqual(['a.ts']);
    expect(report.skipped).toEqual([
      { path: 'dist/out.js', reason: 'ignored', detail: 'ignored by git (.gitignore:1: dist/)' },
    ]);
    expect(stderr).toBe(
      'beast: warning: dist/out.js skipped (ignored): ignored by git (.gitignore:1: dist/)\n',
    );
  });

  it('gates and scores the named files only, and says the score is theirs', () => {
    expect(run(dir, ['scan', 'src/clean.ts', '--quiet', '--fail-on', 'blocker']).code).toBe(0);
    const broken = run(dir, [
      'scan',
      'src/broken.ts',
      'src/clean.ts',
      '--quiet',
      '--fail-on',
      'blocker',
    ]);
    expect(broken.code).toBe(1);
    expect(broken.stdout).toContain(
      "Scope      2 files chosen: the score and the gate are theirs, not the repository's\n",
    );
    const clean = scanJson(dir, ['src/clean.ts']).report;
    expect(clean.score.score).toBe(100);
    expect(whole.score.score).toBeLessThan(100);
  });

  it('never records a partial scan as the repository latest scan', async () => {
    const repo = await makeRepo({ 'a.ts': CLEAN, 'b.ts': 'export const b: any = 1;\n' });
    const db = path.join(await mkdtemp(path.join(tmpdir(), 'beast-db-')), 'beast.db');
    expect(run(repo, ['scan', '.', '--quiet', '--db', db]).code).toBe(0);
    expect(run(repo, ['scan', 'a.ts', '--quiet', '--db', db]).code).toBe(0);
    expect(run(repo, ['scan', 'a.ts', 'b.ts', '--quiet', '--db', db]).code).toBe(0);
    const status = run(repo, ['status', '.', '--json', '--db', db]);
    const parsed = JSON.parse(status.stdout) as { scan: { id: number; files: number } };
    expect(parsed.scan).toMatchObject({ id: 1, files: 2 });
  });
});

describe('beast scan --stdin --stdin-filename', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await makeRepo(FILES);
  });

  it('analyses stdin as the named file, with its clones and cycles, leaving the file unchanged', async () => {
    const { code, report } = scanJson(
      dir,
      ['--stdin', '--stdin-filename', 'src/clean.ts'],
      `${loop('third')}debugger;\n`,
    );
    expect(code).toBe(0);
    expect(paths(report)).toEqual(['src/clean.ts']);
    expect(found(report)).toEqual([
      'src/clean.ts:2 duplicated-code',
      'src/clean.ts:15 no-debugger',
    ]);
    expect(report.selection).toEqual({ by: 'stdin', named: ['src/clean.ts'] });
    expect(await readFile(path.join(dir, 'src/clean.ts'), 'utf8')).toBe(CLEAN);
  });

  it('reports unparsable stdin as a parse error, as a file would be', () => {
    const { code, report } = scanJson(
      dir,
      ['--stdin', '--stdin-filename', 'src/new/fresh.ts', '--fail-on', 'blocker'],
      'export function (\n',
    );
    expect(code).toBe(1);
    expect(found(report)).toEqual(['src/new/fresh.ts:1 parse-error']);
  });

  it('picks the language by the file name: type annotations parse as .ts, not as .js', () => {
    const source = 'export const n: number = 1;\n';
    expect(
      found(scanJson(dir, ['--stdin', '--stdin-filename', 'src/n.ts'], source).report),
    ).toEqual([]);
    expect(
      found(scanJson(dir, ['--stdin', '--stdin-filename', 'src/n.js'], source).report),
    ).toEqual(['src/n.js:1 parse-error']);
  });

  it('writes nothing to the store', async () => {
    const db = path.join(await mkdtemp(path.join(tmpdir(), 'beast-db-')), 'beast.db');
    expect(run(dir, ['scan', '.', '--quiet', '--db', db]).code).toBe(0);
    const before = createHash('sha256')
      .update(await readFile(db))
      .digest('hex');
    const result = run(
      dir,
      ['scan', '--stdin', '--stdin-filename', 'src/a.ts', '--quiet', '--db', db],
      'export const changed = 2;\n',
    );
    expect(result.code).toBe(0);
    expect(
      createHash('sha256')
        .update(await readFile(db))
        .digest('hex'),
    ).toBe(before);
  });

  it('is a one-line usage error without --stdin-filename, or with paths', () => {
    expect(run(dir, ['scan', '--stdin'], CLEAN)).toEqual({
      code: 2,
      stdout: '',
      stderr: 'beast: --stdin needs --stdin-filename <path>: the file the source is analysed as\n',
    });
    expect(run(dir, ['scan', '--stdin', '--stdin-filename', 'a.ts', 'src'], CLEAN)).toEqual({
      code: 2,
      stdout: '',
      stderr: 'beast: --stdin takes no paths and no --changed\n',
    });
    expect(run(dir, ['scan', '--stdin-filename', 'a.ts'])).toEqual({
      code: 2,
      stdout: '',
      stderr: 'beast: --stdin-filename needs --stdin\n',
    });
  });
});

describe('beast scan --changed', () => {
  it('scans staged, unstaged and untracked files, not ignored or deleted ones', async () => {
    const dir = await makeRepo({
      '.gitignore': 'ignored.ts\n',
      'staged.ts': CLEAN,
      'unstaged.ts': CLEAN,
      'same.ts': CLEAN,
      'deleted.ts': CLEAN,
      'README.md': '# r\n',
    });
    await writeFile(path.join(dir, 'staged.ts'), 'export const s: any = 1;\n');
    git(dir, 'add', 'staged.ts');
    await writeFile(path.join(dir, 'unstaged.ts'), 'export const u = 2;\n');
    await writeFile(path.join(dir, 'untracked.ts'), CLEAN);
    await writeFile(path.join(dir, 'ignored.ts'), CLEAN);
    await rm(path.join(dir, 'deleted.ts'));
    const { code, report } = scanJson(dir, ['--changed']);
    expect(code).toBe(0);
    expect(paths(report)).toEqual(['staged.ts', 'unstaged.ts', 'untracked.ts']);
    expect(found(report)).toEqual(['staged.ts:1 no-explicit-any']);
    expect(report.selection).toEqual({ by: 'changed', named: [] });
  });

  it('keeps to the folder it runs in, and takes every file before the first commit', async () => {
    const dir = await makeRepo({ 'lib/a.ts': CLEAN, 'src/b.ts': CLEAN });
    await writeFile(path.join(dir, 'lib', 'a.ts'), 'export const a = 2;\n');
    await writeFile(path.join(dir, 'src', 'b.ts'), 'export const b = 2;\n');
    expect(paths(scanJson(path.join(dir, 'src'), ['--changed']).report)).toEqual(['src/b.ts']);
    const fresh = await mkdtemp(path.join(tmpdir(), 'beast-fresh-'));
    git(fresh, 'init', '-q', '-b', 'main');
    await writeFile(path.join(fresh, 'new.ts'), CLEAN);
    expect(paths(scanJson(fresh, ['--changed']).report)).toEqual(['new.ts']);
  });

  it('says so and exits 0 when no source file changed', async () => {
    const dir = await makeRepo({ 'a.ts': CLEAN, 'README.md': '# r\n' });
    expect(run(dir, ['scan', '--changed'])).toEqual({
      code: 0,
      stdout: '',
      stderr: 'beast: no changed files\n',
    });
    await writeFile(path.join(dir, 'README.md'), '# changed\n');
    expect(run(dir, ['scan', '--changed']).stderr).toBe('beast: no changed files\n');
  });
});
