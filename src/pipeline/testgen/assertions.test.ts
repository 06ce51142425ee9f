import { describe, expect, it } from 'vitest';
import { checkAssertions, importsTarget } from './assertions.js';

const FILE = 'test/add.test.ts';
const TARGET = 'src/add.ts';
const VITEST = "import { expect, it } from 'vitest';\nimport { add } from '../src/add.js';\n";

function check(body: string, header = VITEST) {
  const [only] = checkAssertions(`${header}it('case', () => {\n${body}\n});\n`, FILE, TARGET);
  return only;
}

describe('checkAssertions', () => {
  it.each([
    ['expect(add(1, 2)).toBe(3);'],
    ['expect(3).toEqual(add(1, 2));'],
    ['const sum = add(1, 2);\nexpect(sum).toBe(3);'],
    ['let sum;\nsum = add(1, 2);\nexpect(sum).not.toBe(4);'],
    ['expect(() => add()).toThrow();'],
    ['expect(add(1, 2)).toMatchInlineSnapshot(`3`);'],
  ])('accepts %s', (body) => {
    expect(check(body)).toMatchObject({ ok: true, reason: undefined });
  });

  it.each([
    ['expect(true).toBe(true);', /constants compared with constants/],
    ['const x = 1;\nexpect(x).toBe(1);', /constants compared with constants/],
    ['add(1, 2);', /has no assertion/],
    ['expect(add);', /has no assertion/],
  ])('rejects %s', (body, reason) => {
    const result = check(body);
    expect(result?.ok).toBe(false);
    expect(result?.reason).toMatch(reason);
  });

  it('rejects a snapshot of the whole module', () => {
    const header = "import { expect, it } from 'vitest';\nimport * as mod from '../src/add.js';\n";
    expect(check('expect(mod).toMatchSnapshot();', header)).toMatchObject({
      ok: false,
      reason: 'only snapshots the whole module src/add.ts',
    });
  });

  it('rejects a file that imports nothing from the target', () => {
    const header = "import { expect, it } from 'vitest';\nimport { sub } from '../src/sub.js';\n";
    expect(check('expect(sub(1, 2)).toBe(-1);', header)?.reason).toBe(
      'imports nothing from src/add.ts',
    );
  });

  it.each([
    ["import assert from 'node:assert/strict';", 'assert.equal(add(1, 2), 3);'],
    ["import { strictEqual } from 'node:assert';", 'strictEqual(add(1, 2), 3);'],
    ["import assert from 'node:assert';", 'assert(add(1, 2) === 3);'],
    ["import { expect } from 'chai';", 'expect(add(1, 2)).to.equal(3);'],
  ])('accepts %s %s', (imports, body) => {
    const header = `import { it } from 'node:test';\n${imports}\nimport { add } from '../src/add.js';\n`;
    expect(check(body, header)?.ok).toBe(true);
  });

  it('rejects node:assert comparing constants', () => {
    const header =
      "import { it } from 'node:test';\nimport assert from 'node:assert';\nimport { add } from '../src/add.js';\n";
    expect(check('assert.equal(1, 1);', header)?.ok).toBe(false);
  });

  it("reads AVA's t assertions and CommonJS requires", () => {
    const source = `const test = require('ava');
const { add } = require('../src/add.js');
test('adds', (t) => { t.is(add(1, 2), 3); });
test('constant', (t) => { t.true(true); });
test('plans only', (t) => { t.plan(1); t.pass(); });
`;
    expect(
      checkAssertions(source, 'test/add.test.cjs', TARGET).map((c) => [c.title, c.ok]),
    ).toEqual([
      ['adds', true],
      ['constant', false],
      ['plans only', false],
    ]);
  });
});

describe('importsTarget', () => {
  it.each([
    ['../src/add.js', true],
    ['../src/add', true],
    ['../src/add.ts', true],
    ['../src/adder.js', false],
    ['add', false],
  ])('%s', (specifier, expected) => {
    expect(importsTarget(specifier, FILE, TARGET)).toBe(expected);
  });

  it('resolves a folder to its index', () => {
    expect(importsTarget('../src/lib', FILE, 'src/lib/index.ts')).toBe(true);
  });
});
