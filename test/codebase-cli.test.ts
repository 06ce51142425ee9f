import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { beast, git, makeRepo } from './helpers/repo.js';

const FILES = {
  'src/math.ts': [
    '/** Doubles a number. */',
    'export function double(n: number): number {',
    '  return n * 2;',
    '}',
    '',
  ].join('\n'),
  'src/use.ts':
    "import { double } from './math.js';\n\nexport const quadruple = (n: number) => double(double(n));\n",
  'src/math.test.ts': "import { double } from './math.js';\ndouble(1);\n",
};

let home: string;
let repo: string;
beforeAll(async () => {
  home = await mkdtemp(path.join(tmpdir(), 'beast-index-home-'));
  repo = await makeRepo(FILES);
});
afterAll(async () => {
  await rm(home, { recursive: true, force: true });
  await rm(repo, { recursive: true, force: true });
});

const run = (...args: string[]) => beast(args, { env: { BEAST_HOME: home } });

describe('beast index and beast search (built bin)', () => {
  it('indexes HEAD, reuses it when nothing changed, and finds a function by what its doc says', () => {
    const first = run('index', repo, '--json');
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(JSON.parse(first.stdout)).toMatchObject({
      commit: git(repo, 'rev-parse', 'HEAD').trim(),
      files: 3,
      indexed: 3,
      reused: 0,
      symbols: 2,
      skipped: [],
    });
    const again = run('index', repo);
    expect(again.stdout).toMatch(
      /^indexed [0-9a-f]{10}: 3 files, 2 symbols \(0 parsed, 3 unchanged, 0 removed\) in \d+ ms\n$/,
    );

    const found = run('search', 'doubles a number', repo, '--limit', '1');
    expect(found.code).toBe(0);
    expect(found.stdout.split('\n')).toEqual([
      'src/math.ts:2-4  function  double',
      '    export function double(n: number): number',
      'ranked by bm25+graph (no embedding model configured: ranked by BM25 and the reference graph)',
      '',
    ]);
    const json = JSON.parse(
      run('search', 'quadruple', repo, '--json', '--kind', 'function').stdout,
    );
    expect(json.hits[0]).toMatchObject({
      location: 'src/use.ts:3-3',
      snippet: 'export const quadruple = (n: number) => double(double(n));',
    });
    expect(json.index).toMatchObject({ indexed: 0, reused: 3 });
  });

  it('says in one line, exit 2, when the query or a flag is unusable', () => {
    const stop = run('search', 'the of and', repo);
    expect(stop.code).toBe(2);
    expect(stop.stderr.trim().split('\n')).toHaveLength(1);
    expect(stop.stderr).toMatch(/only common words/);
    const kind = run('search', 'double', repo, '--kind', 'module');
    expect(kind.code).toBe(2);
    expect(kind.stderr).toMatch(/--kind: unknown kind "module"/);
    const missing = run('index', path.join(repo, 'nope'));
    expect(missing.code).toBe(2);
  });

  it('is brought up to date by beast scan', () => {
    git(repo, 'mv', 'src/use.ts', 'src/uses.ts');
    git(repo, 'commit', '-qm', 'rename');
    const scanned = run('scan', repo);
    expect(scanned.stderr).not.toMatch(/codebase index not updated/);
    const stats = JSON.parse(run('search', 'quadruple', repo, '--json').stdout);
    expect(stats.index).toMatchObject({ indexed: 0, removed: 0 });
    expect(stats.hits[0].location).toBe('src/uses.ts:3-3');
  });
});
