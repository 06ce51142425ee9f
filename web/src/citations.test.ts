import { describe, expect, it } from 'vitest';
import {
  citationLink,
  failureText,
  splitBlocks,
  splitCitations,
  type AnswerPart,
} from './citations';
import type { CheckedCitation } from './types';

const ok = (file: string, startLine: number, endLine: number, index?: number): CheckedCitation => ({
  file,
  startLine,
  endLine,
  ok: true,
  ...(index === undefined ? {} : { index }),
});

/** The parts as short strings: text as it is, a citation as `<file:start-end ok|reason|?>`. */
function shape(parts: AnswerPart[]): string[] {
  return parts.map((p) =>
    p.kind === 'text'
      ? p.text
      : `<${p.file}:${p.startLine}-${p.endLine} ${p.check ? (p.check.ok ? 'ok' : p.check.reason) : '?'}${p.mark ? ` (${p.mark})` : ''}>`,
  );
}

describe('splitCitations', () => {
  const cases: { name: string; text: string; checks?: CheckedCitation[]; parts: string[] }[] = [
    {
      name: 'a range and a single line, between text',
      text: 'Totals are in [src/cart.js:3-9]; see [src/format.js:12].',
      checks: [ok('src/cart.js', 3, 9), ok('src/format.js', 12, 12)],
      parts: ['Totals are in ', '<src/cart.js:3-9 ok>', '; see ', '<src/format.js:12-12 ok>', '.'],
    },
    {
      name: 'a citation with no check yet (still streaming) is a link without a verdict',
      text: '[a/b.ts:1-2]',
      parts: ['<a/b.ts:1-2 ?>'],
    },
    {
      name: 'a failed check is attached with its reason',
      text: 'x [src/a.ts:40-90] y',
      checks: [{ file: 'src/a.ts', startLine: 40, endLine: 90, ok: false, reason: 'out-of-range' }],
      parts: ['x ', '<src/a.ts:40-90 out-of-range>', ' y'],
    },
    {
      name: 'the same citation twice takes the check at its own position',
      text: '[a.ts:1-2] and [a.ts:1-2]',
      checks: [
        { ...ok('a.ts', 1, 2, 15), ok: false, reason: 'quote-mismatch' },
        ok('a.ts', 1, 2, 0),
      ],
      parts: ['<a.ts:1-2 ok>', ' and ', '<a.ts:1-2 quote-mismatch>'],
    },
    {
      name: 'a check of other lines is not attached',
      text: '[a.ts:1-2]',
      checks: [ok('a.ts', 1, 3)],
      parts: ['<a.ts:1-2 ?>'],
    },
    {
      name: 'not citations: links, spaces in the path, no line, a cut-off citation',
      text: '[see](http://x) [my file.ts:1-2] [a.ts] then [src/cart.js:3-',
      parts: ['[see](http://x) [my file.ts:1-2] [a.ts] then [src/cart.js:3-'],
    },
    {
      name: 'a failure the server marked in the text is kept apart from the citation',
      text: 'x [src/a.ts:90-99 (citation not found: file has 40 lines)].',
      checks: [
        {
          file: 'src/a.ts',
          startLine: 90,
          endLine: 99,
          ok: false,
          reason: 'out-of-range',
          index: 2,
        },
      ],
      parts: ['x ', '<src/a.ts:90-99 out-of-range (citation not found: file has 40 lines)>', '.'],
    },
    {
      name: 'spaces around the dash and a leading ./ as the server reads them',
      text: '[./src/a.ts:3 - 4]',
      checks: [ok('src/a.ts', 3, 4, 0)],
      parts: ['<src/a.ts:3-4 ok>'],
    },
    { name: 'empty text', text: '', parts: [] },
  ];
  for (const c of cases) {
    it(c.name, () => {
      expect(shape(splitCitations(c.text, c.checks))).toEqual(c.parts);
    });
  }

  it('keeps every character: the parts join back to the text', () => {
    const text = 'A [src/a.ts:1-2]\n\n```js\nconst x = [1];\n```\n[b.js:7] end';
    expect(
      splitCitations(text)
        .map((p) => p.text)
        .join(''),
    ).toBe(text);
  });
});

