import { mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FileKind } from '../core/index.js';
import {
  createFileClassifier,
  kindByConvention,
  loadTestPatterns,
  parseTestPatterns,
} from './file-kind.js';

// Paths as they are in real repositories: unjs/ufo (vitest), sindresorhus/ky (ava, tests in plain
// `test/*.ts` files), and BEAST MODE itself (vitest, tests beside the code and under test/).
const REAL_PATHS: [string, FileKind][] = [
  // ufo
  ['src/parse.ts', 'source'],
  ['src/utils.ts', 'source'],
  ['eslint.config.mjs', 'source'],
  ['test/parse.test.ts', 'test'],
  ['test/types.test-d.ts', 'test'],
  // ky
  ['source/core/Ky.ts', 'source'],
  ['source/utils/merge.ts', 'source'],
  ['test/retry.ts', 'test'],
  ['test/helpers/create-http-test-server.ts', 'test'],
  // BEAST MODE
  ['src/analysis/scan.ts', 'source'],
  ['src/analysis/rules/testing.ts', 'source'],
  ['src/analysis/rules/no-var.test.ts', 'test'],
  ['test/hostile/symlinks.test.ts', 'test'],
  ['test/helpers/repo.ts', 'test'],
  ['test/helpers/improve-fixture.ts', 'test'],
  ['web/src/sse.test.ts', 'test'],
  ['bench/scan.ts', 'bench'],
  ['bench/parse-worker.mjs', 'bench'],
  ['examples/demo-repo/src/cart.js', 'source'],
  ['web/src/main.tsx', 'source'],
  ['vitest.config.ts', 'source'],
];

const CONVENTIONS: [string, FileKind][] = [
  ['src/button.spec.tsx', 'test'],
  ['src/__tests__/button.tsx', 'test'],
  ['apps/api/test/app.e2e-spec.ts', 'test'],
  ['e2e/login.ts', 'test'],
  ['packages/core/tests/a.js', 'test'],
  ['test.js', 'test'],
  ['spec/a.js', 'test'],
  ['src/parser.bench.ts', 'bench'],
  ['benchmarks/sort.js', 'bench'],
  ['src/__mocks__/fs.ts', 'fixture'],
  ['src/__fixtures__/input.js', 'fixture'],
  ['test/fixtures/ts-repo/src/index.ts', 'fixture'],
  ['test/__snapshots__/a.test.ts.snap.js', 'fixture'],
  ['pkg/testdata/x.ts', 'fixture'],
  ['test/fixtures/bench/x.bench.ts', 'fixture'],
  // Names that only look like tests.
  ['src/test-utils/index.ts', 'source'],
  ['src/latest.ts', 'source'],
  ['src/contest/tests-runner.ts', 'source'],
  ['src/test.ts', 'source'],
  ['src/spec/parser.ts', 'source'],
  ['src/protest.test-helpers.ts', 'source'],
];

describe('kindByConvention', () => {
  it.each([...REAL_PATHS, ...CONVENTIONS])('%s is %s', (file, kind) => {
    expect(kindByConvention(file)).toBe(kind);
  });
});

describe('parseTestPatterns', () => {
  it('reads jest, ava and mocha patterns; negations and <rootDir> are handled', () => {
    const patterns = parseTestPatterns(
      {
        jest: { testMatch: ['<rootDir>/src/**/*.check.ts'], testRegex: '/checks/.*\\.ts$' },
        ava: { files: ['./verify/**/*', '!verify/helpers/**'] },
        mocha: { spec: 'specs/**/*.js' },
      },
      { spec: ['qa/*.ts'] },
    );
    expect(patterns).toEqual({
      globs: ['qa/*.ts', 'specs/**/*.js', 'src/**/*.check.ts', 'verify/**/*'],
      regexes: ['/checks/.*\\.ts$'],
    });
  });

  it('ignores what is not the expected shape', () => {
    expect(parseTestPatterns('x', 3)).toEqual({ globs: [], regexes: [] });
    expect(parseTestPatterns({ jest: [], ava: { files: 'x/**' }, mocha: null })).toEqual({
      globs: ['x/**'],
      regexes: [],
    });
  });
});

describe('createFileClassifier', () => {
  it("classifies as test what the runner's config names, on top of the conventions", () => {
    const kindOf = createFileClassifier({
      globs: ['src/**/*.check.ts', 'test/**'],
      regexes: ['/checks/.*\\.ts$', '(unclosed'],
    });
    expect(kindOf('src/a.check.ts')).toBe('test');
    expect(kindOf('lib/checks/b.ts')).toBe('test');
    expect(kindOf('src/a.ts')).toBe('source');
    // Conventions still decide what they recognise: a fixture stays a fixture.
    expect(kindOf('test/fixtures/a.ts')).toBe('fixture');
  });

  it('without patterns is the conventions', () => {
    const kindOf = createFileClassifier();
    for (const [file, kind] of REAL_PATHS) expect(kindOf(file)).toBe(kind);
  });
});

describe('loadTestPatterns', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'beast-kinds-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('reads package.json and .mocharc.json, and nothing when they are missing or broken', async () => {
    expect(await loadTestPatterns(dir)).toEqual({ globs: [], regexes: [] });
    await writeFile(path.join(dir, 'package.json'), '{ not json');
    await writeFile(path.join(dir, '.mocharc.json'), JSON.stringify({ spec: 'qa/**/*.js' }));
    expect(await loadTestPatterns(dir)).toEqual({ globs: ['qa/**/*.js'], regexes: [] });
    await writeFile(
      path.join(dir, 'package.json'),
      JSON.stringify({ jest: { testMatch: ['**/*.check.ts'] } }),
    );
    expect((await loadTestPatterns(dir)).globs).toEqual(['**/*.check.ts', 'qa/**/*.js']);
  });

  it('does not follow a symlinked package.json out of the repository', async () => {
    const outside = await mkdtemp(path.join(tmpdir(), 'beast-kinds-out-'));
    try {
      await writeFile(
        path.join(outside, 'package.json'),
        JSON.stringify({ ava: { files: ['src/**'] } }),
      );
      await symlink(path.join(outside, 'package.json'), path.join(dir, 'package.json'));
      expect(await loadTestPatterns(dir)).toEqual({ globs: [], regexes: [] });
    } finally {
      await rm(outside, { recursive: true, force: true });
    }
  });
});
