import { noUnsafeFinally } from './no-unsafe-finally.js';
import { describeRule } from './testing.js';

describeRule(noUnsafeFinally, {
  valid: [
    'function f() { try { return 1; } finally { cleanup(); } }',
    'function f() { try {} finally { const g = () => { return 1; }; } }',
    'function f() { try {} finally { for (const x of xs) { if (x) break; continue; } } }',
    'function f() { try {} finally { switch (a) { case 1: break; } } }',
    'function f() { try {} finally { inner: for (;;) { break inner; } } }',
    'function f() { try {} finally { class A { m() { return 1; } } } }',
    'function f() { try { throw e; } catch { return 1; } }',
  ],
  invalid: [
    {
      code: 'function f() { try { return 1; } finally { return 2; } }',
      errors: [{ column: 44, message: "Unsafe 'return' in a finally block." }],
    },
    { code: 'function f() { try {} finally { throw new Error(); } }', errors: 1 },
    { code: 'for (;;) { try {} finally { break; } }', errors: 1 },
    { code: 'for (;;) { try {} finally { continue; } }', errors: 1 },
    { code: 'outer: for (;;) { try {} finally { for (;;) { break outer; } } }', errors: 1 },
    { code: 'for (;;) { try {} finally { switch (a) { case 1: continue; } } }', errors: 1 },
  ],
});
