import { describeRule } from './testing.js';
import { validTypeof } from './valid-typeof.js';

describeRule(validTypeof, {
  valid: [
    "typeof a === 'string';",
    "typeof a !== 'undefined';",
    "'bigint' == typeof a;",
    'typeof a === b;',
    'typeof a === typeof b;',
    "a === 'strnig';",
  ],
  invalid: [
    {
      code: "typeof a === 'strnig';",
      errors: [{ column: 14, message: "Invalid typeof comparison value 'strnig'." }],
    },
    { code: "'null' === typeof a;", errors: 1 },
    { code: 'typeof a != `array`;', errors: 1 },
  ],
});
