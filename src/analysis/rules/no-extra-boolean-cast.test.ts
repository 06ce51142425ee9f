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
    { code: 'if (!!a) {}', output: 'if (a) {}' },
    { code: 'while (Boolean(a)) {}', output: 'while (a) {}' },
    { code: 'const x = !!a ? 1 : 2;', output: 'const x = a ? 1 : 2;' },
    { code: 'const x = !Boolean(a);', output: 'const x = !a;' },
    { code: 'const x = !!!a;', output: 'const x = !a;' },
    { code: 'do {} while (!!a);', output: 'do {} while (a);' },
    { code: 'if (!!(a || b)) {}', output: 'if (a || b) {}' },
    { code: 'if (Boolean((a, b))) {}', output: 'if (a, b) {}' },
    { code: 'const x = !Boolean(a && b);', output: 'const x = !(a && b);' },
    { code: 'const x = Boolean(a = b) ? 1 : 2;', output: 'const x = (a = b) ? 1 : 2;' },
    { code: 'for (; !!a.b(); ) {}', output: 'for (; a.b(); ) {}' },
  ],
  unfixed: [
    // A comment inside the cast would be lost.
    'if (!!/* why */ a) {}',
    // A local `Boolean` may do anything.
    'function Boolean(x) { return x; }\nif (Boolean(a)) {}',
  ],
});
