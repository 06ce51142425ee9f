import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isTestOrToolFile } from './coverage-files.js';
import { ratio, readIstanbulCoverage, sumCoverage } from './coverage.js';
import { zeroCoverage } from './coverage-zero.js';
import { globLiteral } from './runners/coverage-args.js';
import { RUNNERS, type RunContext, type RunnerPart } from './runners/index.js';
import { createFixture } from './testing.js';

const loc = (line: number, column: number, endLine = line, endColumn = column + 10) => ({
  start: { line, column },
  end: { line: endLine, column: endColumn },
});

/**
 * `src/a.js`, by hand: statements on lines 2, 3, 6 and 7 (line 3 and 7 never ran), `add` called
 * once, `sign` never, one `if` on line 2 whose else arm was never taken, one `||` on line 6.
 */
function fileData(path: string) {
  return {
    path,
    statementMap: { '0': loc(2, 2), '1': loc(3, 4), '2': loc(6, 2), '3': loc(7, 2) },
    s: { '0': 3, '1': 0, '2': 1, '3': 0 },
    fnMap: {
      '0': { name: 'add', decl: loc(1, 9, 1, 12), loc: loc(1, 0, 4, 1), line: 1 },
      '1': { name: 'sign', decl: loc(5, 9, 5, 13), loc: loc(5, 0, 8, 1), line: 5 },
    },
    f: { '0': 3, '1': 0 },
    branchMap: {
      '0': { type: 'if', line: 2, loc: loc(2, 2), locations: [loc(2, 2), loc(2, 2)] },
      '1': { type: 'binary-expr', line: 6, loc: loc(6, 9), locations: [loc(6, 9), loc(6, 14)] },
    },
    b: { '0': [3, 0], '1': [0, 0] },
  };
}

describe('readIstanbulCoverage', () => {
  const root = '/repo';
  const json = {
    '/repo/src/a.js': fileData('/repo/src/a.js'),
    '/repo/src/a.test.js': fileData('/repo/src/a.test.js'),
    '/repo/test/helper.js': fileData('/repo/test/helper.js'),
    '/repo/node_modules/dep/index.js': fileData('/repo/node_modules/dep/index.js'),
    '/elsewhere/b.js': fileData('/elsewhere/b.js'),
  };

  it('counts the four measures and lists what never ran', () => {
    const files = readIstanbulCoverage(json, root);
    expect(Object.keys(files)).toEqual(['src/a.js']);
    expect(files['src/a.js']).toEqual({
      file: 'src/a.js',
      statements: { covered: 2, total: 4 },
      branches: { covered: 1, total: 4 },
      functions: { covered: 1, total: 2 },
      lines: { covered: 2, total: 4 },
      uncoveredLines: [3, 7],
      uncoveredFunctions: [{ name: 'sign', line: 5 }],
      uncoveredBranches: [
        { line: 2, type: 'if', arm: 1 },
        { line: 6, type: 'binary-expr', arm: 0 },
        { line: 6, type: 'binary-expr', arm: 1 },
      ],
    });
  });

  it('sums files, and a ratio of nothing to cover is 1', () => {
    const files = readIstanbulCoverage(json, root);
    const totals = sumCoverage([files['src/a.js']!, files['src/a.js']!]);
    expect(totals.statements).toEqual({ covered: 4, total: 8 });
    expect(ratio(totals.branches)).toBe(0.25);
    expect(ratio({ covered: 0, total: 0 })).toBe(1);
  });

  it('rejects what is not Istanbul data with a one-line error', () => {
    expect(() => readIstanbulCoverage([], root)).toThrow(/expected an object keyed by file path/);
    expect(() => readIstanbulCoverage({ '/repo/x.js': { path: '/repo/x.js' } }, root)).toThrow(
      /coverage report: not Istanbul coverage data/,
    );
  });
});

describe('isTestOrToolFile', () => {
  it.each([
    ['src/a.test.ts', true],
    ['src/a.spec.js', true],
    ['test/helpers.js', true],
    ['packages/a/__tests__/x.js', true],
    ['vitest.config.ts', true],
    ['src/types.d.ts', true],
    ['test.js', true],
    ['src/test.js', false],
    ['src/testing.js', false],
    ['lib/index.cjs', false],
  ])('%s: %s', (file, expected) => {
    expect(isTestOrToolFile(file)).toBe(expected);
  });
});

