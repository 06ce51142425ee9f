import { describeRule } from './testing.js';
import { unusedPrivateClassMember } from './unused-private-class-member.js';

describeRule(unusedPrivateClassMember, {
  valid: [
    'class A { #x = 1; get() { return this.#x; } }',
    'class A { private x = 1; get() { return this.x; } }',
    'class A { private static count = 0; make() { return A.count++; } }',
    'class A { #secret = 1; static has(o) { return #secret in o; } }',
    'class A { private helper() {} run() { this.helper(); } }',
    'class A { private a = 1; equals(other: A) { return other.a === this.a; } }',
    // Accessed with a literal or computed name.
    "class A { private a = 1; get() { return this['a']; } }",
    'class A { private a = 1; get(key) { return this[key]; } }',
    // Destructured from `this`.
    'class A { private a = 1; get() { const { a } = this; return a; } }',
    // Used by an inner class.
    'class A { #x = 1; make() { return class { read(a: A) { return a.#x; } }; } }',
    // Decorated members are called by frameworks.
    'class A { @HostListener("click") private onClick() {} }',
    // Parameter properties used, or decorated.
    'class A { constructor(private readonly dep: Dep) {} run() { return this.dep.go(); } }',
    'class A { constructor(@Inject(TOKEN) private readonly dep: Dep) {} }',
    // Public and protected members are not checked.
    'class A { public a = 1; protected b = 2; c = 3; }',
    'class A { private constructor() {} }',
  ],
  invalid: [
    {
      code: 'class A {\n  #unused = 1;\n}',
      errors: [{ line: 2, column: 3, message: "Private member '#unused' is never used." }],
    },
    { code: 'class A { private helper() {} private other = 2; }', errors: 2 },
    {
      code: 'class A { constructor(private readonly dep: Dep) {} }',
      errors: [{ message: "Private member 'dep' is never used." }],
    },
    // A `#name` cannot be reached by a computed access.
    { code: 'class A { #x = 1; get(k) { return this[k]; } }', errors: 1 },
    // An accessor pair is one member.
    { code: 'class A { get #v() { return 1; } set #v(x) {} }', errors: 1 },
    // The inner class's own unused member.
    {
      code: 'class A { #x = 1; f() { return this.#x; } g() { return class { #y = 2; }; } }',
      errors: [{ message: /'#y'/ }],
    },
  ],
});
