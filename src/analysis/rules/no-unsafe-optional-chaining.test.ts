import { noUnsafeOptionalChaining } from './no-unsafe-optional-chaining.js';
import { describeRule } from './testing.js';

describeRule(noUnsafeOptionalChaining, {
  valid: [
    'a?.b.c;',
    'a?.b?.();',
    '(a?.b)?.c;',
    'const { x } = a?.b ?? {};',
    'const o = { ...a?.b };',
    'for (const x of a?.b ?? []) {}',
    '(a?.b)!.c;',
    'f(a?.b);',
  ],
  invalid: [
    {
      code: '(a?.b).c;',
      errors: [
        {
          column: 2,
          message: 'Unsafe use of an optional chain: it can short-circuit to undefined here.',
        },
      ],
    },
    { code: '(a?.b)();', errors: 1 },
    { code: 'new (a?.b)();', errors: 1 },
    { code: '[...a?.b];', errors: 1 },
    { code: 'f(...a?.b);', errors: 1 },
    { code: 'const { x } = a?.b;', errors: 1 },
    { code: '[x] = a?.b;', errors: 1 },
    { code: 'for (const x of a?.b) {}', errors: 1 },
    { code: "'k' in a?.b;", errors: 1 },
    { code: 'class A extends a?.B {}', errors: 1 },
    { code: '(a?.b)`t`;', errors: 1 },
  ],
});
