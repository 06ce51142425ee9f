import { noRedundantBoolean } from './no-redundant-boolean.js';
import { describeRule } from './testing.js';

describeRule(noRedundantBoolean, {
  valid: [
    // `x === false` also tells false from undefined: without types it is not redundant.
    'if (options.enabled === false) {}',
    'const a = x === true;',
    'const a = b ? 1 : 0;',
    'const a = b ? true : c;',
    'function f() { if (a) { return true; } g(); return false; }',
    'function f() { if (a) { log(); return true; } return false; }',
    'function f() { if (a) return true; return true; }',
  ],
  invalid: [
    {
      code: 'const a = b ? true : false;',
      errors: [
        {
          column: 11,
          message: "Unnecessary conditional: use the condition (or 'Boolean(condition)').",
        },
      ],
    },
    {
      code: 'const a = b ? false : true;',
      errors: [{ message: "Unnecessary conditional: use '!condition'." }],
    },
    {
      code: 'if ((a > b) === true) {}',
      errors: [{ message: 'Unnecessary comparison of a boolean with a boolean literal.' }],
    },
    { code: 'const a = false !== !b;', errors: 1 },
    {
      code: 'function f() {\n  if (a) {\n    return true;\n  } else {\n    return false;\n  }\n}',
      errors: [
        {
          line: 2,
          message: 'Return the condition itself instead of branching to return true or false.',
        },
      ],
    },
    { code: 'function f() {\n  if (a) return false;\n  return true;\n}', errors: [{ line: 2 }] },
    { code: 'const f = () => { if (x in y) { return true; } return false; };', errors: 1 },
  ],
});
