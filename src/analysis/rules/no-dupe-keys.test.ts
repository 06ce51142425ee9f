import { noDupeKeys } from './no-dupe-keys.js';
import { describeRule } from './testing.js';

describeRule(noDupeKeys, {
  valid: [
    'const o = { a: 1, b: 2 };',
    'const o = { get a() { return 1; }, set a(v) {} };',
    'const o = { [a]: 1, [a]: 2 };',
    'const o = { a: 1, ...rest };',
    'const { a, a: b } = o;',
  ],
  invalid: [
    { code: 'const o = { a: 1, a: 2 };', errors: [{ column: 19, message: "Duplicate key 'a'." }] },
    { code: "const o = { a: 1, 'a': 2 };", errors: 1 },
    { code: "const o = { 1: 'x', '1': 'y', 0x1: 'z' };", errors: 2 },
    { code: 'const o = { a: 1, get a() { return 2; } };', errors: 1 },
    { code: 'const o = { a() {}, a: 2 };', errors: 1 },
    { code: "const o = { ['a']: 1, a: 2 };", errors: 1 },
  ],
});
