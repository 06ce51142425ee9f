import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  Bm25,
  expectedRank,
  grepScores,
  grepWords,
  holds,
  unitsByLine,
} from '../bench/search-baselines.js';
import {
  buildCorpus,
  docCommentRanges,
  firstSentence,
  functionUnits,
  isQueried,
  parse,
  stripDocComments,
} from '../bench/search-corpus.js';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function tempDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'eval-search-test-'));
  dirs.push(dir);
  return dir;
}

describe('firstSentence', () => {
  it.each([
    ['/** Adds two numbers together. Then more. */', 'Adds two numbers together.'],
    [
      '/**\n * Splits an array, i.e. cuts it in chunks.\n * @param a - the array\n */',
      'Splits an array, i.e. cuts it in chunks.',
    ],
    [
      '/**\n * @name addDays\n * @summary Add the specified number of days.\n *\n * @description\n * Longer.\n */',
      'Add the specified number of days.',
    ],
    ['/** Returns {@link Foo | the foo} of a bar */', 'Returns the foo of a bar'],
    ['/** Returns {@link Foo} of a bar */', 'Returns Foo of a bar'],
    ['/** <span class="x">Like map</span>, but more. */', 'Like map , but more.'],
    [
      '/**\n * First paragraph has words\n *\n * Second paragraph.\n */',
      'First paragraph has words',
    ],
  ])('%j -> %j', (comment, sentence) => {
    expect(firstSentence(comment)).toBe(sentence);
  });

  it.each([
    ['/** @internal */'],
    ['/** @deprecated Use bar. */'],
    ['/** Two words. */'],
    ['/** */'],
  ])('leaves %j out', (comment) => {
    expect(firstSentence(comment)).toBeUndefined();
  });
});

describe('stripDocComments', () => {
  it('blanks doc comments only, keeping every line', () => {
    const text = [
      '/** File doc, long enough. */',
      'const s = "/** not a comment */";',
      '/**',
      ' * Adds.',
      ' */',
      'export function add(a: number) /* keep */ {',
      '  // keep too',
      '  return a; /** trailing */',
      '}',
      '',
    ].join('\n');
    const stripped = stripDocComments(text, docCommentRanges(parse('a.ts', text)));
    expect(stripped.split('\n')).toHaveLength(text.split('\n').length);
    expect(stripped).toBe(
      [
        '',
        'const s = "/** not a comment */";',
        '',
        '',
        '',
        'export function add(a: number) /* keep */ {',
        '  // keep too',
        '  return a; ',
        '}',
        '',
      ].join('\n'),
    );
  });
});

describe('functionUnits', () => {
  const text = [
    'export function f(a: string): string;', // 1
    '/** @deprecated */', // 2
    'export function f(a: number): number;', // 3
    '/** The implementation is documented here. */', // 4
    'export function f(a: unknown) {', // 5
    '  return a;', // 6
    '}', // 7
    'export class C {', // 8
    '  /** Runs the thing now please. */', // 9
    '  run() {', // 10
    '    return 1;', // 11
    '  }', // 12
    '}', // 13
    '/** An arrow bound to a const. */', // 14
    'export const g = (x: number) =>', // 15
    '  x + 1;', // 16
    'let h = () => 1;', // 17
    '',
  ].join('\n');
  const units = functionUnits('a.ts', parse('a.ts', text));

  it('finds declarations, methods and const-bound arrows, overloads as one', () => {
    expect(units).toEqual([
      {
        file: 'a.ts',
        name: 'f',
        line: 5,
        startLine: 1,
        endLine: 7,
        query: 'The implementation is documented here.',
      },
      {
        file: 'a.ts',
        name: 'run',
        line: 10,
        startLine: 10,
        endLine: 12,
        query: 'Runs the thing now please.',
      },
      {
        file: 'a.ts',
        name: 'g',
        line: 15,
        startLine: 15,
        endLine: 16,
        query: 'An arrow bound to a const.',
      },
    ]);
  });

  it('counts a unit as the function only when it starts at it', () => {
    const run = units[1]!;
    expect(holds({ file: 'a.ts', startLine: 10, endLine: 12 }, run)).toBe(true);
    expect(holds({ file: 'a.ts', startLine: 8, endLine: 13 }, run)).toBe(false);
    expect(holds({ file: 'b.ts', startLine: 10, endLine: 12 }, run)).toBe(false);
    expect(holds({ file: 'a.ts', startLine: 11, endLine: 12 }, run)).toBe(false);
  });
});

