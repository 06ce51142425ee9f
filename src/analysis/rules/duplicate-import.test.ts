import { duplicateImport } from './duplicate-import.js';
import { describeFixes, describeRule } from './testing.js';

describeRule(duplicateImport, {
  valid: [
    "import { a, b } from 'm';",
    "import { a } from 'm'; import { b } from 'n';",
    // Type-only and namespace imports cannot always be merged.
    "import { a } from 'm'; import type { T } from 'm';",
    "import d, { a } from 'm'; import * as ns from 'm';",
    "import data from './d.json' with { type: 'json' }; import { x } from './d.json';",
  ],
  invalid: [
    {
      code: "import { a } from 'm';\nimport { b } from 'm';",
      errors: [{ line: 2, column: 19, message: "'m' is already imported on line 1." }],
    },
    { code: "import 'm';\nimport d from 'm';\nimport { c } from 'm';", errors: 2 },
    { code: "import type { A } from 'm';\nimport type { B } from 'm';", errors: 1 },
  ],
});

describeFixes(duplicateImport, {
  fixed: [
    [
      "import { a } from 'm';\nimport { b } from 'm';\nf(a, b);",
      "import { a, b } from 'm';\nf(a, b);",
    ],
    [
      "import { a } from 'm';\nimport { b, type C } from 'm';\nf(a, b);\nlet c: C;",
      "import { a, b, type C } from 'm';\nf(a, b);\nlet c: C;",
    ],
    ["import d from 'm';\nimport { b } from 'm';\nf(d, b);", "import d, { b } from 'm';\nf(d, b);"],
    ["import { a } from 'm';\nimport d from 'm';\nf(d, a);", "import d, { a } from 'm';\nf(d, a);"],
    [
      "import 'm';\nimport d from 'm';\nimport { c } from 'm';\nf(d, c);",
      "import d, { c } from 'm';\nf(d, c);",
    ],
    ["import { a } from 'm';\nimport 'm';\nf(a);", "import { a } from 'm';\nf(a);"],
    [
      "import type { A } from 'm';\nimport type { B } from 'm';\nlet x: A | B;",
      "import type { A, B } from 'm';\nlet x: A | B;",
    ],
    [
      "import {\n  a,\n  b,\n} from 'm';\nimport { c } from 'm';\nf(a, b, c);",
      "import {\n  a,\n  b, c,\n} from 'm';\nf(a, b, c);",
    ],
    [
      "import { a } from 'm';\nimport { b } from 'n';\nimport { c } from 'm';\nf(a, b, c);",
      "import { a, c } from 'm';\nimport { b } from 'n';\nf(a, b, c);",
    ],
    // A comment after the removed declaration stays where it was.
    [
      "import { a } from 'm';\nimport { b } from 'm'; // b is special\nf(a, b);",
      "import { a, b } from 'm';\n// b is special\nf(a, b);",
    ],
  ],
  unfixed: [
    // Two default imports cannot share one declaration.
    "import a from 'm';\nimport b from 'm';\nf(a, b);",
    // `import type A, { B }` is not allowed.
    "import type A from 'm';\nimport type { B } from 'm';\nlet x: A | B;",
    // Comments in the first declaration, or in the one that would go.
    "import { a /* first */ } from 'm';\nimport { b } from 'm';\nf(a, b);",
  ],
});
