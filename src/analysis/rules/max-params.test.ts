import { maxParams } from './max-params.js';
import { describeRule } from './testing.js';

describeRule(maxParams, {
  valid: [
    'function f(a, b, c, d) {}',
    // A TypeScript `this` parameter is not a real parameter.
    'function f(this: Window, a, b, c, d) {}',
    { code: 'const f = (a, b, c, d, e, g) => a;', options: { threshold: 6 } },
    // Overload signatures and declarations are not checked, only implementations.
    'declare function f(a, b, c, d, e): void;',
  ],
  invalid: [
    {
      code: 'function five(a, b, c, d, e) {}',
      errors: [{ line: 1, column: 1, message: "Function 'five' has 5 parameters (threshold 4)." }],
    },
    {
      code: 'class A { m(a, b, { c }, [d], ...e) {} }',
      errors: [{ message: /'m' has 5 parameters/ }],
    },
    { code: 'const f = (a, b) => a;', options: { threshold: 1 }, errors: 1 },
  ],
});
