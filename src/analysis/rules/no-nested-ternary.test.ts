import { noNestedTernary } from './no-nested-ternary.js';
import { describeRule } from './testing.js';

describeRule(noNestedTernary, {
  valid: [
    'const a = b ? c : d;',
    'const a = (b ? c : d) + (e ? f : g);',
    'const a = b ? f(c ? 1 : 2) : d;',
  ],
  invalid: [
    {
      code: 'const a = b ? c : d ? e : f;',
      errors: [{ column: 11, message: 'Do not nest conditional expressions.' }],
    },
    { code: 'const a = b ? (c ? 1 : 2) : 3;', errors: 1 },
    { code: 'const a = b ? 1 : c ? 2 : d ? 3 : 4;', errors: 2 },
  ],
});
