import { noNonNullAssertion } from './no-non-null-assertion.js';
import { describeRule } from './testing.js';

describeRule(noNonNullAssertion, {
  valid: ['const a = b ?? c;', 'const a = b?.c;', 'if (a !== null) use(a);', 'const x = !a;'],
  invalid: [
    {
      code: 'const a = b!;',
      errors: [{ line: 1, column: 12, message: 'Forbidden non-null assertion.' }],
    },
    { code: 'map.get(key)!.push(value);', errors: 1 },
    { code: 'a!.b!.c;', errors: 2 },
  ],
});