describe('isQueried', () => {
  it.each([
    ['src/add.ts', '', true],
    ['src/add/test.ts', '', false],
    ['src/add.test.ts', '', false],
    ['test/add.ts', '', false],
    ['src/add.d.ts', '', false],
    ['src/fp/add.ts', '// This file is generated automatically.', false],
    ['README.md', '', false],
  ])('%s', (file, text, queried) => {
    expect(isQueried(file, text)).toBe(queried);
  });
});

describe('baselines', () => {
  it('BM25 ranks by whitespace tokens, ties at their expected rank', () => {
    const bm = new Bm25(['alpha beta', 'alpha gamma', 'delta', 'alpha beta']);
    const scores = bm.scores('Alpha BETA');
    expect(scores[2]).toBe(0);
    expect(scores[0]).toBeGreaterThan(scores[1]!);
    expect(scores[0]).toBe(scores[3]);
    expect(expectedRank(scores, (d) => d === 0)).toBe(1.5);
    expect(expectedRank(scores, (d) => d === 1)).toBe(3);
    expect(expectedRank(scores, (d) => d === 2)).toBeNull();
    // Punctuation stays on its word: raw text, split on whitespace only.
    expect(bm.scores('alpha.')[0]).toBe(0);
  });

  it('git grep counts distinct words matched on each function’s lines', async () => {
    const dir = tempDir();
    const text =
      'function a() {\n  return Array.from(chunks);\n}\nfunction b() {\n  return 1;\n}\n';
    writeFileSync(path.join(dir, 'x.ts'), text);
    execFileSync('git', ['init', '-q'], { cwd: dir });
    execFileSync('git', ['add', '.'], { cwd: dir });
    const units = functionUnits('x.ts', parse('x.ts', text));
    expect(grepWords('Splits the array into chunks.')).toEqual(['splits', 'array', 'chunks']);
    const scores = await grepScores(
      dir,
      grepWords('Splits the array into chunks.'),
      units.length,
      unitsByLine(units),
    );
    expect([...scores]).toEqual([2, 0]);
    const none = await grepScores(dir, ['nowhere'], units.length, unitsByLine(units));
    expect([...none]).toEqual([0, 0]);
  });
});

describe('buildCorpus', () => {
  it('copies HEAD with doc comments blanked into a fresh repository, and finds the truth', async () => {
    const repo = tempDir();
    const source =
      '/**\n * Doubles the given number.\n */\nexport function double(n: number) {\n  return 2 * n;\n}\n';
    writeFileSync(path.join(repo, 'double.ts'), source);
    writeFileSync(
      path.join(repo, 'double.test.ts'),
      '/** Checks it works well. */\nfunction check() {}\n',
    );
    const git = ['-c', 'user.name=t', '-c', 'user.email=t@t', '-c', 'commit.gpgsign=false'];
    execFileSync('git', ['init', '-q'], { cwd: repo });
    execFileSync('git', ['add', '.'], { cwd: repo });
    execFileSync('git', [...git, 'commit', '-qm', 'x'], { cwd: repo });
    writeFileSync(path.join(repo, 'double.ts'), 'uncommitted\n');

    const into = path.join(tempDir(), 'copy');
    const corpus = await buildCorpus('t', repo, into);
    const copied = readFileSync(path.join(into, 'double.ts'), 'utf8');
    expect(copied).toBe('\n\n\nexport function double(n: number) {\n  return 2 * n;\n}\n');
    expect(corpus.truth.map((u) => [u.name, u.line, u.query])).toEqual([
      ['double', 4, 'Doubles the given number.'],
    ]);
    expect(corpus.units.map((u) => u.name).sort()).toEqual(['check', 'double']);
    expect(corpus.docComments).toBe(2);
    const status = execFileSync('git', ['status', '--porcelain'], { cwd: into, encoding: 'utf8' });
    expect(status).toBe('');
  });
});
