import { emptyBlock } from './empty-block.js';
import { describeRule } from './testing.js';

describeRule(emptyBlock, {
  valid: [
    'if (a) { b(); }',
    'if (a) {\n  // nothing to do: the caller handles it\n}',
    'function f() {} const g = () => {};',
    // Catch blocks are the business of empty-catch.
    'try { a(); } catch {}',
    'switch (a) { case 1: break; }',
    'class A { static { init(); } }',
  ],
  invalid: [
    { code: 'if (a) {}', errors: [{ line: 1, column: 8, message: 'Empty block statement.' }] },
    { code: 'if (a) { b(); } else {}', errors: 1 },
    { code: 'try { a(); } finally {}', errors: 1 },
    { code: 'for (const x of xs) {}\nwhile (a) {}\n{}', errors: 3 },
    { code: 'switch (a) {}', errors: [{ message: 'Empty switch statement.' }] },
    { code: 'class A { static {} }', errors: [{ message: 'Empty static block.' }] },
  ],
});
