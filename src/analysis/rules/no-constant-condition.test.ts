import { noConstantCondition } from './no-constant-condition.js';
import { describeRule } from './testing.js';

describeRule(noConstantCondition, {
  valid: [
    'if (a) {}',
    "if (typeof a === 'string') {}",
    'while (true) { if (a) break; }',
    'for (;;) {}',
    'do {} while (true);',
    'const x = a ? 1 : 2;',
    'if (a || {}) {}',
    'if (x === undefined) {}',
    'if (!a) {}',
  ],
  invalid: [
    { code: 'if (true) {}', errors: [{ column: 5, message: 'Unexpected constant condition.' }] },
    { code: 'if (0) {}', errors: 1 },
    { code: 'const x = 1 ? a : b;', errors: 1 },
    { code: 'if ({}) {}', errors: 1 },
    { code: 'if (typeof a) {}', errors: 1 },
    { code: "if ('a' === 'b') {}", errors: 1 },
    { code: 'while (1) {}', errors: 1 },
    { code: 'if (!function () {}) {}', errors: 1 },
    { code: 'if (void 0) {}', errors: 1 },
    { code: 'if (`literal`) {}', errors: 1 },
  ],
});
