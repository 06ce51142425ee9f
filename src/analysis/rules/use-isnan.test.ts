import { describeFixes, describeRule } from './testing.js';
import { useIsnan } from './use-isnan.js';

describeRule(useIsnan, {
  valid: [
    'Number.isNaN(x);',
    'x === y;',
    'isNaN(x);',
    'arr.indexOf(x);',
    'switch (x) { case 1: break; }',
  ],
  invalid: [
    {
      code: 'if (x === NaN) {}',
      errors: [{ column: 5, message: 'Use Number.isNaN() instead of comparing with NaN.' }],
    },
    { code: 'x != Number.NaN;', errors: 1 },
    { code: 'switch (x) { case NaN: break; }', errors: 1 },
    { code: 'switch (NaN) { default: }', errors: 1 },
    {
      code: 'arr.indexOf(NaN);',
      errors: [{ message: "'indexOf(NaN)' always returns -1; use findIndex(Number.isNaN)." }],
    },
  ],
});

describeFixes(useIsnan, {
  fixed: [
    ['if (x === NaN) {}', 'if (Number.isNaN(x)) {}'],
    ['if (NaN == x.y) {}', 'if (Number.isNaN(x.y)) {}'],
    ['const b = x != Number.NaN;', 'const b = !Number.isNaN(x);'],
    ['const b = a + 1 !== NaN;', 'const b = !Number.isNaN(a + 1);'],
    ['const b = (a, c) === NaN;', 'const b = Number.isNaN((a, c));'],
    ['const b = !(x === NaN);', 'const b = !(Number.isNaN(x));'],
  ],
  unfixed: [
    // Ordering comparisons with NaN have no Number.isNaN equivalent to offer.
    'if (x < NaN) {}',
    'switch (x) { case NaN: break; }',
    'arr.indexOf(NaN);',
    // `Number` is not the global here.
    'const Number = { isNaN: () => false };\nif (x === NaN) {}',
  ],
});
