import { noVar } from './no-var.js';
import { describeRule } from './testing.js';

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
