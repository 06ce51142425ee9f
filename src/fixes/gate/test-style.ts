import { ValidationError } from '../../core/index.js';
import type { TestRunnerInfo, TestRunnerName } from './test-runner.js';

/**
 * How a repository writes its tests, read from the tests it has: the runner, where test files go
 * and how they are named, the module system, how they import the code, which assertions they use.
 * Generated tests follow it so that they look like the repository's own.
 */
export interface TestStyle {
  runner: TestRunnerName;
  /** The package folder the runner runs in, relative to the root ('' for the root). */
  packageDir: string;
  /**
   * Where the test of `src/a/b.ts` goes: beside it (`src/a/b.test.ts`), or in a folder (`test`,
   * `__tests__`), mirroring the source path below the package's source folder when `mirror`.
   */
  placement: { kind: 'beside' } | { kind: 'folder'; dir: string; mirror: boolean };
  /** `.test`, `.spec` or '' (`test/b.js` under mocha). */
  infix: string;
  /** The generated file's extension: `.ts`, `.mts`, `.js`, `.mjs`, `.cjs`. */
  extension: string;
  module: 'esm' | 'cjs';
  /**
   * What a test writes after the imported source's name: '' (bundler resolution), `.js`
   * (NodeNext on TypeScript), `.ts`, or `same` (the source's own extension).
   */
  importExtension: '' | '.js' | '.ts' | 'same';
  /** Runner globals are on: no import of `describe`, `it`, `expect` (jest, vitest `globals`). */
  globals: boolean;
  /** The assertions the tests use. */
  assertions: 'expect' | 'node:assert' | 'chai' | 'ava';
  /** An existing test file, relative to the root, to show as an example; undefined if none. */
  example: string | undefined;
}

/**
 * The repository's test style, from its runner and its existing test files; undefined when no
 * part runs a runner we can write for (a test script we only run as it is).
 */
export function detectTestStyle(
  root: string,
  info: TestRunnerInfo,
): Promise<TestStyle | undefined> {
  void root;
  void info;
  return Promise.reject(new ValidationError('detectTestStyle: not built yet'));
}

/** Where the generated test for `sourceFile` (root-relative) goes, root-relative. */
export function testPathFor(style: TestStyle, sourceFile: string): string {
  void style;
  void sourceFile;
  throw new ValidationError('testPathFor: not built yet');
}

/** The import specifier a test at `testFile` writes for `sourceFile` (both root-relative). */
export function importSpecifier(style: TestStyle, testFile: string, sourceFile: string): string {
  void style;
  void testFile;
  void sourceFile;
  throw new ValidationError('importSpecifier: not built yet');
}
