import { noVar } from './no-var.js';
import { describeFixes, describeRule } from './testing.js';

describeRule(noVar, {
  valid: [
    'let a = 1;',
    'const a = 1;',
    'declare var g: number;',
    'declare global { var beast: number; }',
    "declare module 'm' { var x: number; }",
  ],
  invalid: [
    {
      code: 'var a = 1;',
      errors: [{ line: 1, column: 1, message: "Unexpected 'var'; use 'let' or 'const'." }],
    },
    { code: 'for (var i = 0; i < n; i++) {}', errors: [{ column: 6 }] },
    { code: 'function f() { var a, b; }', errors: 1 },
  ],
});

describeFixes(noVar, {
  fixed: [
    ['var a = 1;\nexport { b };\nuse(a);', 'const a = 1;\nexport { b };\nuse(a);'],
    [
      'export function f() {\n  var a = 1;\n  a += 1;\n  return a;\n}',
      'export function f() {\n  let a = 1;\n  a += 1;\n  return a;\n}',
    ],
    [
      'export function f() {\n  var a;\n  a = g();\n  return a;\n}',
      'export function f() {\n  let a;\n  a = g();\n  return a;\n}',
    ],
    [
      'export function f(n) {\n  for (var i = 0; i < n; i++) {\n    g(i);\n  }\n}',
      'export function f(n) {\n  for (let i = 0; i < n; i++) {\n    g(i);\n  }\n}',
    ],
    [
      'export function f(o) {\n  for (var k in o) {\n    g(k);\n  }\n}',
      'export function f(o) {\n  for (const k in o) {\n    g(k);\n  }\n}',
    ],
    [
      'export function f(xs) {\n  for (const x of xs) {\n    var y = x * 2;\n    g(y);\n  }\n}',
      'export function f(xs) {\n  for (const x of xs) {\n    const y = x * 2;\n    g(y);\n  }\n}',
    ],
    // A closure outside any loop sees the same single binding either way.
    [
      'export function f() {\n  var a = 1, b = a + 1;\n  return () => a + b;\n}',
      'export function f() {\n  const a = 1, b = a + 1;\n  return () => a + b;\n}',
    ],
    [
      'export function f() {\n  var { a, b: [c] } = g();\n  return a + c;\n}',
      'export function f() {\n  const { a, b: [c] } = g();\n  return a + c;\n}',
    ],
    ['var a = 1;\nmodule.exports = a;', 'const a = 1;\nmodule.exports = a;', { file: 'x.cjs' }],
  ],
  unfixed: [
    // A script's top-level `var` is a global other scripts may use.
    { code: 'var a = 1;', file: 'legacy.js' },
    // Used before the declaration, or in its own initialiser.
    'export function f() {\n  g(a);\n  var a = 1;\n}',
    'export function f() {\n  var a = a || {};\n  return a;\n}',
    // Used outside the block it is declared in.
    'export function f() {\n  if (c) {\n    var a = 1;\n  }\n  return a;\n}',
    'export function f(n) {\n  for (var i = 0; i < n; i++) {}\n  return i;\n}',
    // Declared twice.
    'export function f() {\n  var a = 1;\n  var a = 2;\n  return a;\n}',
    // Closures in a loop would each keep their own binding.
    'export function f(xs) {\n  const fs = [];\n  for (var i = 0; i < xs.length; i++) {\n    fs.push(() => i);\n  }\n  return fs;\n}',
    // Without a value, a loop's `var` keeps the previous iteration's.
    'export function f(xs) {\n  for (const x of xs) {\n    var last;\n    if (x) last = x;\n    g(last);\n  }\n}',
    // A hoisted function may run before the declaration.
    'export function f() {\n  g();\n  var a = 1;\n  function g() {\n    return a;\n  }\n}',
    // A statement is required here; a catch parameter of the same name.
    'export function f(c) {\n  if (c) var a = 1;\n}',
    'export function f() {\n  try {\n    g();\n  } catch (e) {\n    var e = 1;\n    h(e);\n  }\n}',
    // An exported binding may be read early through a circular import.
    'var a = 1;\nexport { a };',
  ],
});
