import { preferEarlyReturn } from './prefer-early-return.js';
import { describeFixes, describeRule } from './testing.js';

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

describeFixes(preferEarlyReturn, {
  fixed: [
    [
      'function f() {\n  if (ready) {\n    a();\n    b();\n    c();\n  }\n}',
      'function f() {\n  if (!ready) return;\n  a();\n  b();\n  c();\n}',
    ],
    [
      'function f() {\n  setup();\n  if (!ready) {\n    a();\n    b();\n    c();\n  }\n}',
      'function f() {\n  setup();\n  if (ready) return;\n  a();\n  b();\n  c();\n}',
    ],
    [
      'function f(x) {\n  if (x === 1) {\n    a();\n    b();\n    c();\n  }\n}',
      'function f(x) {\n  if (x !== 1) return;\n  a();\n  b();\n  c();\n}',
    ],
    [
      'function f(x) {\n  if (x.a && x.b) {\n    a();\n    b();\n    c();\n  }\n}',
      'function f(x) {\n  if (!(x.a && x.b)) return;\n  a();\n  b();\n  c();\n}',
    ],
    // `!(a < b)` is not `a >= b` when NaN is involved.
    [
      'function f(x) {\n  if (x < 1) {\n    a();\n    b();\n    c();\n  }\n}',
      'function f(x) {\n  if (!(x < 1)) return;\n  a();\n  b();\n  c();\n}',
    ],
    [
      'const f = async () => {\n  if (a) {\n    // first\n    const b = await g();\n    h(b);\n    i();\n  }\n};',
      'const f = async () => {\n  if (!a) return;\n  // first\n  const b = await g();\n  h(b);\n  i();\n};',
    ],
    [
      'class A {\n  m() {\n    if (a) {\n      b();\n      c();\n    }\n  }\n}',
      'class A {\n  m() {\n    if (!a) return;\n    b();\n    c();\n  }\n}',
      { options: { minStatements: 2 } },
    ],
    // Windows line breaks stay Windows line breaks.
    [
      'function f() {\r\n  if (ready) {\r\n    a();\r\n    b();\r\n    c();\r\n  }\r\n}',
      'function f() {\r\n  if (!ready) return;\r\n  a();\r\n  b();\r\n  c();\r\n}',
    ],
  ],
  unfixed: [
    // `x` would move into the function scope, where the test reads another `x`.
    'function f() {\n  if (x) {\n    const x = 1;\n    a(x);\n    b();\n  }\n}',
    'function f(x) {\n  if (ready) {\n    let x = 1;\n    a(x);\n    b();\n  }\n}',
    // A comment between the condition and the block would be lost.
    'function f() {\n  if (ready) /* only then */ {\n    a();\n    b();\n    c();\n  }\n}',
  ],
});
