import { describe, expect, it } from 'vitest';
import { LineIndex } from './ast.js';
import { duplicatedLines, findClones, fingerprint, tokenize } from './duplication.js';
import { parseSource } from './parse.js';

const body = (name: string, v: string) => `
export function ${name}(items: number[], limit: number): number[] {
  const out: number[] = [];
  for (const item of items) {
    if (item > limit) {
      out.push(item * ${v});
    } else if (item === limit) {
      out.push(item + ${v});
    } else {
      out.push(item - ${v});
    }
  }
  return out.filter((x) => x % 2 === 0).map((x) => x / 2);
}
`;

function prints(file: string, code: string, minTokens = 50) {
  const parsed = parseSource(file, code);
  return {
    path: file,
    fingerprints: fingerprint(tokenize(parsed.program, new LineIndex(code)), minTokens),
  };
}

describe('clone detection', () => {
  it('finds a renamed copy across files', () => {
    const a = prints('a.ts', `const header = 1;\n${body('first', '2')}`);
    const b = prints('b.ts', body('second', '3'));
    const clones = findClones([a, b], 50);
    expect(clones).toHaveLength(1);
    expect(clones[0]!.a.file).toBe('a.ts');
    expect(clones[0]!.b.file).toBe('b.ts');
    expect(clones[0]!.a.line).toBeGreaterThanOrEqual(2);
    expect(clones[0]!.tokens).toBeGreaterThanOrEqual(50);
    expect(duplicatedLines(clones).get('b.ts')).toBeGreaterThan(8);
  });

  it('measures the shared run exactly, even just above the minimum size', () => {
    // The whole function is 82 normalised tokens, and both files hold nothing else.
    const a = prints('a.ts', body('first', '2'), 70);
    const b = prints('b.ts', `// a comment is not a token\n${body('second', '3')}`, 70);
    const clones = findClones([a, b], 70);
    expect(clones.map((c) => c.tokens)).toEqual([82]);
    // Tokens are node starts: the last one is on the `return` line, not the closing brace.
    expect(clones[0]!.a).toEqual({ file: 'a.ts', line: 2, endLine: 13 });
    expect(clones[0]!.b).toEqual({ file: 'b.ts', line: 3, endLine: 14 });
    expect(findClones([a, b], 83)).toEqual([]);
  });

  it('finds a copy within one file', () => {
    const one = prints('one.ts', body('first', '2') + body('second', '2'));
    const clones = findClones([one], 50);
    expect(clones).toHaveLength(1);
    expect(clones[0]!.a.line).toBeLessThan(clones[0]!.b.line);
  });

  it('ignores code that only shares short runs', () => {
    const a = prints('a.ts', 'export const a = [1, 2, 3].map((x) => x * 2);\n');
    const b = prints('b.ts', 'export const b = [1, 2, 3].map((y) => y * 3);\n');
    expect(findClones([a, b], 50)).toEqual([]);
  });

  it('keeps token kinds and lines exactly through their compact form', () => {
    // 300 distinct kinds (two bytes per index), lines that jump far and go back.
    const kinds = Array.from({ length: 600 }, (_, i) => (i % 300) * 2_654_435_761);
    const lines = kinds.map((_, i) => (i === 0 ? 70_000 : i === 599 ? 3 : 5 + i));
    const a = { path: 'a.ts', fingerprints: fingerprint({ kinds, lines }, 300) };
    const b = { path: 'b.ts', fingerprints: fingerprint({ kinds, lines }, 300) };
    const clones = findClones([a, b], 300);
    expect(clones[0]).toEqual({
      a: { file: 'a.ts', line: 70_000, endLine: 3 },
      b: { file: 'b.ts', line: 70_000, endLine: 3 },
      tokens: 600,
    });
    // Within one stream, the copy 300 tokens on starts at line 305.
    const within = findClones([a], 300);
    expect(within[0]).toEqual({
      a: { file: 'a.ts', line: 70_000, endLine: 304 },
      b: { file: 'a.ts', line: 305, endLine: 3 },
      tokens: 300,
    });
  });

  it('respects the minimum size', () => {
    const a = prints('a.ts', body('first', '2'), 400);
    const b = prints('b.ts', body('second', '2'), 400);
    expect(findClones([a, b], 400)).toEqual([]);
  });
});
