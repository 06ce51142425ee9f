import { noMagicNumbers } from './no-magic-numbers.js';
import { describeRule } from './testing.js';

describeRule(noMagicNumbers, {
  valid: [
    'const TIMEOUT = 5000;',
    'const DAY = 24 * 60 * 60 * 1000;',
    'const LIMITS = [10, 20, 30];',
    'f(0); f(1); f(-1); f(2);',
    'const o = { retries: 3 };',
    'function f(retries = 3) {}',
    'arr[3];',
    'enum E { A = 5 }',
    'type T = 42;',
    'class A { readonly max = 10; }',
    { code: 'f(7);', options: { ignore: [7] } },
  ],
  invalid: [
    { code: 'setTimeout(f, 5000);', errors: [{ column: 15, message: 'No magic number: 5000.' }] },
    { code: 'if (x > 10) {}', errors: 1 },
    { code: 'let total = price * 1.2;', errors: 1 },
    { code: 'f(-5);', errors: [{ column: 3, message: 'No magic number: -5.' }] },
    // A function inside a constant is ordinary code again.
    { code: 'const f = (x) => x * 42;', errors: 1 },
  ],
});
