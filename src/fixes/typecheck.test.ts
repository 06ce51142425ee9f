import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { git, makeFolder, makeRepo, PROJECT_ROOT } from '../../test/helpers/repo.js';
import {
  createTypeChecker,
  diffDiagnostics,
  isStackOverflow,
  loadTypeScript,
  type TypeChecker,
  type TypeDiagnostic,
} from './typecheck.js';

const TSCONFIG = JSON.stringify({
  compilerOptions: { strict: true, target: 'es2022', module: 'nodenext', types: [] },
  include: ['src'],
});

const SOURCES = {
  'tsconfig.json': TSCONFIG,
  'src/math.ts': 'export function add(a: number, b: number): number {\n  return a + b;\n}\n',
  'src/main.ts': "import { add } from './math.js';\n\nexport const total: number = add(1, 2);\n",
};

function checkerFor(root: string): TypeChecker {
  const result = createTypeChecker(root);
  if ('reason' in result) throw new Error(result.reason);
  return result.checker;
}

async function edit(root: string, file: string, change: (text: string) => string): Promise<void> {
  const full = path.join(root, file);
  await writeFile(full, change(await readFile(full, 'utf8')));
}

function diagnostic(file: string, code: number, line: number): Partial<TypeDiagnostic> {
  return { file, code, line };
}

describe('createTypeChecker', () => {
  it('fails catchably, as a stack overflow, on code nested too deeply for TypeScript', async () => {
    // About 850 `&&` overflow TypeScript's binder; oxc-parser copes with thirty times more.
    const chain = Array.from({ length: 3000 }, (_, i) => `a${i % 2}`).join(' &&\n  ');
    const root = await makeFolder({
      ...SOURCES,
      'src/deep.ts': `declare const a0: boolean, a1: boolean;\nexport const x =\n  ${chain};\n`,
    });
    const error = await checkerFor(root)
      .check()
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(isStackOverflow(error)).toBe(true);
    expect(isStackOverflow(new Error('Maximum call stack size exceeded'))).toBe(false);
  });

  it('reports a type error an edit adds, and forgets it when the edit is reverted', async () => {
    const root = await makeFolder(SOURCES);
    const checker = checkerFor(root);
    expect(checker.projects).toEqual(['tsconfig.json']);
    const started = performance.now();
    const baseline = await checker.check();
    const firstMs = performance.now() - started;
    expect(baseline).toEqual([]);

    const original = SOURCES['src/main.ts'];
    await edit(root, 'src/main.ts', (text) => `${text}export const broken: string = add(1, 2);\n`);
    const warmStarted = performance.now();
    const after = await checker.check();
    const warmMs = performance.now() - warmStarted;
    expect(after).toMatchObject([diagnostic('src/main.ts', 2322, 4)]);
    expect(after[0]!.message).toBe("Type 'number' is not assignable to type 'string'.");
    expect(diffDiagnostics(baseline, after)).toHaveLength(1);

    await writeFile(path.join(root, 'src/main.ts'), original);
    expect(await checker.check()).toEqual([]);
    // eslint-disable-next-line no-console -- a log for people comparing cold and warm checks
    console.info(
      `type-check: first ${firstMs.toFixed(0)} ms, after an edit ${warmMs.toFixed(0)} ms`,
    );
    checker.dispose();
    await expect(checker.check()).rejects.toThrow(/disposed/);
  });

  it('sees a change of signature in the files that depend on it', async () => {
    const root = await makeFolder(SOURCES);
    const checker = checkerFor(root);
    expect(await checker.check()).toEqual([]);
    await edit(root, 'src/math.ts', (text) => text.replaceAll('number', 'string'));
    expect(await checker.check()).toMatchObject([
      diagnostic('src/main.ts', 2322, 3),
      diagnostic('src/main.ts', 2345, 3),
    ]);
  });

  it('finds nothing new when an edit only moves a diagnostic to another line', async () => {
    const root = await makeFolder({
      ...SOURCES,
      'src/legacy.ts': 'export const port: number = "8080";\n',
    });
    const checker = checkerFor(root);
    const before = await checker.check();
    expect(before).toMatchObject([diagnostic('src/legacy.ts', 2322, 1)]);
    await edit(root, 'src/legacy.ts', (text) => `// Moved down.\n\n${text}`);
    const after = await checker.check();
    expect(after).toMatchObject([diagnostic('src/legacy.ts', 2322, 3)]);
    expect(diffDiagnostics(before, after)).toEqual([]);
  });

  it('respects extends, include and exclude, and picks up files added between checks', async () => {
    const root = await makeFolder({
      'tsconfig.base.json': JSON.stringify({ compilerOptions: { strict: true, types: [] } }),
      'tsconfig.json': JSON.stringify({ extends: './tsconfig.base.json', exclude: ['scratch'] }),
      'lib/a.ts': 'export function f(x) {\n  return x;\n}\n',
      'scratch/b.ts': 'export const b: number = "no";\n',
    });
    const checker = checkerFor(root);
    // strict (from the base config) forbids the implicit any; scratch/ is excluded.
    expect(await checker.check()).toMatchObject([diagnostic('lib/a.ts', 7006, 1)]);
    await writeFile(path.join(root, 'lib/c.ts'), 'export const c: boolean = 1;\n');
    expect(await checker.check()).toMatchObject([
      diagnostic('lib/a.ts', 7006, 1),
      diagnostic('lib/c.ts', 2322, 1),
    ]);
  });

  it('checks the referenced configs of a solution-style tsconfig.json', async () => {
    const root = await makeFolder({
      'tsconfig.json': JSON.stringify({ files: [], references: [{ path: './tsconfig.app.json' }] }),
      'tsconfig.app.json': JSON.stringify({ compilerOptions: { types: [] }, include: ['app'] }),
      'app/index.ts': 'export const n: number = "1";\n',
    });
    const checker = checkerFor(root);
    expect(checker.projects).toEqual(['tsconfig.app.json']);
    expect(await checker.check()).toMatchObject([diagnostic('app/index.ts', 2322, 1)]);
  });

  it('checks .ts files with default options when there is no tsconfig.json', async () => {
    const root = await makeFolder({
      'index.ts': 'import { helper } from "./helper";\nexport const x: string = helper();\n',
      'helper.js': 'export function helper() {\n  return 1;\n}\n',
      'node_modules/dep/index.ts': 'export const broken: number = "x";\n',
    });
    const checker = checkerFor(root);
    expect(checker.projects).toEqual([]);
    expect(await checker.check()).toMatchObject([diagnostic('index.ts', 2322, 2)]);
  });

  it('gives a reason instead of a checker for a JavaScript-only folder', async () => {
    const root = await makeFolder({ 'index.js': 'export const x = 1;\n' });
    const result = createTypeChecker(root);
    expect(result).toEqual({
      reason: expect.stringMatching(/no tsconfig\.json and no TypeScript/),
    });
  });
});

