import { describe, expect, it } from 'vitest';
import {
  citationHash,
  extractModuleFacts,
  extractPackageFacts,
  extractReadmeFacts,
  extractTestFacts,
  validateLlmFact,
  type ExtractedFact,
} from './facts.js';

const FILES = new Set(['src/a.ts', 'src/util.ts', 'src/lib/index.ts']);

/** The facts of one kind of a one-file module, as `text @ startLine-endLine`. */
function facts(source: string, kind: ExtractedFact['kind'], file = 'src/a.ts'): string[] {
  return extractModuleFacts(file, source, FILES)
    .facts.filter((f) => f.kind === kind)
    .map((f) => `${f.text} @ ${f.citations.map((c) => `${c.startLine}-${c.endLine}`).join(',')}`);
}

describe('extractModuleFacts', () => {
  it.each([
    ['/** Parses things. More detail here. */\nimport x from "y";\n', ['Parses things. @ 1-1']],
    [
      '/**\n * @module\n * Reads the config.\n */\n\nexport const a = 1;\n',
      ['Reads the config. @ 1-4'],
    ],
    // Attached to a declaration: the declaration's doc, not the module's.
    ['/** Adds. */\nexport function add() {}\n', []],
    ['/* Copyright 2024 ACME. MIT License. */\nexport const a = 1;\n', []],
  ])('purpose of %j', (source, expected) => {
    expect(facts(source, 'purpose')).toEqual(expected);
  });

  it('public API: exported names with their signatures, cited at the signature', () => {
    const source = [
      'export async function load(dir: string): Promise<string> {',
      '  return dir;',
      '}',
      'export const twice = (n: number): number => n * 2;',
      'export class Box<T> extends Base {',
      '  x = 1;',
      '}',
      'export interface Opts { a: number }',
      'export type Id = string;',
      "export { helper as aid } from './util.js';",
      "export * from './lib/index.js';",
      'export default function main() {}',
      'function hidden() {}',
    ].join('\n');
    expect(facts(source, 'api')).toEqual([
      'exports `load`: `async function load(dir: string): Promise<string>` @ 1-1',
      'exports `twice`: `const twice = (n: number): number =>` @ 4-4',
      'exports `Box`: `class Box<T> extends Base` @ 5-5',
      'exports `Opts`: `interface Opts` @ 8-8',
      'exports `Id`: `type Id = string;` @ 9-9',
      "exports `aid`: `export { helper as aid } from './util.js';` @ 10-10",
      "exports `* from ./lib/index.js`: `export * from './lib/index.js';` @ 11-11",
      'exports `default`: `export default function main()` @ 12-12',
    ]);
  });

  it('configuration: environment variables in every form, and config files by literal name', () => {
    const source = [
      'const a = process.env.API_KEY;',
      "const b = process.env['MODE'];",
      'const { HOME, USER: who } = process.env;',
      'const c = import.meta.env.VITE_URL;',
      "readFileSync('.eslintrc.json');",
      "readFile(path.join(root, 'tsconfig.json'));",
      "load(dir + '/app.config.yaml');",
      "readFile('data.csv');",
    ].join('\n');
    expect(facts(source, 'config')).toEqual([
      'reads environment variable `API_KEY` (`process.env.API_KEY`) @ 1-1',
      'reads environment variable `MODE` (`process.env.MODE`) @ 2-2',
      'reads environment variable `HOME` (`process.env.HOME`) @ 3-3',
      'reads environment variable `USER` (`process.env.USER`) @ 3-3',
      'reads environment variable `VITE_URL` (`import.meta.env.VITE_URL`) @ 4-4',
      'reads configuration file `.eslintrc.json` @ 5-5',
      'reads configuration file `tsconfig.json` @ 6-6',
      'reads configuration file `app.config.yaml` @ 7-7',
    ]);
  });

  it('errors: thrown, rejected, and custom classes declared', () => {
    const source = [
      'export class NotFoundError extends BaseError {}',
      "function f() { throw new NotFoundError('no such thing'); }",
      'function g(x) { throw new TypeError(`bad ${x}`); }',
      "function h() { return Promise.reject(new RangeError('too big')); }",
      "new Promise((resolve, reject) => reject(new Error('late')));",
      "function i() { throw 'a string'; }",
    ].join('\n');
    expect(facts(source, 'error')).toEqual([
      'declares error class `NotFoundError` (extends `BaseError`) @ 1-1',
      'throws `NotFoundError`: "no such thing" @ 2-2',
      'throws `TypeError`: "bad ${…}" @ 3-3',
      'rejects with `RangeError`: "too big" @ 4-4',
      'rejects with `Error`: "late" @ 5-5',
    ]);
  });

  it('side effects: filesystem reads and writes, network, processes, with each call site', () => {
    const source = [
      "import { readFile, writeFile } from 'node:fs/promises';",
      "import * as fs from 'fs';",
      "import https from 'node:https';",
      "import { spawn } from 'node:child_process';",
      "import { execa } from 'execa';",
      "import { request } from 'undici';",
      'await readFile(a);',
      'await writeFile(a, b);',
      'fs.mkdirSync(d);',
      'fs.promises.rm(d);',
      'https.request(u);',
      'await fetch(u);',
      'spawn("git");',
      'await execa("npm");',
      'await request(u);',
      'fs.join;',
    ].join('\n');
    expect(facts(source, 'side-effect')).toEqual([
      'filesystem read: `readFile` from `node:fs/promises` @ 7-7',
      'filesystem write: `writeFile` from `node:fs/promises` @ 8-8',
      'filesystem write: `fs.mkdirSync` from `fs` @ 9-9',
      'filesystem write: `fs.rm` from `fs` @ 10-10',
      'network: `https.request` from `node:https` @ 11-11',
      'network: `fetch` @ 12-12',
      'process: `spawn` from `node:child_process` @ 13-13',
      'process: `execa` from `execa` @ 14-14',
      'network: `request` from `undici` @ 15-15',
    ]);
  });

  it('dependencies: packages and internal modules, from imports, re-exports, require and import()', () => {
    const source = [
      "import { z } from 'zod';",
      "import type { X } from '@scope/pkg/sub';",
      "import { u } from './util.js';",
      "export { v } from './lib';",
      "const fs = require('node:fs');",
      "const later = await import('./missing.js');",
      "import again from 'zod';",
    ].join('\n');
    expect(facts(source, 'dependency')).toEqual([
      'imports package `zod` @ 1-1',
      'imports package `@scope/pkg` @ 2-2',
      'imports module `src/util.ts` @ 3-3',
      'imports module `src/lib/index.ts` @ 4-4',
      'imports package `node:fs` @ 5-5',
    ]);
    expect(extractModuleFacts('src/a.ts', source, FILES).unresolved).toEqual(['./missing.js']);
  });
});

