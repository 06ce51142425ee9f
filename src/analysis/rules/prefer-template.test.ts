import { preferTemplate } from './prefer-template.js';
import { describeRule } from './testing.js';

describeRule(preferTemplate, {
  valid: [
    'const a = `hello ${name}`;',
    "const a = 'a' + 'b';",
    'const a = b + c;',
    'const a = 1 + 2;',
    // The first two operands may both be numbers: `1 + 2 + 'px'` is '3px', not '12px'.
    "const a = width + margin + 'px';",
    'const a = x + y;',
  ],
  invalid: [
    {
      code: "const a = 'hello ' + name;",
      errors: [{ column: 11, message: 'Use a template literal instead of string concatenation.' }],
    },
    { code: "const a = name + '!';", errors: 1 },
    { code: "const a = 'a' + b + 'c' + d;", errors: 1 },
    { code: "const a = x + ' ' + y + z;", errors: 1 },
    { code: 'const a = `${x}` + y;', errors: 1 },
  ],
});