describe('failureText', () => {
  it('names the reason in words and adds the detail', () => {
    const check: CheckedCitation = {
      file: 'a.ts',
      startLine: 40,
      endLine: 90,
      ok: false,
      reason: 'out-of-range',
      detail: 'a.ts has 12 lines',
    };
    expect(failureText(check)).toBe('the lines are outside the file (a.ts has 12 lines)');
    expect(failureText({ ...check, reason: 'new-reason', detail: undefined })).toBe('new-reason');
  });
});

describe('splitCitations at an offset', () => {
  it('matches checks by their position in the whole answer', () => {
    const checks: CheckedCitation[] = [
      { ...ok('a.ts', 1, 2, 3), ok: false, reason: 'no-file' },
      ok('a.ts', 1, 2, 20),
    ];
    expect(shape(splitCitations('x [a.ts:1-2]', checks, 18))).toEqual(['x ', '<a.ts:1-2 ok>']);
  });
});

describe('splitBlocks', () => {
  const cases: { name: string; text: string; blocks: unknown[] }[] = [
    {
      name: 'prose, a fenced block with its language, prose',
      text: 'See [a.ts:1-2]:\n```ts\nconst a = 1;\n```\nThat is all.',
      blocks: [
        { kind: 'prose', text: 'See [a.ts:1-2]:\n', offset: 0 },
        { kind: 'code', lang: 'ts', text: 'const a = 1;\n' },
        { kind: 'prose', text: 'That is all.', offset: 39 },
      ],
    },
    {
      name: 'a fence still open (streaming) runs to the end',
      text: 'A\n```js\nfunction f() {',
      blocks: [
        { kind: 'prose', text: 'A\n', offset: 0 },
        { kind: 'code', lang: 'js', text: 'function f() {' },
      ],
    },
    {
      name: 'backticks inside a line are not a fence',
      text: 'use `x` and ``` inline',
      blocks: [{ kind: 'prose', text: 'use `x` and ``` inline', offset: 0 }],
    },
    { name: 'nothing', text: '', blocks: [] },
  ];
  for (const c of cases) {
    it(c.name, () => {
      expect(splitBlocks(c.text)).toEqual(c.blocks);
    });
  }
});

describe('citationLink', () => {
  const commit = 'c'.repeat(40);
  const linkOf = (text: string, checks: CheckedCitation[] = []) => {
    const part = splitCitations(text, checks).find((p) => p.kind === 'citation');
    if (part?.kind !== 'citation') throw new Error(`no citation in ${text}`);
    return citationLink('3', part, commit);
  };
  const hash = (href: string | null) => Object.fromEntries(new URLSearchParams(href!.slice(1)));

  it('links to the code view at the cited lines of the cited commit', () => {
    const link = linkOf('[src/cart.js:16-54]', [ok('src/cart.js', 16, 54)]);
    expect(link).toMatchObject({ label: 'src/cart.js:16-54', state: 'ok', why: null });
    expect(hash(link.href)).toEqual({
      repo: '3',
      view: 'file',
      path: 'src/cart.js',
      line: '16',
      end: '54',
      commit,
    });
  });

  it('a single line has no end; a file path is encoded', () => {
    const link = linkOf('[src/a_b+c.ts:7]');
    expect(link).toMatchObject({ label: 'src/a_b+c.ts:7', state: 'pending' });
    expect(hash(link.href)).toEqual({
      repo: '3',
      view: 'file',
      path: 'src/a_b+c.ts',
      line: '7',
      commit,
    });
  });

  it('a failed citation says why; one of a file not in the commit has no link', () => {
    const range = linkOf('[a.ts:40-90]', [
      {
        file: 'a.ts',
        startLine: 40,
        endLine: 90,
        ok: false,
        reason: 'out-of-range',
        detail: 'file has 12 lines',
      },
    ]);
    expect(range).toMatchObject({
      state: 'failed',
      why: 'the lines are outside the file (file has 12 lines)',
    });
    expect(range.href).not.toBeNull();
    const missing = linkOf('[nope.ts:1]', [
      { file: 'nope.ts', startLine: 1, endLine: 1, ok: false, reason: 'no-file' },
    ]);
    expect(missing).toMatchObject({ state: 'failed', href: null });
    // Marked in the text but its check not (yet) matched: still failed, the mark says why.
    const marked = linkOf('[a.ts:9 (citation not found: file has 3 lines)]');
    expect(marked).toMatchObject({ state: 'failed', why: 'citation not found: file has 3 lines' });
  });
});
