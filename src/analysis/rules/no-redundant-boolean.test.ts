import { noRedundantBoolean } from './no-redundant-boolean.js';
import { describeFixes, describeRule } from './testing.js';

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

describeFixes(noRedundantBoolean, {
  fixed: [
    ['const a = b ? true : false;', 'const a = !!b;'],
    ['const a = b ? false : true;', 'const a = !b;'],
    ['const a = b > c ? true : false;', 'const a = b > c;'],
    ['const a = b === c ? false : true;', 'const a = b !== c;'],
    ['const a = b || c ? true : false;', 'const a = !!(b || c);'],
    ['const a = b > 0 && !c ? true : false;', 'const a = b > 0 && !c;'],
    ['if (b ? true : false) {}', 'if (b) {}'],
    ['const a = !b ? false : true;', 'const a = !!b;'],
    ['if ((a > b) === true) {}', 'if (a > b) {}'],
    ['const c = (a > b) === false;', 'const c = !(a > b);'],
    ['const c = false !== !b;', 'const c = !b;'],
    ['const c = !b == false;', 'const c = !!b;'],
    ['if (!b === false) {}', 'if (b) {}'],
    ['const c = (a === b) === false;', 'const c = a !== b;'],
    [
      'function f() {\n  if (a) {\n    return true;\n  } else {\n    return false;\n  }\n}',
      'function f() {\n  return !!a;\n}',
    ],
    [
      'function f() {\n  if (a) return false;\n  return true;\n}',
      'function f() {\n  return !a;\n}',
    ],
    [
      'const f = () => { if (x in y) { return true; } return false; };',
      'const f = () => { return x in y; };',
    ],
    [
      'function f() {\n  if (a.b === 1) return false;\n  else return true;\n}',
      'function f() {\n  return a.b !== 1;\n}',
    ],
  ],
  unfixed: [
    // The comment in a branch would be lost.
    'function f() {\n  if (a) {\n    // yes\n    return true;\n  }\n  return false;\n}',
  ],
});
