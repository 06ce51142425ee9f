import { cyclomaticComplexity } from './cyclomatic-complexity.js';
import { describeRule } from './testing.js';

const branches = (n: number): string =>
  Array.from({ length: n }, (_, i) => `if (x === ${i}) return ${i};`).join('\n');

describeRule(cyclomaticComplexity, {
  valid: [
    'function f() { return 1; }',
    // 1 + 9 = 10
    `function f(x) {\n${branches(9)}\nreturn -1;\n}`,
    { code: `function f(x) {\n${branches(12)}\n}`, options: { threshold: 20 } },
  ],
  invalid: [
    // 1 + 11 = 12
    {
      code: `function many(x) {\n${branches(11)}\nreturn -1;\n}`,
      errors: [
        { line: 1, message: "Function 'many' has a cyclomatic complexity of 12 (threshold 10)." },
      ],
    },
    { code: 'const f = (a, b) => a && b ? 1 : 2;', options: { threshold: 1 }, errors: 1 },
  ],
});
