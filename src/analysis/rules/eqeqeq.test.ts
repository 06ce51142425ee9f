import { eqeqeq } from './eqeqeq.js';
import { describeRule } from './testing.js';

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
