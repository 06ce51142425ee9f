import { noExtraBooleanCast } from './no-extra-boolean-cast.js';
import { describeRule } from './testing.js';

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
