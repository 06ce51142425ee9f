import { noSelfCompare } from './no-self-compare.js';
import { describeRule } from './testing.js';

describeRule(noSelfCompare, {
  valid: [
    'a === b;',
    'a.b === a.c;',
    'f() === f();',
    'a[i] === a[j];',
    'Math.random() === Math.random();',
  ],
  invalid: [
    { code: 'if (a === a) {}', errors: [{ column: 5, message: 'Comparing a value with itself.' }] },
    { code: 'x !== x;', errors: 1 },
    { code: 'this.value > this.value;', errors: 1 },
    { code: 'a.b[0] == a.b[0];', errors: 1 },
  ],
});
