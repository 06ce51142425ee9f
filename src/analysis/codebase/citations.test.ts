import { describe, expect, it } from 'vitest';
import {
  checkCitations,
  lineCount,
  markFailures,
  parseCitations,
  quoteMatches,
  verifyCitations,
} from './citations.js';

const FILES: Record<string, string> = {
  'src/math.ts': [
    '/** Adds two numbers. */',
    'export function add(a: number, b: number): number {',
    '  return a + b;',
    '}',
    '',
    'export function sub(a: number, b: number): number {',
    '  return a - b;',
    '}',
    '',
  ].join('\n'),
  'README.md': 'one line, no newline',
};

const read = (file: string) => Promise.resolve(FILES[file]);

describe('parseCitations', () => {
  it.each([
    ['a range', 'See [src/math.ts:2-4].', { file: 'src/math.ts', startLine: 2, endLine: 4 }],
    ['one line', 'See [src/math.ts:3].', { file: 'src/math.ts', startLine: 3, endLine: 3 }],
    ['a leading ./', '[./src/math.ts:1-2]', { file: 'src/math.ts', startLine: 1, endLine: 2 }],
    ['spaces around -', '[src/math.ts:1 - 2]', { file: 'src/math.ts', startLine: 1, endLine: 2 }],
    ['a dotted name', '[.github/ci.yml:4]', { file: '.github/ci.yml', startLine: 4, endLine: 4 }],
  ])('reads %s', (_, text, expected) => {
    expect(parseCitations(text)).toEqual([{ ...expected, index: text.indexOf('[') }]);
  });

  it.each([
    ['a markdown link', '[the docs](https://x.org/a:1)'],
    ['no line', '[src/math.ts]'],
    ['a word', '[note: 3]'],
    ['inside a code block', 'x\n```ts\nconst y = a[src/b:1];\n```\n'],
  ])('ignores %s', (_, text) => {
    expect(parseCitations(text)).toEqual([]);
  });

  it('takes the fenced block right after a citation as its quote', () => {
    const text = 'Adding: [src/math.ts:2-3]\n```ts\nreturn a + b;\n```\nand [src/math.ts:7] alone.';
    const [first, second] = parseCitations(text);
    expect(first?.quoted).toBe('return a + b;');
    expect(second?.quoted).toBeUndefined();
  });

  it('does not take a block after other text as a quote', () => {
    const text = '[src/math.ts:2] and then some words\n```ts\nreturn a + b;\n```';
    expect(parseCitations(text)[0]?.quoted).toBeUndefined();
  });
});

describe('quoteMatches', () => {
  const cited = 'export function add(a: number, b: number): number {\n  return a + b;\n}';
  it.each([
    ['exact', 'return a + b;'],
    ['reindented', '    return   a + b;  '],
    ['the whole range', cited],
    [
      'with line numbers of an excerpt',
      '2 | export function add(a: number, b: number): number {\n3 |   return a + b;',
    ],
    ['with an elision', 'export function add(a: number, b: number): number {\n  // ...\n}'],
  ])('accepts %s', (_, quote) => expect(quoteMatches(quote, cited)).toBe(true));

  it.each([
    ['other code', 'return a - b;'],
    ['parts out of order', '}\n...\nexport function add'],
    ['an empty quote', '   \n'],
  ])('refuses %s', (_, quote) => expect(quoteMatches(quote, cited)).toBe(false));
});

describe('checkCitations', () => {
  it.each([
    ['a valid range', '[src/math.ts:2-4]', { ok: true }],
    ['the last line', '[src/math.ts:8]', { ok: true }],
    ['a file without a final newline', '[README.md:1]', { ok: true }],
    ['a missing file', '[src/nope.ts:1-2]', { ok: false, reason: 'no-file' }],
    ['a path leaving the repository', '[../etc/passwd:1]', { ok: false, reason: 'no-file' }],
    [
      'past the end',
      '[src/math.ts:90-99]',
      { ok: false, reason: 'out-of-range', detail: 'file has 8 lines' },
    ],
    ['line 0', '[src/math.ts:0-2]', { ok: false, reason: 'out-of-range' }],
    ['reversed', '[src/math.ts:4-2]', { ok: false, reason: 'out-of-range' }],
    ['a matching quote', '[src/math.ts:2-4]\n```ts\nreturn a + b;\n```', { ok: true }],
    [
      'a quote of other lines',
      '[src/math.ts:2-4]\n```ts\nreturn a - b;\n```',
      { ok: false, reason: 'quote-mismatch' },
    ],
  ])('%s', async (_, text, expected) => {
    const [checked] = await checkCitations(parseCitations(text), read);
    expect(checked).toMatchObject(expected);
  });

  it('reads each file once', async () => {
    const files: string[] = [];
    const counting = (file: string) => {
      files.push(file);
      return read(file);
    };
    await checkCitations(parseCitations('[src/math.ts:1] [src/math.ts:2] [README.md:1]'), counting);
    expect(files.sort()).toEqual(['README.md', 'src/math.ts']);
  });
});

describe('markFailures', () => {
  it('marks each failed citation where it stands and moves the indexes with the text', async () => {
    const text = 'Sum [src/math.ts:2-4], gone [src/x.ts:1], far [src/math.ts:90-99].';
    const { marked, citations, failed } = await verifyCitations(text, read);
    expect(failed).toBe(2);
    expect(marked).toBe(
      'Sum [src/math.ts:2-4], gone [src/x.ts:1 (citation not found: no such file at the indexed commit)], far [src/math.ts:90-99 (citation not found: file has 8 lines)].',
    );
    for (const c of citations) expect(marked.slice(c.index)).toMatch(new RegExp(`^\\[${c.file}:`));
  });

  it('leaves a text whose citations hold as it was', async () => {
    const checked = await checkCitations(parseCitations('[src/math.ts:1]'), read);
    expect(markFailures('[src/math.ts:1]', checked).marked).toBe('[src/math.ts:1]');
  });
});

describe('lineCount', () => {
  it.each([
    ['', 0],
    ['a', 1],
    ['a\n', 1],
    ['a\nb', 2],
    ['a\n\n', 2],
  ])('%j has %i lines', (text, n) => expect(lineCount(text)).toBe(n));
});
