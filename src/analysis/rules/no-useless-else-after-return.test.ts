import { noUselessElseAfterReturn } from './no-useless-else-after-return.js';
import { describeFixes, describeRule } from './testing.js';

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

describeFixes(noUselessElseAfterReturn, {
  fixed: [
    [
      'function f() {\n  if (a) {\n    return 1;\n  } else {\n    g();\n    return 2;\n  }\n}',
      'function f() {\n  if (a) {\n    return 1;\n  }\n  g();\n  return 2;\n}',
    ],
    ['function f() { if (a) throw e; else g(); }', 'function f() { if (a) throw e;\ng(); }'],
    [
      'for (;;) {\n  if (a) {\n    continue;\n  } else {\n    g();\n  }\n}',
      'for (;;) {\n  if (a) {\n    continue;\n  }\n  g();\n}',
    ],
    [
      'function f() {\n  if (a) {\n    return 1;\n  } else if (b) {\n    return 2;\n  } else {\n    // the rest\n    return 3;\n  }\n}',
      'function f() {\n  if (a) {\n    return 1;\n  } else if (b) {\n    return 2;\n  }\n  // the rest\n  return 3;\n}',
    ],
    [
      'function f() {\n  if (a) {\n    return 1;\n  } else {\n  }\n  g();\n}',
      'function f() {\n  if (a) {\n    return 1;\n  }\n  g();\n}',
    ],
    // A declaration that clashes with nothing moves out with the rest.
    [
      'function f() {\n  if (a) {\n    return 1;\n  } else {\n    const x = g();\n    return x;\n  }\n}',
      'function f() {\n  if (a) {\n    return 1;\n  }\n  const x = g();\n  return x;\n}',
    ],
    [
      'function f() {\n  if (a) {\n    return `a\n  b`;\n  } else {\n    return `c\n  d`;\n  }\n}',
      'function f() {\n  if (a) {\n    return `a\n  b`;\n  }\n  return `c\n  d`;\n}',
    ],
    [
      'function f() {\r\n  if (a) {\r\n    return 1;\r\n  } else {\r\n    g();\r\n  }\r\n}',
      'function f() {\r\n  if (a) {\r\n    return 1;\r\n  }\r\n  g();\r\n}',
    ],
  ],
  unfixed: [
    // `x` would move into the scope of the other `x`.
    'function f() {\n  const x = 1;\n  if (a) {\n    return x;\n  } else {\n    const x = 2;\n    return x;\n  }\n}',
    'function f(x) {\n  if (x) {\n    return 1;\n  } else {\n    let x = 2;\n    return x;\n  }\n}',
    // The if is not in a statement list: its else cannot become a following statement.
    'function f() { for (;;) if (a) { return 1; } else { g(); } }',
    // `return 1` without a semicolon would run into the moved statement.
    'function f() {\n  if (a) return 1\n  else (g)()\n}',
    // Comments between the branches would be lost.
    'function f() {\n  if (a) {\n    return 1;\n  } /* otherwise */ else {\n    g();\n  }\n}',
    // The line comment would swallow what follows the brace.
    'function f() { if (a) { return 1; } else { g(); // later\n } h(); }',
  ],
});
