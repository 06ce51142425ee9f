import { noNonNullAssertedOptionalChain } from './no-non-null-asserted-optional-chain.js';
import { describeFixes, describeRule } from './testing.js';

describeRule(noNonNullAssertedOptionalChain, {
  valid: ['a?.b;', 'a!.b;', 'a?.b!.c;', 'a.b!;'],
  invalid: [
    {
      code: 'a?.b!;',
      errors: [{ column: 1, message: 'Non-null assertion on an optional chain.' }],
    },
    { code: 'a?.b()!;', errors: 1 },
    { code: '(a?.b)!;', errors: 1 },
  ],
});

describeFixes(noNonNullAssertedOptionalChain, {
  fixed: [
    ['a?.b!;', 'a?.b;'],
    ['f(a?.b()!);', 'f(a?.b());'],
    ['const x = (a?.b)!;', 'const x = (a?.b);'],
    ['const x = a?.[0]!;', 'const x = a?.[0];'],
  ],
  // Every finding ends in the `!` to remove.
  unfixed: [],
});
