import { noUnsafeNegation } from './no-unsafe-negation.js';
import { describeRule } from './testing.js';

describeRule(noUnsafeNegation, {
  valid: ['!(key in obj);', '!(a instanceof B);', '(!key) in obj;', 'key in obj;', '!a === b;'],
  invalid: [
    {
      code: 'if (!key in obj) {}',
      errors: [{ column: 5, message: "Unexpected negation of the left operand of 'in'." }],
    },
    { code: '!a instanceof B;', errors: 1 },
  ],
});
