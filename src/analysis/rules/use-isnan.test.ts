import { describeRule } from './testing.js';
import { useIsnan } from './use-isnan.js';

describeRule(useIsnan, {
  valid: [
    'Number.isNaN(x);',
    'x === y;',
    'isNaN(x);',
    'arr.indexOf(x);',
    'switch (x) { case 1: break; }',
  ],
  invalid: [
    {
      code: 'if (x === NaN) {}',
      errors: [{ column: 5, message: 'Use Number.isNaN() instead of comparing with NaN.' }],
    },
    { code: 'x != Number.NaN;', errors: 1 },
    { code: 'switch (x) { case NaN: break; }', errors: 1 },
    { code: 'switch (NaN) { default: }', errors: 1 },
    {
      code: 'arr.indexOf(NaN);',
      errors: [{ message: "'indexOf(NaN)' always returns -1; use findIndex(Number.isNaN)." }],
    },
  ],
});
