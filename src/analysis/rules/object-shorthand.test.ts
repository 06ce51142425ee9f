import { objectShorthand } from './object-shorthand.js';
import { describeFixes, describeRule } from './testing.js';

describeRule(objectShorthand, {
  valid: [
    'const o = { a };',
    'const o = { a: b };',
    "const o = { 'a': a };",
    'const o = { [a]: a };',
    'const o = { a: function () {} };',
  ],
  invalid: [
    {
      code: 'const o = { a: a };',
      errors: [{ column: 13, message: "Use the shorthand '{ a }'." }],
    },
    { code: 'const o = { a: a, b: c, d: d };', errors: 2 },
    { code: 'const { a: a } = o;', errors: 1 },
  ],
});

describeFixes(objectShorthand, {
  fixed: [
    ['const o = { a: a };', 'const o = { a };'],
    ['const o = { a: a, b: c, d: d };', 'const o = { a, b: c, d };'],
    ['const { a: a } = o;', 'const { a } = o;'],
    ['f({\n  x: x,\n  y,\n});', 'f({\n  x,\n  y,\n});'],
  ],
  unfixed: [
    // The comment would be lost.
    'const o = { a: /* the a */ a };',
  ],
});