describe('diffDiagnostics', () => {
  const error = (line: number, message = 'Bad.'): TypeDiagnostic => ({
    file: 'a.ts',
    code: 2322,
    message,
    line,
  });

  it('compares by file, code and message as multisets, ignoring lines', () => {
    expect(diffDiagnostics([error(1)], [error(5)])).toEqual([]);
    expect(diffDiagnostics([error(1)], [error(1), error(9)])).toEqual([error(9)]);
    expect(diffDiagnostics([error(1)], [error(1, 'Other.')])).toEqual([error(1, 'Other.')]);
    expect(diffDiagnostics([error(1), error(2)], [])).toEqual([]);
    expect(diffDiagnostics([], [{ ...error(1), file: 'b.ts' }])).toHaveLength(1);
  });
});

describe('loadTypeScript', () => {
  const fakeTypeScript = (main: string) => ({
    'node_modules/typescript/package.json': JSON.stringify({ name: 'typescript', main }),
    'node_modules/typescript/lib.js':
      'module.exports = { version: "5.0.0-fake", createProgram() {} };\n',
  });

  it("prefers the repository's own TypeScript", async () => {
    const root = await makeFolder(fakeTypeScript('lib.js'));
    expect(loadTypeScript(root)).toMatchObject({ source: 'repository', version: '5.0.0-fake' });
    expect(loadTypeScript(PROJECT_ROOT)).toMatchObject({ source: 'repository' });
  });

  it('refuses a TypeScript committed to the repository: it would run in our process', async () => {
    const root = await makeRepo({ ...fakeTypeScript('lib.js'), '.gitignore': '' });
    expect(git(root, 'ls-files', 'node_modules/typescript/lib.js').trim()).toBe(
      'node_modules/typescript/lib.js',
    );
    expect(loadTypeScript(root)).toMatchObject({
      source: 'bundled',
      version: expect.stringMatching(/^5\.9\./),
      refused: expect.stringContaining('committed'),
    });
  });

  it('falls back to ours when the repository has none that loads', async () => {
    const root = await makeFolder(fakeTypeScript('missing.js'));
    expect(loadTypeScript(root)).toMatchObject({
      source: 'bundled',
      version: expect.stringMatching(/^5\.9\./),
    });
  });
});
