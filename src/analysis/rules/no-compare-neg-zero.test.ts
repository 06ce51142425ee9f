import { noCompareNegZero } from './no-compare-neg-zero.js';
import { describeRule } from './testing.js';

describeRule(noCompareNegZero, {
  valid: ['x === 0;', 'Object.is(x, -0);', 'x === -1;', 'const y = -0;'],
  invalid: [
    {
      code: 'if (x === -0) {}',
      errors: [{ column: 5, message: 'Do not compare with -0; use Object.is(x, -0).' }],
    },
    { code: '-0 < x;', errors: 1 },
  ],
});
