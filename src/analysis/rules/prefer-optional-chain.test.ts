import { preferOptionalChain } from './prefer-optional-chain.js';
import { describeRule } from './testing.js';

describeRule(preferOptionalChain, {
  valid: [
    'a?.b;',
    'a && b.c;',
    'a && a;',
    'a.b && a.c;',
    'a && a.b === 1;',
    'f() && f().b;',
    'a || a.b;',
    'a != null || a.b;',
  ],
  invalid: [
    {
      code: 'a && a.b;',
      errors: [{ column: 1, message: 'Prefer an optional chain (`?.`) over `&&` guards.' }],
    },
    { code: 'a && a.b && a.b.c;', errors: 1 },
    { code: 'a && a.b();', errors: 1 },
    { code: 'a && a();', errors: 1 },
    { code: 'a.b && a.b.c.d;', errors: 1 },
    { code: 'a != null && a.b;', errors: 1 },
    { code: 'undefined !== a && a[0];', errors: 1 },
    { code: 'this.x && this.x.y;', errors: 1 },
    { code: 'ok && a && a.b;', errors: 1 },
  ],
});
