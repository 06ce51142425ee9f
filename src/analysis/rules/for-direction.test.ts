import { forDirection } from './for-direction.js';
import { describeRule } from './testing.js';

describeRule(forDirection, {
  valid: [
    'for (let i = 0; i < n; i++) {}',
    'for (let i = n; i >= 0; i--) {}',
    'for (let i = 0; n > i; i += 2) {}',
    'for (let i = 0; i < n; i -= -1) {}',
    'for (let i = 0; i < n; i = next(i)) {}',
    'for (let i = 0; i !== n; i--) {}',
  ],
  invalid: [
    {
      code: 'for (let i = 0; i < 10; i--) {}',
      errors: [
        { column: 25, message: 'The update moves the counter away from the stop condition.' },
      ],
    },
    { code: 'for (let i = 10; i >= 0; i++) {}', errors: 1 },
    { code: 'for (let i = 0; n > i; i -= 1) {}', errors: 1 },
  ],
});
