import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, readlink, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { OUR_NODE_MODULES } from '../src/fixes/gate/testing.js';
import type { TestGenReport } from '../src/pipeline/index.js';
import {
  getTestGenRun,
  listTestGenRuns,
  openStore,
  type TestGenRunDetail,
} from '../src/store/index.js';
import { beast, beastAsync, git, makeRepo } from './helpers/repo.js';

/*
 * `beast tests` as a user runs it: the built CLI on small repositories with real git and the real
 * vitest in this project's node_modules (linked into each fixture, as a user's own would be).
 */

const temps: string[] = [];
afterAll(async () => {
  await Promise.all(temps.map((dir) => rm(dir, { recursive: true, force: true })));
});

const PACKAGE = JSON.stringify(
  {
    name: 'calc',
    private: true,
    type: 'module',
    scripts: { test: 'vitest run' },
    devDependencies: { vitest: '*', '@vitest/coverage-v8': '*', typescript: '*' },
  },
  null,
  2,
);

const TSCONFIG = JSON.stringify({
  compilerOptions: {
    target: 'ES2022',
    module: 'ESNext',
    moduleResolution: 'Bundler',
    strict: true,
    noEmit: true,
    skipLibCheck: true,
  },
  include: ['src'],
});

/** `add` is tested; `clamp` is not: its three branches are what a generated test can cover. */
const MATH = `export function add(a: number, b: number): number {
  return a + b;
}

export function clamp(value: number, low: number, high: number): number {
  if (value < low) {
    return low;
  }
  if (value > high) {
    return high;
  }
  return value;
}
`;

const MATH_TEST = `import { describe, expect, it } from 'vitest';
import { add } from './math';

describe('add', () => {
  it('adds two numbers', () => {
    expect(add(2, 3)).toBe(5);
  });
});
`;

async function repo(files: Record<string, string>): Promise<string> {
  const dir = await makeRepo({ '.gitignore': 'node_modules\ncoverage\n', ...files });
  temps.push(dir);
  await symlink(OUR_NODE_MODULES, path.join(dir, 'node_modules'), 'dir');
  return dir;
}

async function vitestRepo(test = MATH_TEST): Promise<string> {
  return repo({
    'package.json': PACKAGE,
    'tsconfig.json': TSCONFIG,
    'src/math.ts': MATH,
    'src/math.test.ts': test,
  });
}

async function dbFile(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'beast-tests-state-'));
  temps.push(dir);
  return path.join(dir, 'beast.db');
}

/** Every file of the working tree (not .git) with its hash, plus git's view of the user's state. */
async function userState(dir: string): Promise<string> {
  const entries: string[] = [];
  const walk = async (at: string): Promise<void> => {
    for (const entry of await readdir(at, { withFileTypes: true })) {
      if (entry.name === '.git') continue;
      const full = path.join(at, entry.name);
      if (entry.isSymbolicLink())
        entries.push(`${path.relative(dir, full)} -> ${await readlink(full)}`);
      else if (entry.isDirectory()) await walk(full);
      else {
        const hash = createHash('sha256')
          .update(await readFile(full))
          .digest('hex');
        entries.push(`${path.relative(dir, full)} ${hash}`);
      }
    }
  };
  await walk(dir);
  return [
    ...entries.sort(),
    git(dir, 'status', '--porcelain=v2', '--branch', '--untracked-files=all'),
    git(dir, 'stash', 'list'),
    git(dir, 'diff', '--cached'),
    git(dir, 'rev-parse', 'HEAD'),
    git(dir, 'symbolic-ref', 'HEAD'),
  ].join('\n');
}

function beastBranches(dir: string): string[] {
  return git(dir, 'branch', '--list', 'beast/*', '--format=%(refname:short)')
    .split('\n')
    .filter(Boolean);
}

function pct(c: { covered: number; total: number }): number {
  return c.total === 0 ? 1 : c.covered / c.total;
}

