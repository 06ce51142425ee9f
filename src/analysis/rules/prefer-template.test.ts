import { preferTemplate } from './prefer-template.js';
import { describeFixes, describeRule } from './testing.js';

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

describeFixes(preferTemplate, {
  fixed: [
    { code: "const a = 'hello ' + name;", output: 'const a = `hello ${name}`;' },
    { code: "const a = name + '!';", output: 'const a = `${name}!`;' },
    { code: "const a = 'a' + b + 'c' + d;", output: 'const a = `a${b}c${d}`;' },
    { code: "const a = x + ' ' + y + z;", output: 'const a = `${x} ${y}${z}`;' },
    { code: 'const a = `${x}` + y;', output: 'const a = `${x}${y}`;' },
    { code: "const a = 'a' + (b + c);", output: 'const a = `a${b + c}`;' },
    { code: "const a = 1 + 'px';", output: 'const a = `${1}px`;' },
    // Backticks, `${` and quotes are escaped as a template needs.
    {
      code: "const a = 'say `hi` ${not} ' + x;",
      output: 'const a = `say \\`hi\\` \\${not} ${x}`;',
    },
    { code: "const a = 'it\\'s \"' + x + '\\n';", output: 'const a = `it\'s "${x}\\n`;' },
    { code: "const a = 'cost: $' + '{' + x;", output: 'const a = `cost: \\${${x}`;' },
    { code: "const a = 'cost: $' + x;", output: 'const a = `cost: $${x}`;' },
    { code: "f('a' + b);\n", output: 'f(`a${b}`);\n' },
    { code: "x = y;\n'a' + b;", output: 'x = y;\n`a${b}`;' },
  ],
  unfixed: [
    // Octal escapes are not allowed in templates.
    "const a = '\\07' + x;",
    // A comment between operands would be lost.
    "const a = 'a' + /* b */ b;",
    // Without a semicolon the template would become a tagged template of the line before.
    "x = y\n'a' + b;",
  ],
});
