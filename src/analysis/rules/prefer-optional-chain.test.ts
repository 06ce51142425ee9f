import { preferOptionalChain } from './prefer-optional-chain.js';
import { describeFixes, describeRule } from './testing.js';

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

describeFixes(preferOptionalChain, {
  fixed: [
    { code: 'if (a != null && a.b) {}', output: 'if (a?.b) {}' },
    { code: 'if (null != a && a.b()) {}', output: 'if (a?.b()) {}' },
    { code: 'while (a != undefined && a[0]) {}', output: 'while (a?.[0]) {}' },
    { code: 'if (a != null && a()) {}', output: 'if (a?.()) {}' },
    { code: 'if (!(a.b != null && a.b.c.d)) {}', output: 'if (!(a.b?.c.d)) {}' },
    { code: 'if (ok && a != null && a.b) {}', output: 'if (ok && a?.b) {}' },
    {
      code: 'const x = y && (a != null && a.b) ? 1 : 2;',
      output: 'const x = y && (a?.b) ? 1 : 2;',
    },
    { code: 'if (this.x != null && this.x.y) {}', output: 'if (this.x?.y) {}' },
  ],
  unfixed: [
    // `a && a.b` gives `a` when it is falsy; `a?.b` reads the property of 0 or "".
    'if (a && a.b) {}',
    // The value is used, not only its truthiness: false and undefined differ.
    'const x = a != null && a.b;',
    // `a !== undefined` lets null through, where `a.b` throws and `a?.b` does not.
    'if (undefined !== a && a[0]) {}',
    // `undefined` is not the global here.
    'function f(undefined) { if (a != undefined && a.b) {} }',
  ],
});
