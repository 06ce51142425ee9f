import { afterEach, describe, expect, it } from 'vitest';
import { detectTestRunner } from './detect-tests.js';
import { createFixture, type Fixture } from './testing.js';
import { detectTestStyle, importSpecifier, testPathFor, type TestStyle } from './test-style.js';

let fixture: Fixture | undefined;
afterEach(async () => {
  await fixture?.remove();
  fixture = undefined;
});

async function styleOf(files: Record<string, string | object>): Promise<TestStyle | undefined> {
  fixture = await createFixture(files);
  const detected = await detectTestRunner(fixture.root);
  if (!('runner' in detected)) throw new Error(detected.reason);
  return detectTestStyle(fixture.root, detected.runner);
}

const NODE_NEXT = { compilerOptions: { module: 'NodeNext', moduleResolution: 'NodeNext' } };

describe('detectTestStyle', () => {
  it('reads .spec files beside their sources importing with NodeNext .js', async () => {
    const style = await styleOf({
      'package.json': { type: 'module', scripts: { test: 'vitest run' } },
      'tsconfig.json': NODE_NEXT,
      'src/a/b.ts': 'export const b = 1;\n',
      'src/a/b.spec.ts': "import { expect, it } from 'vitest';\nimport { b } from './b.js';\n",
      'src/c.ts': 'export const c = 1;\n',
      'src/c.spec.ts': "import { expect, it } from 'vitest';\nimport { c } from './c.js';\n",
    });
    expect(style).toEqual({
      runner: 'vitest',
      packageDir: '',
      placement: { kind: 'beside' },
      infix: '.spec',
      extension: '.ts',
      module: 'esm',
      importExtension: '.js',
      globals: false,
      assertions: 'expect',
      example: 'src/a/b.spec.ts',
    });
  });

  it('reads a test folder that mirrors src, CommonJS requires and chai under mocha', async () => {
    const style = await styleOf({
      'package.json': { scripts: { test: 'mocha "test/**/*.test.js"' } },
      'src/util/math.js': 'exports.add = (a, b) => a + b;\n',
      'test/util/math.test.js':
        "const { expect } = require('chai');\nconst { add } = require('../../src/util/math');\n",
      'test/fixtures/data.js': 'module.exports = {};\n',
    });
    expect(style).toMatchObject({
      runner: 'mocha',
      placement: { kind: 'folder', dir: 'test', mirror: true, sourceDir: 'src' },
      infix: '.test',
      extension: '.js',
      module: 'cjs',
      importExtension: '',
      globals: true,
      assertions: 'chai',
      example: 'test/util/math.test.js',
    });
  });

  it('reads __tests__ folders in each source folder, and @jest/globals', async () => {
    const style = await styleOf({
      'package.json': { scripts: { test: 'jest' }, devDependencies: { jest: '^30.0.0' } },
      'src/a/x.js': 'exports.x = 1;\n',
      'src/a/__tests__/x.test.js':
        "const { expect, it } = require('@jest/globals');\nconst { x } = require('../x');\n",
      'src/b/y.js': 'exports.y = 1;\n',
      'src/b/__tests__/y.test.js': "const { y } = require('../y');\n",
    });
    expect(style).toMatchObject({
      runner: 'jest',
      placement: { kind: 'folder', dir: '__tests__', nested: true },
      module: 'cjs',
      globals: false,
      assertions: 'expect',
    });
    if (style === undefined) throw new Error('no style');
    expect(testPathFor(style, 'src/c/z.js')).toBe('src/c/__tests__/z.test.js');
  });

  it('takes jest globals when no test imports @jest/globals', async () => {
    const style = await styleOf({
      'package.json': { scripts: { test: 'jest' } },
      'src/x.js': 'exports.x = 1;\n',
      '__tests__/x.test.js': "const { x } = require('../src/x');\n",
    });
    expect(style).toMatchObject({
      placement: { kind: 'folder', dir: '__tests__', mirror: false },
      globals: true,
    });
  });

  it('reads a flat ESM test folder without an infix under node:test', async () => {
    const style = await styleOf({
      'package.json': { type: 'module', scripts: { test: 'node --test test/' } },
      'src/add.js': 'export const add = (a, b) => a + b;\n',
      'test/add.js':
        "import { it } from 'node:test';\nimport assert from 'node:assert/strict';\nimport { add } from '../src/add.js';\n",
    });
    expect(style).toMatchObject({
      runner: 'node:test',
      placement: { kind: 'folder', dir: 'test', mirror: false },
      infix: '',
      extension: '.js',
      module: 'esm',
      importExtension: 'same',
      globals: false,
      assertions: 'node:assert',
    });
  });

  it('keeps .mjs tests as .mjs in a CommonJS package', async () => {
    const style = await styleOf({
      'package.json': { scripts: { test: 'mocha test/*.spec.mjs' } },
      'lib/add.js': 'exports.add = (a, b) => a + b;\n',
      'test/add.spec.mjs': "import assert from 'node:assert';\nimport add from '../lib/add.js';\n",
    });
    expect(style).toMatchObject({
      infix: '.spec',
      extension: '.mjs',
      module: 'esm',
      importExtension: 'same',
      assertions: 'node:assert',
      placement: { kind: 'folder', dir: 'test', mirror: false, sourceDir: 'lib' },
    });
  });

  it('reads vitest globals from its config', async () => {
    const style = await styleOf({
      'package.json': { type: 'module', scripts: { test: 'vitest run' } },
      'vitest.config.ts': 'export default { test: { globals: true } };\n',
      'src/a.ts': 'export const a = 1;\n',
      'src/a.test.ts': "import { a } from './a';\nit('a', () => expect(a).toBe(1));\n",
    });
    expect(style).toMatchObject({ globals: true, importExtension: '', extension: '.ts' });
  });

  it('reads ava', async () => {
    const style = await styleOf({
      'package.json': { type: 'module', scripts: { test: 'ava' } },
      'src/a.js': 'export const a = 1;\n',
      'test/a.test.js': "import test from 'ava';\nimport { a } from '../src/a.js';\n",
    });
    expect(style).toMatchObject({
      runner: 'ava',
      assertions: 'ava',
      globals: false,
      module: 'esm',
      importExtension: 'same',
    });
  });

  it('falls back on the package and tsconfig without any test', async () => {
    const style = await styleOf({
      'package.json': { type: 'module', scripts: { test: 'vitest run' } },
      'tsconfig.json': NODE_NEXT,
      'src/a.ts': 'export const a = 1;\n',
    });
    expect(style).toMatchObject({
      placement: { kind: 'beside' },
      infix: '.test',
      extension: '.ts',
      module: 'esm',
      importExtension: '.js',
      example: undefined,
    });
  });

  it('leaves out the tests of other workspace packages', async () => {
    const style = await styleOf({
      'package.json': { scripts: { test: 'vitest run' } },
      'src/a.js': 'export const a = 1;\n',
      'src/a.test.js': "import { a } from './a.js';\n",
      'packages/p/package.json': { name: 'p' },
      'packages/p/test/p.spec.js': '',
    });
    expect(style).toMatchObject({ placement: { kind: 'beside' }, infix: '.test' });
  });

  it('is undefined when the test script runs no runner we write for', async () => {
    const style = await styleOf({
      'package.json': { scripts: { test: 'make check' } },
    });
    expect(style).toBeUndefined();
  });
});

