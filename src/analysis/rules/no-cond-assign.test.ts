import { noCondAssign } from './no-cond-assign.js';
import { describeRule } from './testing.js';

describeRule(noCondAssign, {
  valid: [
    'if (a === b) {}',
    'while ((m = re.exec(s))) {}',
    'if ((a = b)) {}',
    'do {} while ((a = next()));',
    'for (; (x = next()); ) {}',
    'const c = (a = b) ? 1 : 2;',
    'if (f(a = b)) {}',
  ],
  invalid: [
    {
      code: 'if (a = b) {}',
      errors: [
        { column: 5, message: 'Unexpected assignment in a condition; did you mean a comparison?' },
      ],
    },
    { code: 'while (m = re.exec(s)) {}', errors: 1 },
    { code: 'do {} while (a = b);', errors: 1 },
    { code: 'for (; x = next(); ) {}', errors: 1 },
    { code: 'if ( a = b ) {}', errors: 1 },
  ],
});
