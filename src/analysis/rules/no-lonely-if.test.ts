import { noLonelyIf } from './no-lonely-if.js';
import { describeFixes, describeRule } from './testing.js';

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

describeFixes(noLonelyIf, {
  fixed: [
    [
      'if (a) {\n  f();\n} else {\n  if (b) {\n    g();\n  }\n}',
      'if (a) {\n  f();\n} else if (b) {\n  g();\n}',
    ],
    [
      'if (a) { f(); } else { if (b) { g(); } else { h(); } }',
      'if (a) { f(); } else if (b) { g(); } else { h(); }',
    ],
    [
      'function f() {\n  if (a) {\n    f();\n  } else {\n    if (b) g();\n    else {\n      // c\n      h();\n    }\n  }\n}',
      'function f() {\n  if (a) {\n    f();\n  } else if (b) g();\n  else {\n    // c\n    h();\n  }\n}',
    ],
    // Nested lonely ifs collapse pass after pass.
    [
      'if (a) {\n  f();\n} else {\n  if (b) {\n    g();\n  } else {\n    if (c) {\n      h();\n    }\n  }\n}',
      'if (a) {\n  f();\n} else if (b) {\n  g();\n} else if (c) {\n  h();\n}',
    ],
    // A multi-line template keeps its text.
    [
      'if (a) {\n  f();\n} else {\n  if (b) {\n    g(`x\n    y`);\n  }\n}',
      'if (a) {\n  f();\n} else if (b) {\n  g(`x\n    y`);\n}',
    ],
  ],
  unfixed: [
    // Sloppy-mode function declarations as if bodies are scoped by the block around them.
    { code: 'if (a) { f(); } else { if (b) function g() {} }', file: 'test.js' },
  ],
});
