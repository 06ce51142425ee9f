import { describe, expect, it } from 'vitest';
import { LineIndex } from '../ast.js';
import { parseSource } from '../parse.js';
import { computeMetrics } from './index.js';
import { countLines } from './lines.js';

function linesOf(code: string) {
  return countLines(code, parseSource('x.js', code).comments);
}

describe('countLines', () => {
  it.each([
    ['empty text', '', { physical: 0, code: 0, comment: 0 }],
    ['a trailing newline opens no line', 'a;\n', { physical: 1, code: 1, comment: 0 }],
    ['no trailing newline', 'a;\nb;', { physical: 2, code: 2, comment: 0 }],
    ['blank lines', 'a;\n\n   \n\tb;\n', { physical: 4, code: 2, comment: 0 }],
    ['a line comment after code', 'a; // note\n', { physical: 1, code: 1, comment: 1 }],
    ['a block comment over lines', '/* a\n   b\n*/ c;\n', { physical: 3, code: 1, comment: 3 }],
    [
      'comment markers inside strings',
      "const s = '// no';\n",
      { physical: 1, code: 1, comment: 0 },
    ],
    ['two comments on one line', '/* a */ /* b */\n', { physical: 1, code: 0, comment: 1 }],
  ])('%s', (_title, code, expected) => {
    expect(linesOf(code)).toEqual(expected);
  });
});

describe('logical lines', () => {
  const code = [
    "import a from 'a';", // 1
    'export { a };', // 1
    'export const b = 1;', // 1: the declaration, not the export around it
    'for (let i = 0; i < 3; i++) {', // 1: the for, not its let
    '  a(i);', // 1
    '}',
    'label: while (a) break label;', // 2: while and break, not the label
    'class C { x = 1; m() { return 1; } }', // 4: class, field, method, return
    'const f = () => 1;', // 2: const, and the implicit return
    ';', // 0
  ].join('\n');
  const metrics = computeMetrics({
    ...parseSource('x.js', code),
    source: code,
    lines: new LineIndex(code),
  });

  it('counts statements and declarations in the file', () => {
    expect(metrics.file.logicalLines).toBe(13);
  });

  it("counts a function's own statements", () => {
    const byName = Object.fromEntries(metrics.functions.map((fn) => [fn.name, fn.logicalLines]));
    expect(byName).toEqual({ m: 1, f: 1 });
  });

  it('counts TypeScript declarations', () => {
    const ts =
      'interface I { a: number }\ntype T = I;\nenum E { A }\ndeclare function d(): void;\n';
    const file = computeMetrics({
      ...parseSource('x.ts', ts),
      source: ts,
      lines: new LineIndex(ts),
    }).file;
    expect(file.logicalLines).toBe(4);
  });
});

describe('file line metrics', () => {
  it('come from the text and its comments', () => {
    const code = '// header\n\nexport function f() {\n  return 1; // one\n}\n';
    const { file } = computeMetrics({
      ...parseSource('x.js', code),
      source: code,
      lines: new LineIndex(code),
    });
    expect(file).toMatchObject({ physicalLines: 5, codeLines: 3, commentLines: 2 });
  });
});
