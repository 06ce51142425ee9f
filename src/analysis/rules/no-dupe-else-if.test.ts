import { noDupeElseIf } from './no-dupe-else-if.js';
import { describeRule } from './testing.js';

describeRule(noDupeElseIf, {
  valid: [
    'if (a) {} else if (b) {} else {}',
    'if (a) {} if (a) {}',
    'if (a) { if (a) {} }',
    'if (a === 1) {} else if (a === 2) {}',
  ],
  invalid: [
    {
      code: 'if (a) {}\nelse if (b) {}\nelse if (a) {}',
      errors: [
        { line: 3, column: 10, message: 'This condition is already tested earlier in the chain.' },
      ],
    },
    { code: 'if (x.y === 1) {} else if (x.y===1) {} else if (x.y === 1) {}', errors: 2 },
  ],
});
