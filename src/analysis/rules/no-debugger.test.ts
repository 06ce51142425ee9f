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
    { code: 'debugger;', output: '' },
    {
      code: 'function f() {\n  a();\n  debugger;\n  b();\n}',
      output: 'function f() {\n  a();\n  b();\n}',
    },
    { code: 'function f() { a(); debugger; }', output: 'function f() { a(); }' },
    { code: 'function f() {\n  debugger; a();\n}', output: 'function f() {\n  a();\n}' },
    {
      code: 'switch (a) {\n  case 1:\n    debugger;\n    break;\n}',
      output: 'switch (a) {\n  case 1:\n    break;\n}',
    },
    // A comment on the same line stays.
    { code: 'a();\ndebugger; // why\n', output: 'a();\n// why\n' },
  ],
  unfixed: [
    // A statement is required here.
    'function f() {\n  if (a) debugger;\n}',
    'while (a) debugger;',
    'label: debugger;',
  ],
});
