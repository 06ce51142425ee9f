import { cognitiveComplexity } from './cognitive-complexity.js';
import { describeRule } from './testing.js';

/** Nested ifs: if (+1), nested if (+2), nested if (+3), ... */
function nestedIfs(depth: number): string {
  let body = 'work();';
  for (let i = depth; i > 0; i--) body = `if (x${i}) { ${body} }`;
  return body;
}

describeRule(cognitiveComplexity, {
  valid: [
    'function simple(a: number) { return a + 1; }',
    `function f(a, b) { if (a) { return 1; } if (b) { return 2; } return 3; }`,
    // 1 + 2 + 3 + 4 = 10
    `function f() { ${nestedIfs(4)} }`,
    { code: `function f() { ${nestedIfs(3)} }`, options: { threshold: 6 } },
  ],
  invalid: [
    // 1 + 2 + 3 + 4 + 5 + 6 = 21
    {
      code: `function deep() { ${nestedIfs(6)} }`,
      errors: [
        {
          line: 1,
          message: /^Function 'deep' has a cognitive complexity of 21 \(threshold 15\)\.$/,
        },
      ],
    },
    { code: `const f = () => { ${nestedIfs(3)} };`, options: { threshold: 5 }, errors: 1 },
    {
      code: `class A {\n  method() { ${nestedIfs(6)} }\n}`,
      errors: [{ line: 2, message: /'method'/ }],
    },
  ],
});
