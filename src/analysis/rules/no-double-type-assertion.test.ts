import { noDoubleTypeAssertion } from './no-double-type-assertion.js';
import { describeRule } from './testing.js';

describeRule(noDoubleTypeAssertion, {
  valid: [
    'const a = b as T;',
    'const a = b as const;',
    'const a = (b as unknown) ?? c;',
    'const a = b as T as U;',
  ],
  invalid: [
    {
      code: 'const a = b as unknown as T;',
      errors: [{ column: 11, message: 'Double type assertion through `unknown` or `any`.' }],
    },
    { code: 'const a = b as any as T;', errors: 1 },
    { code: 'const a = <T>(<unknown>b);', errors: 1 },
  ],
});
