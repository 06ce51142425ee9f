import { describe, expect, it } from 'vitest';
import { LineIndex } from '../ast.js';
import { parseSource } from '../parse.js';
import { computeMetrics } from './index.js';

function analyse(code: string, file = 'x.js') {
  const parsed = parseSource(file, code);
  expect(parsed.error).toBeUndefined();
  return computeMetrics({ ...parsed, source: code, lines: new LineIndex(code) });
}

describe('function names', () => {
  it.each([
    ['function a() {}', ['a']],
    [
      'const b = function () {}; const c = () => {}; const d = function named() {};',
      ['b', 'c', 'named'],
    ],
    ['obj.e = () => {}; module.exports.f = function () {};', ['obj.e', 'module.exports.f']],
    ["({ g() {}, h: () => {}, 'i-j': function () {}, [k]: () => {} });", ['g', 'h', 'i-j', '[k]']],
    [
      'class K { l() {} #m() {} n = () => {}; static o = function () {}; get p() { return 1; } constructor() {} }',
      ['l', '#m', 'n', 'o', 'p', 'constructor'],
    ],
    ['function q(r = () => {}) {}', ['q', 'r']],
    ['[1].map(() => {}); export default function () {}', ['<anonymous>', '<anonymous>']],
  ])('%s', (code, names) => {
    expect(analyse(code).functions.map((fn) => fn.name)).toEqual(names);
  });

  it('sees through TypeScript expression wrappers', () => {
    const code = 'const s = (() => {}) as Foo; const t = (function () {}) satisfies Foo;';
    expect(analyse(code, 'x.ts').functions.map((fn) => fn.name)).toEqual(['s', 't']);
  });
});

describe('function entries', () => {
  it('list every function with a body, outer before inner, with its node offsets and lines', () => {
    const code = 'const a = 1;\nfunction outer(x, y) {\n  return () => x;\n}\n';
    const [outer, inner] = analyse(code).functions;
    expect(outer).toMatchObject({
      name: 'outer',
      line: 2,
      endLine: 4,
      physicalLines: 3,
      params: 2,
    });
    expect(code.slice(outer!.start, outer!.end)).toMatch(/^function outer[\s\S]*}$/);
    expect(inner).toMatchObject({
      name: '<anonymous>',
      line: 3,
      endLine: 3,
      physicalLines: 1,
      params: 0,
    });
    expect(code.slice(inner!.start, inner!.end)).toBe('() => x');
  });

  it('leave out overload signatures, abstract methods and declarations', () => {
    const code = [
      'function o(a: string): void;',
      'function o(a: unknown) {}',
      'abstract class A { abstract m(): void; n(): void {} }',
      'declare function d(): void;',
    ].join('\n');
    expect(analyse(code, 'x.ts').functions.map((fn) => fn.name)).toEqual(['o', 'n']);
  });

  it("count parameters without TypeScript's this", () => {
    const code = 'function f(this: Foo, a, { b }, [c] = [], ...rest) {}';
    expect(analyse(code, 'x.ts').functions[0]!.params).toBe(4);
  });
});

describe('nesting', () => {
  it.each([
    ['none', 'function f() { return 1; }', 0],
    [
      'an else if chain stays at one level',
      'function f(a, b) { if (a) {} else if (b) {} else if (a) {} }',
      1,
    ],
    [
      'the deepest structure',
      'function f(a, b) { if (a) { for (;;) { try {} catch {} } } else if (b) { while (a) {} } }',
      3,
    ],
    ['switch and do-while', 'function f(a) { do { switch (a) { case 1: } } while (a); }', 2],
    [
      'a nested function starts again',
      'function f(a) { if (a) { return () => { if (a) {} }; } }',
      1,
    ],
  ])('%s', (_title, code, expected) => {
    expect(analyse(code).functions[0]!.maxNesting).toBe(expected);
  });

  it('covers code outside functions in the file maximum', () => {
    expect(analyse('if (a) { while (b) { if (c) {} } }\nfunction f() {}').file.maxNesting).toBe(3);
  });
});

describe('file metrics', () => {
  const code = [
    'function a(x) {', //
    '  if (x) { return () => x && x.y; }',
    '  return 0;',
    '}',
    'function b(x) { for (const y of x) { if (y) { continue; } } }',
    'if (globalThis.z) { a(1); }',
  ].join('\n');
  const metrics = analyse(code);

  it('count functions and take maxima over them', () => {
    const cognitive = metrics.functions.map((fn) => fn.cognitive);
    const cyclomatic = metrics.functions.map((fn) => fn.cyclomatic);
    expect(cognitive).toEqual([1, 1, 3]);
    expect(cyclomatic).toEqual([2, 2, 3]);
    expect(metrics.file).toMatchObject({
      functions: 3,
      maxCognitive: 3,
      maxCyclomatic: 3,
      maxNesting: 2,
      // 2 + 2 + 3 over functions, 1 for the top-level if.
      cyclomatic: 8,
      // a: 1 + the arrow's && (nested: 1); b: 3; top-level if: 1.
      cognitive: 6,
    });
  });

  it('give a maintainability index between 0 and 100', () => {
    expect(metrics.file.maintainability).toBeGreaterThan(0);
    expect(metrics.file.maintainability).toBeLessThan(100);
    for (const fn of metrics.functions) expect(fn.maintainability).toBeGreaterThan(0);
  });

  it('are empty for an empty file', () => {
    expect(analyse('').file).toEqual({
      physicalLines: 0,
      codeLines: 0,
      commentLines: 0,
      logicalLines: 0,
      functions: 0,
      cyclomatic: 0,
      cognitive: 0,
      maxCognitive: 0,
      maxCyclomatic: 0,
      maxNesting: 0,
      halsteadVolume: 0,
      halsteadEffort: 0,
      maintainability: 100,
    });
  });
});

describe('scale', () => {
  it('stays linear on deeply nested functions and long chains', () => {
    // About 850 levels of this crash oxc-parser in a worker thread (native stack), so from about
    // 400 parseSource refuses it as too deep (see depth.ts).
    const depth = 350;
    const nested = `${'function f() { if (a) { '.repeat(depth)}${'} }'.repeat(depth)}`;
    const chain = `const x = ${Array.from({ length: 15_000 }, (_, i) => `v${i}`).join(' && ')};`;
    const started = performance.now();
    const deep = analyse(nested);
    const long = analyse(chain);
    expect(deep.functions).toHaveLength(depth);
    expect(deep.functions.every((fn) => fn.cognitive === 1)).toBe(true);
    expect(long.file.cyclomatic).toBe(14_999);
    expect(performance.now() - started).toBeLessThan(5_000);
  });
});
