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
    ["typeof a == 'string';", "typeof a === 'string';"],
    ["if ('number' != typeof a) {}", "if ('number' !== typeof a) {}"],
    ['typeof a == typeof b;', 'typeof a === typeof b;'],
    ['typeof a == `x`;', 'typeof a === `x`;'],
    ['1 == -2;', '1 === -2;'],
    ["'a' != 'b';", "'a' !== 'b';"],
    ['!a == !b;', '!a === !b;'],
    ['(a < b) == (c > d);', '(a < b) === (c > d);'],
    ['1n == 2n;', '1n === 2n;'],
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
