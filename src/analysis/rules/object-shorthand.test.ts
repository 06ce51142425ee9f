import { objectShorthand } from './object-shorthand.js';
import { describeRule } from './testing.js';

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
