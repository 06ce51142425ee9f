import { noThrowLiteral } from './no-throw-literal.js';
import { describeRule } from './testing.js';

describeRule(noThrowLiteral, {
  valid: [
    "throw new Error('x');",
    'throw error;',
    'throw makeError();',
    'throw Object.assign(new Error(), { code: 1 });',
    'throw a + b;',
    'throw cond ? e1 : e2;',
  ],
  invalid: [
    {
      code: "throw 'failed';",
      errors: [{ column: 7, message: 'Throw an Error object, not a literal.' }],
    },
    { code: 'throw 404;', errors: 1 },
    { code: 'throw `failed: ${reason}`;', errors: 1 },
    { code: "throw 'failed: ' + reason;", errors: 1 },
    { code: "throw reason + ' failed' + suffix;", errors: 1 },
    { code: 'throw undefined;', errors: 1 },
    { code: 'throw null;', errors: 1 },
  ],
});
