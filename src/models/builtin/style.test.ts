import { applyEdits, type TextEdit } from '../../core/index.js';
import { describe, expect, it } from 'vitest';
import { detectStyle, followStyle } from './style.js';

/** The edit that replaces the first occurrence of `from` in `source` by `to`. */
function replace(source: string, from: string, to: string): TextEdit {
  const start = source.indexOf(from);
  if (start < 0) throw new Error(`not in the source: ${from}`);
  return { start, end: start + from.length, text: to };
}

function restyle(source: string, edits: TextEdit[], file = 'a.ts'): string {
  return applyEdits(source, followStyle(file, source, edits));
}

const BRACED = [
  'export function f(a: number) {',
  '  if (a > 1) {',
  '    return 1;',
  '  }',
  '  if (a > 0) {',
  '    return 0;',
  '  }',
  '  if (a > 2) {',
  '    g();',
  '    h();',
  '  }',
  '}',
  '',
].join('\n');

const TAIL = '  if (a > 2) {\n    g();\n    h();\n  }';

describe('detectStyle', () => {
  it('reads braces, quotes, semicolons, indentation and blank lines from the file', () => {
    expect(detectStyle('a.ts', BRACED)).toEqual({
      braces: 'multiline',
      quote: undefined,
      semicolons: true,
      indent: '  ',
      lineBreak: '\n',
      maxBlankLines: 0,
      blankInsideBlocks: false,
    });
    const loose =
      "function f(a, b) {\n\tif (a) return\n\tif (b) return\n\tconst c = 'x'\n\tconst d = 'y'\n\n\n\tg(\"z\")\n}\n";
    expect(detectStyle('a.js', loose)).toMatchObject({
      braces: undefined,
      quote: "'",
      semicolons: false,
      indent: '\t',
      maxBlankLines: 2,
    });
  });

  it('says nothing from a single case, or from a file that does not parse', () => {
    expect(detectStyle('a.ts', "if (a) { b(); }\nc('x');\n")).toMatchObject({
      braces: undefined,
      quote: undefined,
    });
    expect(detectStyle('a.ts', 'if (')).toBeUndefined();
  });
});

