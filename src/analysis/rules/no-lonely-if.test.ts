import { noLonelyIf } from './no-lonely-if.js';
import { describeRule } from './testing.js';

describeRule(noLonelyIf, {
  valid: [
    'if (a) {} else if (b) {}',
    'if (a) {} else { if (b) {} g(); }',
    'if (a) {} else {\n  // b is rare\n  if (b) {}\n}',
    'if (a) { if (b) {} }',
  ],
  invalid: [
    {
      code: 'if (a) {\n  f();\n} else {\n  if (b) {\n    g();\n  }\n}',
      errors: [
        {
          line: 4,
          column: 3,
          message: "Use 'else if' instead of an 'if' alone in an 'else' block.",
        },
      ],
    },
    { code: 'if (a) {} else { if (b) {} else {} }', errors: 1 },
  ],
});
