import { noDupeClassMembers } from './no-dupe-class-members.js';
import { describeRule } from './testing.js';

describeRule(noDupeClassMembers, {
  valid: [
    'class A { a() {} b() {} }',
    'class A { get a() { return 1; } set a(v) {} }',
    'class A { static a() {} a() {} }',
    // Overload signatures.
    'class A { m(a: string): void; m(a: number): void; m(a: unknown) {} }',
    'class A { [a]() {} [a]() {} }',
    'class A { #a = 1; a = 2; }',
  ],
  invalid: [
    {
      code: 'class A {\n  m() {}\n  m() {}\n}',
      errors: [{ line: 3, column: 3, message: "Duplicate class member 'm'." }],
    },
    { code: 'class A { a = 1; a() {} }', errors: 1 },
    { code: 'class A { get a() { return 1; } get a() { return 2; } }', errors: 1 },
    { code: "class A { static x() {} static 'x'() {} }", errors: 1 },
  ],
});
