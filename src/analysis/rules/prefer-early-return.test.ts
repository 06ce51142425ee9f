import { preferEarlyReturn } from './prefer-early-return.js';
import { describeRule } from './testing.js';

describeRule(preferEarlyReturn, {
  valid: [
    'function f() { if (!a) return; b(); c(); d(); }',
    'function f() { if (a) { b(); c(); } }',
    'function f() { if (a) { b(); c(); d(); } else { e(); } }',
    'function f() { if (a) { b(); c(); d(); } return 1; }',
    'for (;;) { if (a) { b(); c(); d(); } }',
    { code: 'function f() { if (a) { b(); c(); d(); } }', options: { minStatements: 4 } },
  ],
  invalid: [
    {
      code: 'function f() {\n  if (ready) {\n    a();\n    b();\n    c();\n  }\n}',
      errors: [
        {
          line: 2,
          column: 3,
          message: 'Invert this condition and return early to reduce nesting.',
        },
      ],
    },
    { code: 'const f = async () => { setup(); if (a) { b(); c(); d(); } };', errors: 1 },
    { code: 'class A { m() { if (a) { b(); c(); } } }', options: { minStatements: 2 }, errors: 1 },
  ],
});
