import { eqeqeq } from './eqeqeq.js';
import { describeFixes, describeRule } from './testing.js';

describeRule(eqeqeq, {
  valid: ['a === b;', 'a !== b;', 'a == null;', 'null != a;', "a === '=='"],
  invalid: [
    { code: 'a == b;', errors: [{ column: 3, message: "Expected '===' and instead saw '=='." }] },
    {
      code: 'if (x != 0) {}',
      errors: [{ column: 7, message: "Expected '!==' and instead saw '!='." }],
    },
    { code: "typeof a == 'string';", errors: 1 },
    { code: 'a == undefined;', errors: 1 },
    { code: "f('==') == g('!=');", errors: [{ column: 9 }] },
  ],
});

describeFixes(eqeqeq, {
  fixed: [
    { code: "typeof a == 'string';", output: "typeof a === 'string';" },
    { code: "if ('number' != typeof a) {}", output: "if ('number' !== typeof a) {}" },
    { code: 'typeof a == typeof b;', output: 'typeof a === typeof b;' },
    { code: 'typeof a == `x`;', output: 'typeof a === `x`;' },
    { code: '1 == -2;', output: '1 === -2;' },
    { code: "'a' != 'b';", output: "'a' !== 'b';" },
    { code: '!a == !b;', output: '!a === !b;' },
    { code: '(a < b) == (c > d);', output: '(a < b) === (c > d);' },
    { code: '1n == 2n;', output: '1n === 2n;' },
  ],
  unfixed: [
    // Without types, either side may be converted.
    'a == b;',
    'if (x != 0) {}',
    "a == 'x';",
    // Different types: loose equality converts ('1' == 1 is true).
    "'1' == 1;",
    'typeof a == 1;',
    '`1` == 1;',
    'a == undefined;',
    // A comment holds the first `==`: the operator is not where the rule looked.
    'typeof a /* == */ == "x";',
  ],
});
