import { describe, expect, it } from 'vitest';
import { maxFunctionLines } from './max-function-lines.js';
import { describeRule, runRule } from './testing.js';

const body = (n: number): string => Array.from({ length: n }, (_, i) => `  call(${i});`).join('\n');

describeRule(maxFunctionLines, {
  valid: [
    'function f() { return 1; }',
    // 78 body lines + 2 = 80
    `function f() {\n${body(78)}\n}`,
    { code: `function f() {\n${body(200)}\n}`, options: { threshold: 300 } },
    // Containers: IIFEs and test suites.
    `(function () {\n${body(100)}\n})();`,
    `describe('suite', () => {\n${body(100)}\n});`,
    `describe.each([1])('suite %s', () => {\n${body(100)}\n});`,
  ],
  invalid: [
    {
      code: `\nfunction long() {\n${body(79)}\n}`,
      errors: [{ line: 2, message: "Function 'long' has 81 lines (threshold 80)." }],
    },
    {
      code: `class A {\n  run() {\n${body(3)}\n  }\n}`,
      options: { threshold: 3 },
      errors: [{ line: 2, message: "Function 'run' has 5 lines (threshold 3)." }],
    },
    { code: 'const f = () => {\n  a();\n};', options: { threshold: 2 }, errors: 1 },
    // A single test is a function like any other.
    {
      code: `it('works', () => {\n${body(100)}\n});`,
      errors: [{ message: "Function '<anonymous>' has 102 lines (threshold 80)." }],
    },
  ],
});

describe('max-function-lines measure', () => {
  it('carries the line count, the threshold and the function name', () => {
    const code = `const handle = () => {\n${'  f();\n'.repeat(4)}};\n`;
    expect(runRule(maxFunctionLines, code, { options: { threshold: 3 } })[0]?.measure).toEqual({
      value: 6,
      threshold: 3,
      unit: 'lines',
      subject: 'handle',
    });
  });
});
