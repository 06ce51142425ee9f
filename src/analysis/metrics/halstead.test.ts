import { describe, expect, it } from 'vitest';
import { LineIndex } from '../ast.js';
import { parseSource } from '../parse.js';
import { computeMetrics, halsteadMetrics, maintainabilityIndex } from './index.js';

function analyse(code: string, file = 'x.js') {
  const parsed = parseSource(file, code);
  expect(parsed.error).toBeUndefined();
  return computeMetrics({ ...parsed, source: code, lines: new LineIndex(code) });
}

describe('halstead', () => {
  it('counts operators and operands from the AST', () => {
    // Operators: function, return, + (n1 = 3, N1 = 3). Operands: f, a, a, 1 (n2 = 3, N2 = 4).
    const [fn] = analyse('function f(a) { return a + 1; }').functions;
    expect(fn!.halstead).toEqual({
      distinctOperators: 3,
      distinctOperands: 3,
      totalOperators: 3,
      totalOperands: 4,
      volume: 18.09, // 7 * log2(6)
      difficulty: 2, // 3/2 * 4/3
      effort: 36.19,
    });
  });

  it('tells operators apart by operator and kind', () => {
    // Operators: const x2, let, = x3, binary +, binary -, unary - (n1 = 6). Operands: a, b, c, 1 (n2 = 4).
    const { halstead } = analyse('function f() { const a = 1; const b = a + 1; let c = -b - a; }')
      .functions[0]!;
    expect(halstead.distinctOperators).toBe(1 + 6);
    expect(halstead.distinctOperands).toBe(1 + 4);
  });

  it('keeps nested functions and type annotations out of a function', () => {
    const code = 'function f(a: number): string { return (b: string) => b; }';
    const [outer, inner] = analyse(code, 'x.ts').functions;
    // f: function, return; f, a. The arrow node is the nested function's own token.
    expect(outer!.halstead.totalOperators + outer!.halstead.totalOperands).toBe(2 + 2);
    // The arrow: =>; b, b.
    expect(inner!.halstead.totalOperators + inner!.halstead.totalOperands).toBe(1 + 2);
  });

  it('covers the whole program at file level', () => {
    const { file } = analyse('function f(a) { return a + 1; }');
    expect(file.halsteadVolume).toBe(18.09);
    expect(file.halsteadEffort).toBe(36.19);
  });

  it('is 0 where the formulas are undefined', () => {
    expect(halsteadMetrics(0, 0, 0, 0)).toMatchObject({ volume: 0, difficulty: 0, effort: 0 });
    expect(halsteadMetrics(1, 0, 1, 0)).toMatchObject({ volume: 0, difficulty: 0, effort: 0 });
  });
});

describe('maintainability index', () => {
  it('follows the normalised formula', () => {
    // 171 - 5.2 ln 1000 - 0.23 * 10 - 16.2 ln 50 = 69.403..., scaled by 100 / 171.
    expect(maintainabilityIndex(1000, 10, 50)).toBe(40.59);
  });

  it('is 100 for nothing at all and never negative', () => {
    expect(maintainabilityIndex(0, 0, 0)).toBe(100);
    expect(maintainabilityIndex(1e9, 500, 1e6)).toBe(0);
  });

  it('drops as a function grows', () => {
    const small = analyse('function f(a) { return a; }').functions[0]!;
    const large = analyse(
      'function f(a, b) { if (a) { for (const x of b) { a += x * 2; } } else { a = b.length ? b[0] : 0; } return a; }',
    ).functions[0]!;
    expect(large.maintainability).toBeLessThan(small.maintainability);
  });
});
