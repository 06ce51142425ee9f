import { rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { git, makeFolder, makeRepo } from '../../../test/helpers/repo.js';
import { getSymbols, openStore, repositoryIdOf, type Store } from '../../store/index.js';
import { updateIndex } from './index-repo.js';
import { repoMap, searchCodebase } from './search.js';

const FILES = {
  'src/math.ts': [
    '/** Adds two numbers and returns their sum. */',
    'export function add(a: number, b: number): number {',
    '  return a + b;',
    '}',
    '',
    '/** Multiplies by repeated addition. */',
    'export function multiply(a: number, b: number): number {',
    '  let total = 0;',
    '  for (let i = 0; i < b; i++) total = add(total, a);',
    '  return total;',
    '}',
    '',
  ].join('\n'),
  'src/index.ts': "export { add, multiply } from './math.js';\n",
  'src/parse.ts': [
    "import { add } from './index.js';",
    '',
    '/** Parses an HTTP response body into lines, counting them. */',
    'export function parseHTTPResponse(body: string): string[] {',
    "  const lines = body.split('\\n');",
    '  add(lines.length, 0);',
    '  return lines;',
    '}',
    '',
  ].join('\n'),
  'test/math.test.ts': "import { multiply } from '../src/index.js';\nmultiply(2, 3);\n",
  'src/broken.ts': 'export function ( {\n',
};

let store: Store | undefined;
afterEach(async () => {
  await store?.close();
  store = undefined;
});

async function open(root: string): Promise<{ store: Store; repoId: number }> {
  store = await openStore(':memory:');
  return { store, repoId: await repositoryIdOf(store, root) };
}

describe('updateIndex', () => {
  it('indexes HEAD, then re-parses only what a commit changed and drops what it removed', async () => {
    const root = await makeRepo(FILES);
    try {
      const { store, repoId } = await open(root);
      const first = await updateIndex({ store, repoId, root });
      expect(first).toMatchObject({ files: 4, indexed: 4, reused: 0, removed: 0 });
      expect(first.commit).toBe(git(root, 'rev-parse', 'HEAD').trim());
      expect(first.skipped).toEqual([
        { file: 'src/broken.ts', reason: expect.stringMatching(/^syntax error: line 1/) },
      ]);
      const rankOf = async (name: string) => {
        const hit = (await searchCodebase(store, { repoId, query: name, limit: 1 })).hits[0]!;
        return (await getSymbols(store, [hit.symbol.id]))[0]!.rank;
      };
      const addBefore = await rankOf('add');

      // The working tree alone is not indexed: only what is committed.
      await writeFile(path.join(root, 'src/extra.ts'), 'export const extra = 1;\n');
      expect(await updateIndex({ store, repoId, root })).toMatchObject({ indexed: 0, reused: 5 });

      await writeFile(
        path.join(root, 'src/parse.ts'),
        FILES['src/parse.ts'].replace('add(lines.length, 0);', ''),
      );
      await rm(path.join(root, 'test/math.test.ts'));
      git(root, 'add', 'src/parse.ts', 'test/math.test.ts');
      git(root, 'commit', '-q', '-m', 'change');
      const second = await updateIndex({ store, repoId, root });
      expect(second).toMatchObject({ files: 3, indexed: 1, reused: 3, removed: 1 });
      expect(await rankOf('add')).toBeLessThan(addBefore);
      expect(
        (await searchCodebase(store, { repoId, query: 'multiply' })).hits.map((h) => h.location),
      ).toEqual(['src/math.ts:7-11']);
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });

  it('leaves out a file larger than maxFileSizeKb without reading it, and says so', async () => {
    const root = await makeRepo({
      'beast.config.json': JSON.stringify({ maxFileSizeKb: 1 }),
      'small.ts': 'export function small() {}\n',
      'big.ts': `export function big() {}\n${'// padding\n'.repeat(200)}`,
    });
    try {
      const { store, repoId } = await open(root);
      const stats = await updateIndex({ store, repoId, root });
      expect(stats).toMatchObject({ files: 1, indexed: 1 });
      expect(stats.skipped).toEqual([
        { file: 'big.ts', reason: 'larger than maxFileSizeKb (1 KB)' },
      ]);
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });

  it('indexes a folder outside git by sha256, with no commit', async () => {
    const root = await makeFolder({ 'a.ts': 'export function alpha() {}\n' });
    try {
      const { store, repoId } = await open(root);
      const stats = await updateIndex({ store, repoId, root });
      expect(stats).toMatchObject({ commit: null, files: 1, indexed: 1, symbols: 1 });
      expect(await updateIndex({ store, repoId, root })).toMatchObject({ indexed: 0, reused: 1 });
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
});

describe('searchCodebase', () => {
  it('ranks the function a doc-like query describes first, and says how it ranked', async () => {
    const root = await makeRepo(FILES);
    try {
      const { store, repoId } = await open(root);
      await updateIndex({ store, repoId, root });
      const result = await searchCodebase(store, {
        repoId,
        query: 'parse the http response into lines',
      });
      expect(result.mode).toBe('bm25+graph');
      expect(result.notice).toMatch(/no embedding model configured/);
      expect(result.hits[0]).toMatchObject({
        location: 'src/parse.ts:4-8',
        symbol: { qualifiedName: 'parseHTTPResponse', kind: 'function', exported: true },
      });
      expect(result.hits[0]!.snippet.split('\n')[0]).toBe(
        'export function parseHTTPResponse(body: string): string[] {',
      );
      // "returns" finds "return" through the stemmer; `sum` is only in the doc.
      expect(
        (await searchCodebase(store, { repoId, query: 'returns the sum' })).hits[0],
      ).toMatchObject({ symbol: { name: 'add' } });
      await expect(searchCodebase(store, { repoId, query: 'the of and' })).rejects.toThrow(
        /only common words/,
      );
      await expect(searchCodebase(store, { repoId, query: ' ' })).rejects.toThrow(/empty/);
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });

  it('fuses vector ranks, and falls back with a notice when vectors are unavailable', async () => {
    const root = await makeRepo(FILES);
    try {
      const { store, repoId } = await open(root);
      await updateIndex({ store, repoId, root });
      const multiply = (await searchCodebase(store, { repoId, query: 'multiply' })).hits[0]!;
      const fused = await searchCodebase(store, {
        repoId,
        query: 'numbers',
        vectors: { rank: () => Promise.resolve([multiply.symbol.id]) },
      });
      expect(fused.mode).toBe('bm25+vectors+graph');
      expect(fused.notice).toBeUndefined();
      expect(fused.hits[0]!.symbol.name).toBe('multiply');
      const failed = await searchCodebase(store, {
        repoId,
        query: 'numbers',
        vectors: { rank: () => Promise.resolve({ unavailable: 'HTTP 500' }) },
      });
      expect(failed).toMatchObject({
        mode: 'bm25+graph',
        notice: expect.stringMatching(/HTTP 500/),
      });
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
});

describe('repoMap', () => {
  it('lists central signatures by file within the budget, deterministically', async () => {
    const root = await makeRepo(FILES);
    try {
      const { store, repoId } = await open(root);
      await updateIndex({ store, repoId, root });
      const map = await repoMap(store, { repoId, budgetTokens: 1024 });
      expect(map).toBe(
        [
          'src/math.ts:',
          '  2: export function add(a: number, b: number): number',
          '  7: export function multiply(a: number, b: number): number',
          'src/parse.ts:',
          '  4: export function parseHTTPResponse(body: string): string[]',
          '',
        ].join('\n'),
      );
      expect(await repoMap(store, { repoId, budgetTokens: 1024 })).toBe(map);
      const small = await repoMap(store, {
        repoId,
        budgetTokens: 20,
        focusFiles: ['src/parse.ts'],
      });
      expect(small).toBe('src/math.ts:\n  2: export function add(a: number, b: number): number\n');
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
});
