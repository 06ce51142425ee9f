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
    ['if (a != null && a.b) {}', 'if (a?.b) {}'],
    ['if (null != a && a.b()) {}', 'if (a?.b()) {}'],
    ['while (a != undefined && a[0]) {}', 'while (a?.[0]) {}'],
    ['if (a != null && a()) {}', 'if (a?.()) {}'],
    ['if (!(a.b != null && a.b.c.d)) {}', 'if (!(a.b?.c.d)) {}'],
    ['if (ok && a != null && a.b) {}', 'if (ok && a?.b) {}'],
    ['const x = y && (a != null && a.b) ? 1 : 2;', 'const x = y && (a?.b) ? 1 : 2;'],
    ['if (this.x != null && this.x.y) {}', 'if (this.x?.y) {}'],
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
