import { duplicateImport } from './duplicate-import.js';
import { describeRule } from './testing.js';

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
