import { describeRule } from './testing.js';
import { unreachableCode } from './unreachable-code.js';

describeRule(unreachableCode, {
  valid: [
    'function f() { if (a) return 1; return 2; }',
    // Hoisted declarations after a return are reachable.
    'function f() { return g(); function g() { return 1; } }',
    'function f() { return x; var x; }',
    'function f(): T { return 1; type T = number; interface I {} }',
    // A loop or a switch may complete normally.
    'function f() { for (;;) { if (a) break; } after(); }',
    'function f() { switch (a) { case 1: return 1; } after(); }',
    'function f() { try { return 1; } catch { handle(); } after(); }',
    'function f() { while (a) { continue; } after(); }',
    'function f() { if (a) { return 1; } else { g(); } after(); }',
    'lbl: { if (a) break lbl; after(); }',
  ],
  invalid: [
    {
      code: 'function f() {\n  return 1;\n  a();\n  b();\n}',
      errors: [{ line: 3, column: 3, endLine: 4, message: 'Unreachable code.' }],
    },
    { code: 'function f() { throw new Error(); cleanup(); }', errors: 1 },
    { code: 'for (const x of xs) { continue; g(x); }', errors: 1 },
    { code: 'switch (a) { case 1: f(); break; g(); }', errors: 1 },
    // Both branches exit, so the rest of the block is dead.
    { code: 'function f() { if (a) { return 1; } else { throw e; } after(); }', errors: 1 },
    { code: 'function f() { try { return 1; } finally { log(); } after(); }', errors: 1 },
    // A dead nested block is reported once, with the enclosing dead range.
    { code: 'function f() { return; if (a) { return; b(); } }', errors: 1 },
    { code: 'function f() { return; let x = 1; }', errors: 1 },
  ],
});
