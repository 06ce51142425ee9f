import { noDebugger } from './no-debugger.js';
import { describeRule } from './testing.js';

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
