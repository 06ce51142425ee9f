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
    ["const a = 'hello ' + name;", 'const a = `hello ${name}`;'],
    ["const a = name + '!';", 'const a = `${name}!`;'],
    ["const a = 'a' + b + 'c' + d;", 'const a = `a${b}c${d}`;'],
    ["const a = x + ' ' + y + z;", 'const a = `${x} ${y}${z}`;'],
    ['const a = `${x}` + y;', 'const a = `${x}${y}`;'],
    ["const a = 'a' + (b + c);", 'const a = `a${b + c}`;'],
    ["const a = 1 + 'px';", 'const a = `${1}px`;'],
    // Backticks, `${` and quotes are escaped as a template needs.
    ["const a = 'say `hi` ${not} ' + x;", 'const a = `say \\`hi\\` \\${not} ${x}`;'],
    ["const a = 'it\\'s \"' + x + '\\n';", 'const a = `it\'s "${x}\\n`;'],
    ["const a = 'cost: $' + '{' + x;", 'const a = `cost: \\${${x}`;'],
    ["const a = 'cost: $' + x;", 'const a = `cost: $${x}`;'],
    ["f('a' + b);\n", 'f(`a${b}`);\n'],
    ["x = y;\n'a' + b;", 'x = y;\n`a${b}`;'],
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
