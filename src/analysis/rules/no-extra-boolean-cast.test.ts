import { noExtraBooleanCast } from './no-extra-boolean-cast.js';
import { describeFixes, describeRule } from './testing.js';

describeRule(noExtraBooleanCast, {
  valid: [
    'const a = !!b;',
    'const a = Boolean(b);',
    'if (a) {}',
    'if (!a) {}',
    'f(!!a);',
    'if (Boolean(...args)) {}',
  ],
  invalid: [
    { code: 'if (!!a) {}', errors: [{ column: 5, message: 'Redundant boolean cast.' }] },
    { code: 'while (Boolean(a)) {}', errors: 1 },
    { code: 'const x = !!a ? 1 : 2;', errors: 1 },
    { code: 'const x = !Boolean(a);', errors: 1 },
    { code: 'const x = !!!a;', errors: 1 },
    { code: 'do {} while (!!a);', errors: 1 },
  ],
});

describeFixes(noExtraBooleanCast, {
  fixed: [
    ['if (!!a) {}', 'if (a) {}'],
    ['while (Boolean(a)) {}', 'while (a) {}'],
    ['const x = !!a ? 1 : 2;', 'const x = a ? 1 : 2;'],
    ['const x = !Boolean(a);', 'const x = !a;'],
    ['const x = !!!a;', 'const x = !a;'],
    ['do {} while (!!a);', 'do {} while (a);'],
    ['if (!!(a || b)) {}', 'if (a || b) {}'],
    ['if (Boolean((a, b))) {}', 'if (a, b) {}'],
    ['const x = !Boolean(a && b);', 'const x = !(a && b);'],
    ['const x = Boolean(a = b) ? 1 : 2;', 'const x = (a = b) ? 1 : 2;'],
    ['for (; !!a.b(); ) {}', 'for (; a.b(); ) {}'],
  ],
  unfixed: [
    // A comment inside the cast would be lost.
    'if (!!/* why */ a) {}',
    // A local `Boolean` may do anything.
    'function Boolean(x) { return x; }\nif (Boolean(a)) {}',
  ],
});
