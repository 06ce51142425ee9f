import { noDebugger } from './no-debugger.js';
import { describeFixes, describeRule } from './testing.js';

describeRule(noDebugger, {
  valid: ['const debuggerEnabled = true;', '// debugger;'],
  invalid: [
    {
      code: 'debugger;',
      errors: [{ line: 1, column: 1, message: "Unexpected 'debugger' statement." }],
    },
    { code: 'function f() {\n  if (a) debugger;\n}', errors: [{ line: 2, column: 10 }] },
  ],
});

describeFixes(noDebugger, {
  fixed: [
    ['debugger;', ''],
    ['function f() {\n  a();\n  debugger;\n  b();\n}', 'function f() {\n  a();\n  b();\n}'],
    ['function f() { a(); debugger; }', 'function f() { a(); }'],
    ['function f() {\n  debugger; a();\n}', 'function f() {\n  a();\n}'],
    [
      'switch (a) {\n  case 1:\n    debugger;\n    break;\n}',
      'switch (a) {\n  case 1:\n    break;\n}',
    ],
    // A comment on the same line stays.
    ['a();\ndebugger; // why\n', 'a();\n// why\n'],
  ],
  unfixed: [
    // A statement is required here.
    'function f() {\n  if (a) debugger;\n}',
    'while (a) debugger;',
    'label: debugger;',
  ],
});