const BASE: TestStyle = {
  runner: 'vitest',
  packageDir: '',
  placement: { kind: 'beside' },
  infix: '.test',
  extension: '.ts',
  module: 'esm',
  importExtension: '.js',
  globals: false,
  assertions: 'expect',
  example: undefined,
};

describe('testPathFor and importSpecifier', () => {
  const cases: {
    name: string;
    style: Partial<TestStyle>;
    source: string;
    test: string;
    spec: string;
  }[] = [
    {
      name: 'beside, NodeNext',
      style: {},
      source: 'src/a/b.ts',
      test: 'src/a/b.test.ts',
      spec: './b.js',
    },
    {
      name: 'beside without an infix still names a test',
      style: { infix: '' },
      source: 'src/b.ts',
      test: 'src/b.test.ts',
      spec: './b.js',
    },
    {
      name: 'mirrored test folder',
      style: {
        placement: { kind: 'folder', dir: 'test', mirror: true, sourceDir: 'src' },
        importExtension: '',
      },
      source: 'src/a/b.ts',
      test: 'test/a/b.test.ts',
      spec: '../../src/a/b',
    },
    {
      name: 'mirrored without a source folder said: src is taken off',
      style: { placement: { kind: 'folder', dir: 'test', mirror: true }, importExtension: '.ts' },
      source: 'src/a/b.ts',
      test: 'test/a/b.test.ts',
      spec: '../../src/a/b.ts',
    },
    {
      name: 'flat folder in a workspace package',
      style: {
        packageDir: 'packages/p',
        placement: { kind: 'folder', dir: 'test', mirror: false },
        infix: '',
        extension: '.js',
        importExtension: 'same',
      },
      source: 'packages/p/lib/deep/c.js',
      test: 'packages/p/test/c.js',
      spec: '../lib/deep/c.js',
    },
    {
      name: 'mirrored in a workspace package',
      style: {
        packageDir: 'packages/p',
        placement: { kind: 'folder', dir: 'test', mirror: true, sourceDir: 'lib' },
        extension: '.mjs',
        importExtension: 'same',
      },
      source: 'packages/p/lib/deep/c.cjs',
      test: 'packages/p/test/deep/c.test.mjs',
      spec: '../../lib/deep/c.cjs',
    },
    {
      name: 'nested __tests__, .mts to .mjs',
      style: { placement: { kind: 'folder', dir: '__tests__', mirror: false, nested: true } },
      source: 'src/a/b.mts',
      test: 'src/a/__tests__/b.test.ts',
      spec: '../b.mjs',
    },
  ];
  it.each(cases)('$name', ({ style, source, test, spec }) => {
    const full = { ...BASE, ...style };
    expect(testPathFor(full, source)).toBe(test);
    expect(importSpecifier(full, test, source)).toBe(spec);
  });
});
