import { describe, expect, it } from 'vitest';
import { isFunction, LineIndex, walk, type AstNode } from '../ast.js';
import { parseSource } from '../parse.js';
import { cognitiveComplexity, computeMetrics } from './index.js';

function analyse(code: string, file = 'x.js') {
  const parsed = parseSource(file, code);
  expect(parsed.error).toBeUndefined();
  const metrics = computeMetrics({ ...parsed, source: code, lines: new LineIndex(code) });
  const byName = (name: string) => {
    const fn = metrics.functions.find((f) => f.name === name);
    if (!fn) throw new Error(`no function ${name}`);
    return fn.cognitive;
  };
  return { program: parsed.program, file: metrics.file, byName };
}

const SUM_OF_PRIMES = `
function sumOfPrimes(max) {
  let total = 0;
  OUT: for (let i = 1; i <= max; ++i) {   // +1
    for (let j = 2; j < i; ++j) {          // +2 (nesting = 1)
      if (i % j == 0) {                    // +3 (nesting = 2)
        continue OUT;                      // +1
      }
    }
    total += i;
  }
  return total;
}`;

const GET_WORDS = `
function getWords(number) {
  switch (number) {                        // +1
    case 1:
      return "one";
    case 2:
      return "a couple";
    case 3:
      return "a few";
    default:
      return "lots";
  }
}`;

describe('cognitive complexity of a function', () => {
  it.each([
    ['the white paper: sumOfPrimes', SUM_OF_PRIMES, 'sumOfPrimes', 7],
    ['the white paper: getWords', GET_WORDS, 'getWords', 1],
    ['straight-line code', 'function f(a) { const b = a + 1; return b; }', 'f', 0],
    [
      'if / else if / else: +1 each',
      'function f(a, b) { if (a) {} else if (b) {} else {} }',
      'f',
      3,
    ],
    [
      'nesting adds its level to structural increments',
      'function f(a, b) { for (;;) { if (a) { while (b) {} } } }',
      'f',
      1 + 2 + 3,
    ],
    [
      'else and else if take no nesting penalty',
      'function f(a, b) { if (a) { if (b) {} else if (a) {} else {} } }',
      'f',
      1 + 2 + 1 + 1,
    ],
    [
      'each loop kind',
      'function f(o) { for (const k in o) {} for (const v of o) {} do {} while (o); }',
      'f',
      3,
    ],
    ['a ternary nests its branches', 'function f(a, b) { return a ? 1 : b ? 2 : 3; }', 'f', 1 + 2],
    [
      'switch nests its cases',
      'function f(a, b) { switch (a) { case 1: if (b) {} break; default: } }',
      'f',
      1 + 2,
    ],
    [
      'catch counts and nests; try and finally do not',
      'function f(a, b, c) { try { if (a) {} } catch (e) { if (b) {} } finally { if (c) {} } }',
      'f',
      1 + 1 + 2 + 1,
    ],
    [
      'break and continue count only with a label',
      'function f(a) { while (a) { if (a) break; continue; } }',
      'f',
      3,
    ],
    ['a run of && counts once', 'function f(a, b, c) { return a && b && c; }', 'f', 1],
    // The white paper would give 2 here and 1 below: sonarjs counts only && runs.
    [
      '|| and ?? do not count (sonarjs)',
      'function f(a, b, c, d) { return (a || b) ?? (c || d); }',
      'f',
      0,
    ],
    ['runs of && broken by ||', 'function f(a, b, c, d) { return a && b || c && d; }', 'f', 2],
    [
      'recursion is not counted (sonarjs)',
      'function fact(n) { return n <= 1 ? 1 : n * fact(n - 1); }',
      'fact',
      1,
    ],
    [
      "a nested function's complexity is its own",
      'function outer(a, b) { if (a) { const inner = () => { if (b) {} }; inner(); } }',
      'outer',
      1,
    ],
    [
      'a nested function starts at nesting 0',
      'function outer(a, b) { if (a) { const inner = () => { if (b) {} }; inner(); } }',
      'inner',
      1,
    ],
    [
      'a function as a ?: branch raises the nesting after it (sonarjs quirk)',
      'function f(a, b) { const g = a ? () => 1 : null; if (b) {} return g; }',
      'f',
      1 + 2,
    ],
  ])('%s', (_title, code, name, expected) => {
    expect(analyse(code).byName(name)).toBe(expected);
  });

  it.each([
    ['a uniform chain inside a JSX container counts nothing', '{a && b && <i />}', 0],
    ['a mixed chain inside a JSX container counts as usual', '{a && b || <i />}', 1],
    ['a ternary inside a JSX container counts', '{a ? <i /> : null}', 1],
  ])('%s', (_title, jsx, expected) => {
    const code = `function View(a, b) { return <div>${jsx}</div>; }`;
    expect(analyse(code, 'x.jsx').byName('View')).toBe(expected);
  });

  it('is the same standalone as within the file', () => {
    const { program, byName } = analyse(SUM_OF_PRIMES);
    let fn: AstNode | undefined;
    walk(program, {
      enter(node) {
        if (isFunction(node)) fn ??= node;
      },
    });
    expect(cognitiveComplexity(fn!)).toBe(byName('sumOfPrimes'));
  });
});

describe('cognitive complexity of a file', () => {
  it.each([
    ['sums top-level functions', `${SUM_OF_PRIMES}\n${GET_WORDS}`, 8],
    ['counts code outside functions', 'if (a) { for (;;) {} }', 1 + 2],
    // outer: if +1; inner's if is counted as nested: +1 +1 (nesting in outer's if) +1 (function).
    [
      'folds nested functions into a structured top-level function',
      'function outer(a, b) { if (a) { const inner = () => { if (b) {} }; } }',
      1 + 3,
    ],
    [
      'counts nested functions as top-level in a function without structure',
      'function outer(b) { return () => { if (b) {} }; }',
      1,
    ],
    [
      'counts nested functions as top-level in a React component',
      'function App(a, b) { if (a) { return <A />; } const h = () => { if (b) {} }; return <div />; }',
      1 + 1,
    ],
    [
      'but not in a lower-case function returning JSX',
      'function app(a, b) { if (a) { return <A />; } const h = () => { if (b) {} }; return <div />; }',
      1 + 2,
    ],
  ])('%s', (_title, code, expected) => {
    expect(analyse(code, 'x.jsx').file.cognitive).toBe(expected);
  });
});
