import { noFallthrough } from './no-fallthrough.js';
import { describeRule } from './testing.js';

describeRule(noFallthrough, {
  valid: [
    'switch (a) { case 1: f(); break; case 2: g(); }',
    'switch (a) { case 1: case 2: f(); break; default: g(); }',
    'function h() { switch (a) { case 1: return 1; case 2: throw e; default: return 3; } }',
    'for (;;) { switch (a) { case 1: continue; case 2: g(); } }',
    'switch (a) { case 1: { f(); break; } case 2: g(); }',
    'function h() { switch (a) { case 1: if (b) { break; } else { return; } case 2: g(); } }',
    'switch (a) {\n  case 1:\n    f();\n    // falls through\n  case 2:\n    g();\n}',
    'switch (a) {\n  case 1:\n    f();\n    // fall through to the shared handling\n  default:\n    g();\n}',
  ],
  invalid: [
    {
      code: 'switch (a) {\n  case 1:\n    f();\n  case 2:\n    g();\n}',
      errors: [{ line: 4, column: 3, message: 'Case falls through from the previous case.' }],
    },
    {
      code: 'switch (a) { case 1: f(); default: g(); }',
      errors: [{ message: 'Default case falls through from the previous case.' }],
    },
    // A break inside a loop does not leave the switch.
    { code: 'switch (a) { case 1: for (;;) { break; } case 2: g(); }', errors: 1 },
    { code: 'switch (a) { case 1: if (b) break; case 2: g(); }', errors: 1 },
  ],
});
