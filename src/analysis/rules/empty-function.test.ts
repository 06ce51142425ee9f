import { emptyFunction } from './empty-function.js';
import { describeRule } from './testing.js';

describeRule(emptyFunction, {
  valid: [
    'function f() { return 1; }',
    'function f() {\n  // intentionally empty: the interface requires it\n}',
    // No-op callbacks and defaults are deliberate.
    'const noop = () => {}; promise.then(() => {}); const g = function () {};',
    'function noop() {}',
    'function assertType<T>(value: unknown): asserts value is T {}',
    'class A extends B { override hook() {} }',
    'class A { private constructor() {} }',
    'class A { constructor(private readonly dep: Dep) {} }',
    'abstract class A { abstract m(): void; }',
    'class A { m(): void; m(a?: number) { return a; } }',
  ],
  invalid: [
    {
      code: 'function todo() {}',
      errors: [{ line: 1, column: 1, message: "Function 'todo' is empty." }],
    },
    {
      code: 'class A {\n  handle() {}\n}',
      errors: [{ line: 2, column: 3, message: "Function 'handle' is empty." }],
    },
    { code: 'class A { constructor() {} }', errors: 1 },
    {
      code: 'export default function () {}',
      errors: [{ message: "Function '<anonymous>' is empty." }],
    },
  ],
});