describe('tests, entry points and README', () => {
  it('a test file covers the modules it imports, cited at the import', () => {
    expect(
      extractTestFacts('test/a.test.ts', [
        { module: 'src/a.ts', line: 2 },
        { module: 'src/a.ts', line: 3 },
      ]),
    ).toEqual([
      {
        module: 'src/a.ts',
        kind: 'test',
        key: 'test/a.test.ts',
        text: 'covered by test `test/a.test.ts`',
        citations: [{ file: 'test/a.test.ts', startLine: 2, endLine: 2 }],
        source: 'code',
      },
    ]);
  });

  it('entry points, description and dependencies of package.json, each at its line', () => {
    const pkg = JSON.stringify(
      {
        name: 'x',
        description: 'Does x.',
        main: 'dist/index.js',
        bin: { xcli: 'bin/x.js' },
        exports: { '.': { import: './dist/index.mjs' } },
        dependencies: { zod: '^4' },
      },
      null,
      2,
    );
    expect(
      extractPackageFacts('package.json', pkg).map(
        (f) => `${f.kind}: ${f.text} @ ${f.citations[0]!.startLine}`,
      ),
    ).toEqual([
      'purpose: Does x. @ 3',
      'entry-point: entry point (`main`): `dist/index.js` @ 4',
      'entry-point: command `xcli` (`bin`): `bin/x.js` @ 6',
      'entry-point: entry point (`exports` . import): `./dist/index.mjs` @ 10',
      'dependency: depends on package `zod` ^4 (`dependencies`) @ 14',
    ]);
    expect(extractPackageFacts('package.json', '{ not json')).toEqual([]);
  });

  it("the repository's purpose and the README section naming a module or its exports", () => {
    const readme = [
      '# x',
      '',
      '[![badge](b.svg)](link)',
      '',
      'A tool that converts things quickly.',
      '',
      '## Parsing',
      '',
      'Use `parseThing` to parse.',
      '',
      '## Files',
      '',
      'See src/util.ts for helpers.',
    ].join('\n');
    const modules = new Map([
      ['src/a.ts', ['parseThing', 'run']],
      ['src/util.ts', ['run']],
      ['src/lib/index.ts', ['nothing']],
    ]);
    expect(
      extractReadmeFacts('README.md', readme, modules).map(
        (f) => `${f.module}: ${f.text} @ ${f.citations[0]!.startLine}-${f.citations[0]!.endLine}`,
      ),
    ).toEqual([
      ': A tool that converts things quickly. @ 5-5',
      'src/a.ts: described in README.md, section "Parsing" @ 7-10',
      'src/util.ts: described in README.md, section "Files" @ 11-13',
    ]);
  });
});

describe('citationHash', () => {
  it('changes when a cited line changes, not when another line does', () => {
    const citations = [{ file: 'a.ts', startLine: 2, endLine: 2 }];
    const of = (text: string) => citationHash(citations, () => text);
    expect(of('a\nb\nc\n')).toBe(of('x\nb\ny\n'));
    expect(of('a\nb\nc\n')).not.toBe(of('a\nB\nc\n'));
    expect(citationHash(citations, () => undefined)).not.toBe(of(''));
  });
});

describe('validateLlmFact', () => {
  const code = 'export function loadConfig(dir) {\n  return readFile(dir);\n}\n';
  const paths = new Set(['src/config.ts', 'README.md']);
  it.each([
    ['Loads the configuration with `loadConfig`, reading `readFile(dir)`.', undefined],
    ['`loadConfig` is used by src/config.ts in JavaScript projects.', undefined],
    ['Calls `parseConfig` first.', 'unknown-identifier parseConfig'],
    ['It uses loadConfigSync internally.', 'unknown-identifier loadConfigSync'],
    ['Defined next to `src/missing.ts`.', 'unknown-path src/missing.ts'],
    ['See lib/other.js.', 'unknown-path lib/other.js'],
    ['   ', 'empty no text'],
  ])('%j', (text, expected) => {
    const rejection = validateLlmFact(text, code, paths);
    expect(rejection && `${rejection.reason} ${rejection.detail}`).toBe(expected);
  });
});
