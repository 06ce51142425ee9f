import { describe, expect, it } from 'vitest';
import type { CoverageRun, FileCoverage } from '../../fixes/index.js';
import { chooseTargets, freeTestPath, isConfigFile } from './targets.js';

function file(name: string, covered: number, total: number): FileCoverage {
  const c = { covered, total };
  return {
    file: name,
    statements: c,
    branches: { covered: 0, total: 0 },
    functions: { covered: 0, total: 0 },
    lines: c,
    uncoveredLines: Array.from({ length: total - covered }, (_, i) => i + 1),
    uncoveredFunctions: [],
    uncoveredBranches: [],
  };
}

function run(...files: FileCoverage[]): CoverageRun {
  const zero = { covered: 0, total: 0 };
  return {
    status: 'measured',
    how: 'test',
    files: Object.fromEntries(files.map((f) => [f.file, f])),
    totals: { statements: zero, branches: zero, functions: zero, lines: zero },
    run: undefined,
  };
}

const coverage = run(
  file('src/a.ts', 9, 10),
  file('src/b.ts', 2, 10),
  file('src/c.ts', 5, 20),
  file('src/lib/d.ts', 0, 4),
  file('src/types.ts', 0, 0),
);
const sources = ['src/a.ts', 'src/b.ts', 'src/c.ts', 'src/lib/d.ts', 'src/types.ts', 'src/e.ts'];
const base = { sources, paths: [], coverage, target: 0.8, maxFiles: 10 };

describe('chooseTargets', () => {
  it('picks files under the target, most uncovered lines first', () => {
    const { targets, skipped } = chooseTargets(base);
    expect(targets.map((t) => [t.file, t.uncovered])).toEqual([
      ['src/c.ts', 15],
      ['src/b.ts', 8],
      ['src/lib/d.ts', 4],
    ]);
    expect(skipped).toEqual(['1 source file(s) with no coverage measured left alone']);
  });

  it('stops at maxFiles and says how many were left', () => {
    const { targets, skipped } = chooseTargets({ ...base, maxFiles: 1 });
    expect(targets.map((t) => t.file)).toEqual(['src/c.ts']);
    expect(skipped).toContain(
      '2 more file(s) under the target left for a later run (--max-files 1)',
    );
  });

  it('expands named folders, keeps named unmeasured files, and says why one is left alone', () => {
    const { targets, skipped } = chooseTargets({
      ...base,
      paths: ['src/lib/', 'src/e.ts', 'src/a.ts'],
    });
    expect(targets.map((t) => t.file)).toEqual(['src/e.ts', 'src/lib/d.ts']);
    expect(skipped).toEqual([
      'src/a.ts: line coverage 90.0% is already at or above the target 80.0%',
    ]);
  });

  it.each([
    ['missing.ts', /missing\.ts: no source file to test there/],
    ['../x.ts', /outside the repository/],
    ['vitest.config.ts', /no source file to test there/],
  ])('rejects %s', (named, error) => {
    expect(() =>
      chooseTargets({ ...base, sources: [...sources, 'vitest.config.ts'], paths: [named] }),
    ).toThrow(error);
  });

  it('takes nothing at a target of 0', () => {
    expect(chooseTargets({ ...base, target: 0 }).targets).toEqual([]);
  });
});

describe('isConfigFile', () => {
  it.each([
    ['vitest.config.ts', true],
    ['packages/a/jest.config.cjs', true],
    ['.eslintrc.js', true],
    ['src/types.d.ts', true],
    ['src/config.ts', false],
    ['src/index.ts', false],
  ])('%s: %s', (name, expected) => {
    expect(isConfigFile(name)).toBe(expected);
  });
});

describe('freeTestPath', () => {
  const style = { infix: '.test', extension: '.ts' };
  it('keeps a free path and otherwise inserts .beast before the infix', () => {
    expect(freeTestPath('src/a.test.ts', style, () => false)).toBe('src/a.test.ts');
    const taken = new Set(['src/a.test.ts', 'src/a.beast.test.ts']);
    expect(freeTestPath('src/a.test.ts', style, (f) => taken.has(f))).toBe('src/a.beast-2.test.ts');
    expect(
      freeTestPath('test/a.js', { infix: '', extension: '.js' }, (f) => f === 'test/a.js'),
    ).toBe('test/a.beast.js');
  });
});
