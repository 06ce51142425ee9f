import { noSelfAssign } from './no-self-assign.js';
import { describeRule } from './testing.js';

describeRule(noSelfAssign, {
  valid: [
    'a = b;',
    'a += a;',
    'a.b = a.b;',
    '[a, b] = [b, a];',
    'let a = a2;',
    '[a, b] = [...c, b];',
  ],
  invalid: [
    { code: 'a = a;', errors: [{ column: 5, message: "'a' is assigned to itself." }] },
    { code: 'a ||= a;', errors: 1 },
    { code: '[a, b] = [a, b];', errors: 2 },
    { code: '[a, b] = [c, b];', errors: 1 },
  ],
});