describe('beast tests', { timeout: 20 * 60_000 }, () => {
  it('delivers a branch with a kept test that raises coverage, leaving the working tree alone', async () => {
    const dir = await vitestRepo();
    // Uncommitted work of the user's: an edit and a new file, both left exactly as they are.
    await writeFile(path.join(dir, 'src/math.test.ts'), `${MATH_TEST}// my edit\n`);
    await writeFile(path.join(dir, 'notes.txt'), 'mine\n');
    const before = await userState(dir);
    const db = await dbFile();
    const result = await beastAsync(['tests', '--json', '--db', db], { cwd: dir });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout) as TestGenReport;
    expect(report.status).toBe('delivered');
    expect(report.runner).toMatch(/vitest/);
    expect(report.files.map((f) => f.file)).toEqual(['src/math.ts']);
    expect(pct(report.after.lines)).toBeGreaterThan(pct(report.before.lines));
    const file = report.files[0]!;
    expect(pct(file.after!.lines)).toBeGreaterThan(pct(file.before!.lines));
    expect(report.funnel.kept).toBeGreaterThan(0);
    expect(report.funnel.generated).toBeGreaterThanOrEqual(report.funnel.kept);
    const kept = report.verdicts.filter((v) => v.kept);
    expect(kept.length).toBe(1);
    expect(kept[0]!.target).toBe('src/math.ts');
    expect(kept[0]!.model).toBe('builtin:testgen');
    expect(report.warnings[0]).toMatch(/uncommitted changes; they were left alone/);

    // The branch: one commit on top of HEAD, adding the kept file with its evidence.
    expect(report.branch).toMatch(/^beast\/tests-\d{8}-[0-9a-f]{6}$/);
    expect(beastBranches(dir)).toEqual([report.branch]);
    const head = git(dir, 'rev-parse', 'HEAD').trim();
    expect(report.base).toBe(head);
    expect(git(dir, 'rev-parse', report.branch!).trim()).toBe(report.head);
    expect(git(dir, 'rev-list', '--count', `${head}..${report.branch!}`).trim()).toBe('1');
    const added = git(dir, 'diff', '--name-status', head, report.branch!).trim();
    expect(added).toBe(`A\t${kept[0]!.file}`);
    expect(git(dir, 'show', `${report.branch!}:${kept[0]!.file}`)).toBe(kept[0]!.content);
    const message = git(dir, 'log', '-1', '--format=%B', report.branch!);
    expect(message).toContain('test: cover src/math.ts (builtin:testgen)');
    expect(message).toMatch(/Coverage of the target: lines [\d.]+% → [\d.]+% \(\+[\d.]+\)/);
    expect(message).toContain('Validated by beast tests');

    expect(await userState(dir)).toBe(before);

    // Stored: one run with the totals, and the report without the files' text.
    const store = await openStore(db);
    try {
      const runs = await listTestGenRuns(store, dir);
      expect(runs.map((r) => [r.status, r.branch, r.filesKept])).toEqual([
        ['delivered', report.branch, 1],
      ]);
      expect(runs[0]!.coverageAfter).toEqual(report.after);
      const stored: TestGenRunDetail | undefined = await getTestGenRun(store, runs[0]!.id);
      expect(JSON.stringify(stored?.report)).not.toContain(kept[0]!.content!.trim().slice(0, 40));
    } finally {
      await store.close();
    }
    const status = beast(['status', '--db', db], { cwd: dir });
    expect(status.code).toBe(0);
    expect(status.stdout).toMatch(/coverage lines [\d.]+% → [\d.]+% \(\+[\d.]+\)/);
  });

  it('--dry-run prints the kept file and keeps no branch', async () => {
    const dir = await vitestRepo();
    const before = await userState(dir);
    const result = await beastAsync(['tests', 'src/math.ts', '--dry-run', '--no-store', '-q'], {
      cwd: dir,
    });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^beast tests: dry-run\n/);
    expect(result.stdout).toMatch(
      /funnel {3}generated \d+ → built \d+ → passed \d+ → stable \d+ → useful \d+ → kept [1-9]/,
    );
    expect(result.stdout).toMatch(
      /--- src\/math\.[\w.]*test\.ts \(would be committed; dry run\)\n.*clamp/s,
    );
    expect(beastBranches(dir)).toEqual([]);
    expect(await userState(dir)).toBe(before);
  });

  it('starts from 0% in a repository whose suite holds no test yet', async () => {
    const dir = await repo({
      'package.json': PACKAGE,
      'tsconfig.json': TSCONFIG,
      'src/math.ts': MATH,
    });
    const result = await beastAsync(['tests', '--json', '--no-store'], { cwd: dir });
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout) as TestGenReport;
    expect(report.status).toBe('delivered');
    expect(report.coverageHow).toMatch(/ran no test, so every file counts as uncovered/);
    const math = report.files.find((f) => f.file === 'src/math.ts')!;
    expect(math.before!.lines.covered).toBe(0);
    expect(math.before!.lines.total).toBeGreaterThan(0);
    expect(math.after!.lines.covered).toBeGreaterThan(0);
  });

  it('formats the kept test as the repository formats its code (Prettier here)', async () => {
    const config = { printWidth: 60, singleQuote: true, semi: false };
    const dir = await repo({
      'package.json': PACKAGE,
      'tsconfig.json': TSCONFIG,
      '.prettierrc': JSON.stringify(config),
      'src/math.ts': MATH,
      'src/math.test.ts': MATH_TEST,
    });
    const result = await beastAsync(['tests', 'src/math.ts', '--dry-run', '--json', '--no-store'], {
      cwd: dir,
    });
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout) as TestGenReport;
    const kept = report.verdicts.filter((v) => v.kept);
    expect(kept).toHaveLength(1);
    const content = kept[0]!.content!;
    const prettier = await import('prettier');
    expect(
      await prettier.format(content, { ...config, filepath: path.join(dir, kept[0]!.file) }),
    ).toBe(content);
    expect(content).not.toMatch(/;\n/);
  });

  it('keeps nothing, exit 0 and no branch, when every file is at the target already', async () => {
    const full = MATH_TEST.replace(
      '    expect(add(2, 3)).toBe(5);',
      '    expect(add(2, 3)).toBe(5);\n    expect([clamp(-1, 0, 3), clamp(5, 0, 3), clamp(2, 0, 3)]).toEqual([0, 3, 2]);',
    ).replace('import { add }', 'import { add, clamp }');
    const dir = await vitestRepo(full);
    const db = await dbFile();
    const result = await beastAsync(['tests', '--json', '--db', db], { cwd: dir });
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout) as TestGenReport;
    expect(report.status).toBe('nothing-kept');
    expect(report.before.lines).toEqual({ covered: report.before.lines.total, total: 6 });
    expect(report.after).toEqual(report.before);
    expect(report.files).toEqual([]);
    expect(report.warnings).toContain('no source file under the line-coverage target of 80%');
    expect(beastBranches(dir)).toEqual([]);
    const store = await openStore(db);
    try {
      expect((await listTestGenRuns(store, dir)).map((r) => r.status)).toEqual(['nothing-kept']);
    } finally {
      await store.close();
    }
    // `beast status` shows the newest measured run even with no scan recorded.
    const status = beast(['status', '--db', db], { cwd: dir });
    expect(status.code).toBe(0);
    expect(status.stdout).toContain(
      'coverage lines 100.0% → 100.0% (+0.0), branches 100.0% → 100.0% (+0.0)  (beast tests ',
    );
    expect(status.stdout).toContain(': nothing-kept)');
  });

  it('is not-run, with the reason and exit 1, in a repository with no test runner', async () => {
    const dir = await repo({
      'package.json': JSON.stringify({ name: 'plain', version: '1.0.0' }),
      'src/index.js': 'export const one = () => 1;\n',
    });
    const result = await beastAsync(['tests', '--json', '--no-store'], { cwd: dir });
    expect(result.code).toBe(1);
    const report = JSON.parse(result.stdout) as TestGenReport;
    expect(report.status).toBe('not-run');
    expect(report.reason).toMatch(/^no test runner: /);
    expect(report.branch).toBeUndefined();
    expect(beastBranches(dir)).toEqual([]);
    const human = await beastAsync(['tests', '--no-store', '-q'], { cwd: dir });
    expect(human.stdout.split('\n')[0]).toBe(`beast tests: not-run: ${report.reason}`);
  });

  it('is not-run when the suite already fails on HEAD', async () => {
    const failing = MATH_TEST.replace('toBe(5)', 'toBe(6)');
    const dir = await vitestRepo(failing);
    const result = await beastAsync(['tests', '--json', '--no-store'], { cwd: dir });
    expect(result.code).toBe(1);
    const report = JSON.parse(result.stdout) as TestGenReport;
    expect(report.status).toBe('not-run');
    expect(report.reason).toMatch(/the test suite fails on HEAD \(1 failing: .*adds two numbers/);
    expect(beastBranches(dir)).toEqual([]);
  });

  it.each([
    [['--target', '2'], 'beast: --target: expected a line coverage between 0 and 1 (0.8), got "2"'],
    [['--target', 'x'], 'beast: --target: expected a line coverage between 0 and 1 (0.8), got "x"'],
    [['--max-files', '0'], 'beast: --max-files: expected a whole number of at least 1, got "0"'],
    [['--attempts', '1.5'], 'beast: --attempts: expected a whole number of at least 1, got "1.5"'],
    [['--timeout', 'soon'], 'beast: --timeout: expected a whole number of at least 1, got "soon"'],
    [['nowhere.ts'], 'beast: no such file or folder: nowhere.ts'],
    [
      ['--model', 'builtin:nope'],
      /^beast: unknown model "builtin:nope"; available: .*builtin:testgen/,
    ],
    [['--bogus'], "error: unknown option '--bogus'"],
  ])('rejects %j with one line and exit 2', async (args, line) => {
    const dir = await repo({ 'package.json': PACKAGE, 'src/math.ts': MATH });
    const result = beast(['tests', ...args, '--no-store'], { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    const first = result.stderr.split('\n')[0]!;
    if (typeof line === 'string') expect(first).toBe(line);
    else expect(first).toMatch(line);
    // Commander adds its usage hint after its own errors; ours are the one line.
    if (!args.includes('--bogus')) expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(beastBranches(dir)).toEqual([]);
  });
});