describe('followStyle', () => {
  it.each([
    {
      name: 'braces a guard where the file braces single-statement ifs',
      source: BRACED,
      edit: replace(BRACED, TAIL, '  if (!(a > 2)) return;\n  g();\n  h();'),
      expected: '  if (!(a > 2)) {\n    return;\n  }\n  g();\n  h();\n}\n',
    },
    {
      name: 'braces on one line where the file does',
      source: 'if (a) { b(); }\nif (c) { d(); }\nfunction f() {\n\tg();\n}\n',
      edit: { start: 47, end: 47, text: '\tif (x) return;\n' },
      expected: '\tif (x) { return; }\n\tg();\n}\n',
    },
    {
      name: 'braces an else, with the file indentation (tabs)',
      source: 'if (a) {\n\tb();\n}\nif (c) {\n\td();\n}\n',
      edit: { start: 34, end: 34, text: 'if (e) f();\nelse g();\n' },
      expected: 'if (e) {\n\tf();\n} else {\n\tg();\n}\n',
    },
    {
      name: 'converts the quotes of a literal it writes',
      source: "import a from 'a';\nimport b from 'b';\n",
      edit: { start: 38, end: 38, text: 'a("x", "it\'s");\n' },
      expected: "a('x', \"it's\");\n",
    },
    {
      name: 'drops the semicolons of a file without, where no statement continues',
      source: 'const a = 1\nconst b = 2\n',
      edit: { start: 24, end: 24, text: 'f(a);\n[a, b].map(g);\nh(b);\n(b)\n' },
      expected: 'f(a);\n[a, b].map(g)\nh(b);\n(b)\n',
    },
    {
      name: 'braces a guard without its semicolon in a file without',
      source: 'function f(a) {\n  if (a) {\n    g()\n  }\n  if (!a) {\n    h()\n  }\n}\n',
      edit: { start: 18, end: 18, text: 'if (a > 1) return;\n  ' },
      expected:
        'if (a > 1) {\n    return\n  }\n  if (a) {\n    g()\n  }\n  if (!a) {\n    h()\n  }\n}\n',
    },
    {
      name: 'leaves the declaration in a loop head alone',
      source: 'const a = [1];\nconst b = 2;\n',
      edit: {
        start: 28,
        end: 28,
        text: 'for (const x of a) g(x)\nfor (let i = 0; i < 1; i++) h(i)\n',
      },
      expected: 'for (const x of a) g(x);\nfor (let i = 0; i < 1; i++) h(i);\n',
    },
    {
      name: 'adds semicolons in a file with them',
      source: 'const a = 1;\nconst b = 2;\n',
      edit: { start: 26, end: 26, text: 'f(a)\ng(b)\n' },
      expected: 'f(a);\ng(b);\n',
    },
  ])('$name', ({ source, edit, expected }) => {
    const out = restyle(source, [edit]);
    expect(out.slice(edit.start)).toBe(expected);
    // The edit written in the file's style is left alone.
    expect(restyle(source, followStyle('a.ts', source, [edit]))).toBe(out);
  });

  it.each([
    {
      name: 'removing a declaration between blank lines leaves one blank line',
      source: 'a();\n\nconst x = 1;\n\nb();\n',
      remove: 'const x = 1;\n',
      expected: 'a();\n\nb();\n',
    },
    {
      name: 'as TypeScript deletes it, from the end of the line before',
      source: 'a();\n\nconst x = 1;\n\nb();\n',
      remove: '\nconst x = 1;',
      expected: 'a();\n\nb();\n',
    },
    {
      name: 'the first statement of a block leaves no blank line after the brace',
      source: 'function f() {\n  const x = 1;\n\n  g();\n}\n',
      remove: '  const x = 1;\n',
      expected: 'function f() {\n  g();\n}\n',
    },
    {
      name: 'the first line of a file leaves no blank line above the rest',
      source: "import a from 'a';\n\nexport const b = 1;\n",
      remove: "import a from 'a';\n",
      expected: 'export const b = 1;\n',
    },
    {
      name: 'a file that separates with two blank lines keeps two',
      source: 'a();\n\n\nconst x = 1;\n\n\nb();\n',
      remove: 'const x = 1;\n',
      expected: 'a();\n\n\nb();\n',
    },
    {
      name: 'blank lines the file had already stay',
      source: 'function f() {\n\n  a();\n  const x = 1;\n\n  b();\n}\n',
      remove: '  const x = 1;\n',
      expected: 'function f() {\n\n  a();\n\n  b();\n}\n',
    },
  ])('$name', ({ source, remove, expected }) => {
    expect(restyle(source, [replace(source, remove, '')])).toBe(expected);
  });

  it('keeps the style of code an edit moves rather than writes', () => {
    const source = 'if (a) {\n  b();\n}\nif (c) {\n  d();\n}\nif (e) {\n  if (f) return "x";\n}\n';
    const edit = replace(
      source,
      'if (e) {\n  if (f) return "x";\n}',
      'if (!e) {}\nif (f) return "x";',
    );
    expect(restyle(source, [edit])).toBe(applyEdits(source, [edit]));
  });

  it('restyles a short statement it writes although the code it replaced has one like it', () => {
    const source = BRACED.replace('    h();\n', '    if (a) return;\n');
    const tail = '  if (a > 2) {\n    g();\n    if (a) return;\n  }';
    const edit = replace(source, tail, '  if (!(a > 2)) return;\n  g();\n  if (a) return;');
    expect(restyle(source, [edit]).slice(edit.start)).toBe(
      '  if (!(a > 2)) {\n    return;\n  }\n  g();\n  if (a) return;\n}\n',
    );
  });

  it('leaves JSX attributes and edits that do not parse as they are', () => {
    const jsx = "const a = 'x';\nconst b = 'y';\n";
    const edit = { start: 30, end: 30, text: 'const c = <i title="t" />;\n' };
    expect(restyle(jsx, [edit], 'a.tsx')).toBe(applyEdits(jsx, [edit]));
    const broken = { start: 30, end: 30, text: 'const c = ("x";\n' };
    expect(followStyle('a.ts', jsx, [broken])).toEqual([broken]);
  });

  it('keeps two edits apart', () => {
    const source =
      "import a from 'a';\nimport b from 'b';\n\nconst x = 1;\n\nexport const c = a + b;\n";
    const edits = [replace(source, 'const x = 1;\n', ''), { start: 0, end: 0, text: 'f("q");\n' }];
    const out = followStyle('a.ts', source, edits);
    expect(out).toHaveLength(2);
    expect(applyEdits(source, out)).toBe(
      "f('q');\nimport a from 'a';\nimport b from 'b';\n\nexport const c = a + b;\n",
    );
  });
});
