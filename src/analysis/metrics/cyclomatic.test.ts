import { describe, expect, it } from 'vitest';
import { LineIndex } from '../ast.js';
import { parseSource } from '../parse.js';
import { computeMetrics, cyclomaticComplexity } from './index.js';

function analyse(code: string, file = 'x.js') {
  const parsed = parseSource(file, code);
  expect(parsed.error).toBeUndefined();
  return computeMetrics({ ...parsed, source: code, lines: new LineIndex(code) });
}

function cyclomaticOf(code: string, name: string): number {
  const fn = analyse(code).functions.find((f) => f.name === name);
  if (!fn) throw new Error(`no function ${name}`);
  return fn.cyclomatic;
}

describe('cyclomatic complexity of a function', () => {
  it.each([
    ['an empty function', 'function f() {}', 1],
    ['if and else if, not else', 'function f(a, b) { if (a) {} else if (b) {} else {} }', 3],
    [
      'each loop kind',
      'function f(o) { for (;;) {} for (const k in o) {} for (const v of o) {} while (o) {} do {} while (o); }',
      6,
    ],
    [
      'cases with a test, not default',
      'function f(a) { switch (a) { case 1: case 2: break; default: } }',
      3,
    ],
    ['catch, not try or finally', 'function f() { try {} catch {} finally {} }', 2],
    ['?:', 'function f(a, b) { return a ? b ? 1 : 2 : 3; }', 3],
    ['each &&, || and ??', 'function f(a, b, c, d) { return (a && b || c) ?? d; }', 4],
    ['logical assignments, not others', 'function f(a) { a ||= 1; a &&= 2; a ??= 3; a += 4; }', 4],
    ['optional member and call', 'function f(a) { return a?.b.c?.(); }', 3],
    ['default values in parameters and patterns', 'function f(a = 1, { b = 2 } = {}) {}', 4],
    ['not the body of a nested function', 'function f(a) { return () => a && a.b; }', 1],
  ])('counts %s', (_title, code, expected) => {
    expect(cyclomaticOf(code, 'f')).toBe(expected);
  });

  it('gives a nested function its own count', () => {
    expect(cyclomaticOf('function f(a) { const g = () => a && a.b; }', 'g')).toBe(2);
  });

  it('leaves class field initializers and static blocks out of the enclosing function', () => {
    const code = 'function f(a, b) { return class { x = a ? 1 : 2; static { if (b) {} } }; }';
    const metrics = analyse(code);
    expect(metrics.functions.map((fn) => fn.cyclomatic)).toEqual([1]);
    // They count toward the file, with the function's 1.
    expect(metrics.file.cyclomatic).toBe(3);
  });

  it('is the same standalone as within the file', () => {
    const parsed = parseSource('x.js', 'function f(a) { return a?.b ?? (a && 1); }');
    const fn = (parsed.program.body as { type: string; start: number; end: number }[])[0]!;
    expect(cyclomaticComplexity(fn as never)).toBe(4);
  });
});

describe('cyclomatic complexity of a file', () => {
  it.each([
    ['0 without functions or branches', 'const a = 1;', 0],
    ['top-level decision points', 'if (a) {} const b = a ?? 1;', 2],
    [
      'the sum over functions plus top-level points',
      'function f(a) { if (a) {} } const g = () => 1; if (x) {}',
      2 + 1 + 1,
    ],
  ])('is %s', (_title, code, expected) => {
    expect(analyse(code).file.cyclomatic).toBe(expected);
  });
});
