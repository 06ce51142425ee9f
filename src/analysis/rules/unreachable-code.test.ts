import { describeFixes, describeRule } from './testing.js';
import { unreachableCode } from './unreachable-code.js';

describeRule(unreachableCode, {
  valid: [
    'function f() { if (a) return 1; return 2; }',
    // Hoisted declarations after a return are reachable.
    'function f() { return g(); function g() { return 1; } }',
    'function f() { return x; var x; }',
    'function f(): T { return 1; type T = number; interface I {} }',
    // A loop or a switch may complete normally.
    'function f() { for (;;) { if (a) break; } after(); }',
    'function f() { switch (a) { case 1: return 1; } after(); }',
    'function f() { try { return 1; } catch { handle(); } after(); }',
    'function f() { while (a) { continue; } after(); }',
    'function f() { if (a) { return 1; } else { g(); } after(); }',
    'lbl: { if (a) break lbl; after(); }',
  ],
  invalid: [
    {
      code: 'function f() {\n  return 1;\n  a();\n  b();\n}',
      errors: [{ line: 3, column: 3, endLine: 4, message: 'Unreachable code.' }],
    },
    { code: 'function f() { throw new Error(); cleanup(); }', errors: 1 },
    { code: 'for (const x of xs) { continue; g(x); }', errors: 1 },
    { code: 'switch (a) { case 1: f(); break; g(); }', errors: 1 },
    // Both branches exit, so the rest of the block is dead.
    { code: 'function f() { if (a) { return 1; } else { throw e; } after(); }', errors: 1 },
    { code: 'function f() { try { return 1; } finally { log(); } after(); }', errors: 1 },
    // A dead nested block is reported once, with the enclosing dead range.
    { code: 'function f() { return; if (a) { return; b(); } }', errors: 1 },
    { code: 'function f() { return; let x = 1; }', errors: 1 },
  ],
});

describeFixes(unreachableCode, {
  fixed: [
    ['function f() {\n  return 1;\n  a();\n  b();\n}', 'function f() {\n  return 1;\n}'],
    ['function f() { throw new Error(); cleanup(); }', 'function f() { throw new Error(); }'],
    [
      'for (const x of xs) {\n  g(x);\n  continue;\n  h(x);\n}',
      'for (const x of xs) {\n  g(x);\n  continue;\n}',
    ],
    [
      'switch (a) {\n  case 1:\n    f();\n    break;\n    g();\n}',
      'switch (a) {\n  case 1:\n    f();\n    break;\n}',
    ],
    [
      'function f() {\n  return;\n  if (a) {\n    return;\n    b();\n  }\n}',
      'function f() {\n  return;\n}',
    ],
    ['function f() {\n  return;\n  let x = 1;\n}', 'function f() {\n  return;\n}'],
    // Comments before the dead code and after it on its line stay.
    [
      'function f() {\n  return 1;\n  // why\n  a();\n}',
      'function f() {\n  return 1;\n  // why\n}',
    ],
    ['function f() {\n  return 1;\n  a(); // old\n}', 'function f() {\n  return 1;\n  // old\n}'],
  ],
  unfixed: [
    // A hoisted declaration sits among the dead statements.
    'function f() {\n  return g();\n  a();\n  function g() {}\n  b();\n}',
    'function f() {\n  return x;\n  a();\n  var x = 1;\n  b();\n}',
    // A nested `var` is hoisted out of the dead block.
    'function f() {\n  return g;\n  if (a) {\n    var g = 1;\n  }\n}',
    // A name declared by the dead code is used elsewhere.
    'function f() {\n  const g = () => x;\n  return g;\n  const x = 1;\n}',
    // A comment inside the dead code would be lost.
    'function f() {\n  return 1;\n  a();\n  // why\n  b();\n}',
  ],
});
