import { noDuplicateCase } from './no-duplicate-case.js';
import { describeRule } from './testing.js';

describeRule(noDuplicateCase, {
  valid: [
    'switch (a) { case 1: break; case 2: break; default: break; }',
    "switch (a) { case '1': break; case 1: break; }",
    'switch (a) { case b.c: break; case b.d: break; }',
  ],
  invalid: [
    {
      code: 'switch (a) {\n  case 1: break;\n  case 1: break;\n}',
      errors: [{ line: 3, column: 3, message: 'Duplicate case label.' }],
    },
    { code: 'switch (a) { case f( x ): break; case f(x): break; case f(x): break; }', errors: 2 },
    { code: 'switch (a) { case `a`: break; case `a`: break; }', errors: 1 },
  ],
});
