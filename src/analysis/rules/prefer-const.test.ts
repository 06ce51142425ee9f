import { preferConst } from './prefer-const.js';
import { describeFixes, describeRule } from './testing.js';

describeRule(preferConst, {
  valid: [
    'const a = 1;',
    'let a = 1; a = 2;',
    'let a = 1; a++;',
    'let a = 1; a += 1;',
    'let a; a = 1;',
    'let a = 1, b; b = 2;',
    // One reassigned binding keeps the whole declaration as `let`.
    'let { a, b } = obj; a = 2;',
    'let [a, b] = arr; [a] = [b];',
    'let a = 1; ({ a } = obj);',
    'let a = 1; for (a of xs) {}',
    'let a = 1; (a as number) = 2;',
    'let a = 1; function f() { a = 2; }',
    'for (let i = 0; i < n; i++) {}',
    'declare let g: number;',
    'var a = 1;',
  ],
  invalid: [
    {
      code: 'let a = 1;',
      errors: [
        { line: 1, column: 1, message: "'a' is never reassigned; use 'const' instead of 'let'." },
      ],
    },
    {
      code: 'let a = 1, b = 2;\nuse(a, b);',
      errors: [{ message: "'a', 'b' are never reassigned; use 'const' instead of 'let'." }],
    },
    { code: 'let { a, b: [c] } = obj;', errors: 1 },
    { code: 'for (let x of xs) { use(x); }', errors: 1 },
    { code: 'for (let key in obj) {}', errors: 1 },
    // Shadowing: the assignment is to the inner variable.
    { code: 'let a = 1;\nfunction f() { let a = 2; a = 3; return a; }', errors: [{ line: 1 }] },
    { code: 'export let a = 1;', errors: 1 },
  ],
});

describeFixes(preferConst, {
  fixed: [
    ['let a = 1;\nuse(a);', 'const a = 1;\nuse(a);'],
    ['let a = 1, b = 2;\nuse(a, b);', 'const a = 1, b = 2;\nuse(a, b);'],
    ['let { a, b: [c] } = obj;\nuse(a, c);', 'const { a, b: [c] } = obj;\nuse(a, c);'],
    ['for (let x of xs) { use(x); }', 'for (const x of xs) { use(x); }'],
    ['export let a = 1;', 'export const a = 1;'],
    [
      'let a = 1;\nfunction f() { let a = 2; a = 3; return a; }\nuse(a, f);',
      'const a = 1;\nfunction f() { let a = 2; a = 3; return a; }\nuse(a, f);',
    ],
  ],
  // The rule only reports declarations whose keyword alone can change.
  unfixed: [],
});
