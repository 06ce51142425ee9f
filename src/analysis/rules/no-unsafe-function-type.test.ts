import { noUnsafeFunctionType } from './no-unsafe-function-type.js';
import { describeRule } from './testing.js';

describeRule(noUnsafeFunctionType, {
  valid: [
    'let f: () => void;',
    'let f: (...args: never[]) => unknown;',
    'const ok = x instanceof Function;',
    'class Function {} let f: Function;',
  ],
  invalid: [
    {
      code: 'let f: Function;',
      errors: [{ column: 8, message: 'Use a specific function type instead of `Function`.' }],
    },
    { code: 'function call(cb: Function): Function { return cb; }', errors: 2 },
  ],
});
