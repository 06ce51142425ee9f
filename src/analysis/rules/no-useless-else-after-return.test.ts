import { noUselessElseAfterReturn } from './no-useless-else-after-return.js';
import { describeRule } from './testing.js';

describeRule(noUselessElseAfterReturn, {
  valid: [
    'function f() { if (a) { return 1; } return 2; }',
    'function f() { if (a) { g(); } else { return 2; } }',
    'function f() { if (a) { if (b) return 1; } else { return 2; } }',
    // An earlier branch of the chain falls through, so the final else is needed.
    'function f() { if (a) { return 1; } else if (b) { g(); } else { return 3; } }',
    'function f() { if (a) { return 1; } else if (b) { return 2; } }',
  ],
  invalid: [
    {
      code: 'function f() {\n  if (a) {\n    return 1;\n  } else {\n    return 2;\n  }\n}',
      errors: [
        { line: 4, column: 5, message: "Unnecessary 'else' after a branch that always exits." },
      ],
    },
    { code: 'function f() { if (a) throw e; else g(); }', errors: 1 },
    { code: 'for (;;) { if (a) { continue; } else { g(); } }', errors: 1 },
    {
      code: 'function f() { if (a) { return 1; } else if (b) { return 2; } else { return 3; } }',
      errors: 1,
    },
    {
      code: 'function f() { if (a) { if (b) { return 1; } else { throw e; } } else { g(); } }',
      errors: 2,
    },
  ],
});