describe('zeroCoverage', () => {
  it('counts every line and function of a file no test loaded as uncovered, TypeScript through a source map', async () => {
    const fixture = await createFixture(
      {
        'src/a.js':
          'export function add(a, b) {\n  return a + b;\n}\n\nexport const twice = (n) => n * 2;\n',
        'src/b.ts':
          'interface P { n: number }\n\nexport function half(p: P): number {\n  return p.n / 2;\n}\n',
      },
      { nodeModules: false },
    );
    try {
      const a = readIstanbulCoverage(await zeroCoverage(fixture.root, 'src/a.js'), fixture.root)[
        'src/a.js'
      ];
      expect(a?.functions).toEqual({ covered: 0, total: 2 });
      expect(a?.uncoveredFunctions).toEqual([
        { name: 'add', line: 1 },
        { name: 'twice', line: 5 },
      ]);
      expect(a?.lines).toEqual({ covered: 0, total: 5 });
      const b = readIstanbulCoverage(await zeroCoverage(fixture.root, 'src/b.ts'), fixture.root)[
        'src/b.ts'
      ];
      expect(b?.uncoveredFunctions).toEqual([{ name: 'half', line: 3 }]);
      expect(b?.statements.covered).toBe(0);
      expect(b?.statements.total).toBeGreaterThan(0);
      expect(await zeroCoverage(fixture.root, 'src/missing.js')).toBeUndefined();
    } finally {
      await fixture.remove();
    }
  });
});

describe('the runners’ coverage and shuffle arguments', () => {
  const part = (name: RunnerPart['name']): RunnerPart => ({
    kind: 'runner',
    name,
    dir: '',
    via: ['test'],
    supportsRelated: RUNNERS[name].supportsRelated,
    source: 'script',
    bin: undefined,
    nodeArgs: [],
    options: [],
    positionals: [],
    env: {},
  });
  const context: RunContext = {
    cwd: '/repo',
    dir: '/scratch',
    related: undefined,
    coverage: { dir: '/cov', include: ['src/[id].js'] },
    shuffle: true,
  };

  it('vitest: v8 as Istanbul JSON, on failure too, thresholds off, include as literal globs, shuffled', async () => {
    const { args } = await RUNNERS.vitest.invocation(part('vitest'), context);
    expect(args).toEqual(
      expect.arrayContaining([
        '--coverage.enabled=true',
        '--coverage.provider=v8',
        '--coverage.reporter=json',
        '--coverage.reportsDirectory=/cov',
        '--coverage.reportOnFailure=true',
        '--coverage.thresholds.lines=0',
        '--coverage.include=src/\\[id\\].js',
        '--sequence.shuffle',
      ]),
    );
    const custom = await RUNNERS.vitest.invocation(part('vitest'), {
      ...context,
      coverage: { dir: '/cov', providerModule: '/tmp/p/index.js' },
    });
    expect(custom.args).toEqual(
      expect.arrayContaining([
        '--coverage.provider=custom',
        '--coverage.customProviderModule=/tmp/p/index.js',
      ]),
    );
    const plain = await RUNNERS.vitest.invocation(part('vitest'), {
      ...context,
      coverage: undefined,
      shuffle: false,
    });
    expect(plain.args.join(' ')).not.toMatch(/coverage|shuffle/);
  });

  it('jest: its own coverage as Istanbul JSON, thresholds off, include as collectCoverageFrom, randomized', async () => {
    const { args } = await RUNNERS.jest.invocation(part('jest'), context);
    expect(args).toEqual(
      expect.arrayContaining([
        '--coverage',
        '--coverageReporters=json',
        '--coverageDirectory=/cov',
        '--coverageThreshold={}',
        '--collectCoverageFrom=src/\\[id\\].js',
        '--randomize',
      ]),
    );
  });

  it.each(['mocha', 'ava', 'node:test'] as const)(
    '%s: no arguments (NODE_V8_COVERAGE does it), and no shuffle',
    async (name) => {
      expect(RUNNERS[name]).toMatchObject({ coverage: 'node-v8', shuffle: false });
      const dir = await mkdtemp(join(tmpdir(), 'beast-args-'));
      try {
        const { args } = await RUNNERS[name].invocation(part(name), { ...context, dir });
        expect(args.join(' ')).not.toMatch(/coverage|shuffle|random/);
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    },
  );

  it('escapes glob characters', () => {
    expect(globLiteral('app/(auth)/[id]/page.tsx')).toBe('app/\\(auth\\)/\\[id\\]/page.tsx');
    expect(globLiteral('src/plain.ts')).toBe('src/plain.ts');
  });
});
