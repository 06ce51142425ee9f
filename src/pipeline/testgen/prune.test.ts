import { describe, expect, it } from 'vitest';
import {
  casesOfIds,
  findTestCases,
  idMatchesCase,
  removeOrphanImports,
  removeTestCases,
} from './prune.js';

const VITEST_FILE = `import { describe, expect, it } from 'vitest';
import { add } from '../src/add.js';

describe('add', () => {
  it('adds', () => {
    expect(add(1, 2)).toBe(3);
  });
  it('is flaky', () => {
    expect(Math.random()).toBeLessThan(0.5);
  });
});

it('top level', () => {
  expect(add(0, 0)).toBe(0);
});
`;

describe('findTestCases', () => {
  it('finds cases with their describe path and lines', () => {
    const { cases } = findTestCases(VITEST_FILE, 'test/add.test.ts');
    expect(cases.map((c) => [c.path, c.startLine, c.endLine])).toEqual([
      [['add', 'adds'], 5, 7],
      [['add', 'is flaky'], 8, 10],
      [['top level'], 13, 15],
    ]);
  });

  it.each([
    ["test('a', (t) => { t.is(1, 1); });", ['a']],
    ["test.serial('s', (t) => { t.pass(); });", ['s']],
    ["it.only('o', () => {});", ['o']],
    ['it(`tpl`, () => {});', ['tpl']],
    ["await test('top', async (t) => { await t.test('sub', () => {}); });", ['top']],
    ["it.skip('skipped', () => {});", []],
    ['it(name, () => {});', []],
    ["const x = it('not a statement', () => {});", []],
  ])('%s', (source, titles) => {
    expect(findTestCases(source, 'a.test.mjs').cases.map((c) => c.title)).toEqual(titles);
  });
});

describe('idMatchesCase', () => {
  const testCase = { path: ['add', 'adds'] };
  it.each([
    ['test/add.test.ts > add > adds', true],
    ['test/add.test.ts > add > adds #2', true],
    ['test/add.test.ts > add adds', true], // mocha's full title
    ['add › adds', true], // AVA
    ['test/add.test.ts > add > subtracts', false],
    ['test/add.test.ts > (file)', false],
  ])('%s → %s', (id, expected) => {
    expect(idMatchesCase(id, testCase, 'test/add.test.ts')).toBe(expected);
  });

  it('names the cases of failing ids', () => {
    const { cases } = findTestCases(VITEST_FILE, 'test/add.test.ts');
    const found = casesOfIds(['test/add.test.ts > add > is flaky'], cases, 'test/add.test.ts');
    expect(found.map((c) => c.title)).toEqual(['is flaky']);
  });
});

describe('removeTestCases', () => {
  it('removes a case with its lines and keeps its siblings', () => {
    const out = removeTestCases(VITEST_FILE, 'test/add.test.ts', [{ path: ['add', 'is flaky'] }]);
    expect(out).not.toContain('is flaky');
    expect(out).not.toContain('Math.random');
    expect(findTestCases(out, 'test/add.test.ts').cases.map((c) => c.title)).toEqual([
      'adds',
      'top level',
    ]);
    expect(out).toContain("  it('adds', () => {\n    expect(add(1, 2)).toBe(3);\n  });\n});\n");
  });

  it('removes a describe block left without cases', () => {
    const out = removeTestCases(VITEST_FILE, 'test/add.test.ts', [
      { path: ['add', 'adds'] },
      { path: ['add', 'is flaky'] },
    ]);
    expect(out).not.toContain("describe('add'");
    expect(findTestCases(out, 'test/add.test.ts').cases.map((c) => c.title)).toEqual(['top level']);
  });

  it('removes an AVA case', () => {
    const source =
      "import test from 'ava';\ntest('a', (t) => { t.is(1, 1); });\ntest('b', (t) => { t.is(2, 2); });\n";
    expect(removeTestCases(source, 'test/a.mjs', [{ path: ['a'] }])).toBe(
      "import test from 'ava';\ntest('b', (t) => { t.is(2, 2); });\n",
    );
  });

  it('leaves the text as it is when nothing is removed', () => {
    expect(removeTestCases(VITEST_FILE, 'test/add.test.ts', [])).toBe(VITEST_FILE);
  });
});

describe('removeOrphanImports', () => {
  const source = `import { expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { add, sub, unused } from '../src/math.js';
import test, { only } from 'ava';

it('adds', () => { expect(add(1, 2)).toBe(3); });
it('checks a file', () => { expect(existsSync('x')).toBe(sub(1, 1) === 0); only(); test; });
`;
  const pruned = removeTestCases(source, 'a.test.js', [{ path: ['checks a file'] }]);

  it('drops the imports only the removed cases used, and keeps those unused before', () => {
    expect(removeOrphanImports(source, pruned, 'a.test.js'))
      .toBe(`import { expect, it } from 'vitest';
import { add, unused } from '../src/math.js';
import test from 'ava';

it('adds', () => { expect(add(1, 2)).toBe(3); });
`);
  });

  it('changes nothing when nothing was removed', () => {
    expect(removeOrphanImports(source, source, 'a.test.js')).toBe(source);
  });
});
