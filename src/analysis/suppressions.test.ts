import { Linter } from 'eslint';
import { describe, expect, it } from 'vitest';
import type { Finding } from '../core/index.js';
import { analyzeFile, type RuleSettings } from './analyze-file.js';
import { LineIndex } from './ast.js';
import { parseSource } from './parse.js';
import { fileRules } from './rules/index.js';
import { unusedSuppression } from './rules/unused-suppression.js';
import { applySuppressions, parseSuppressions, type Directive } from './suppressions.js';

/** The suppression comments of `code`, as the worker reads them from the parser's comments. */
function parse(code: string, file = 'a.ts') {
  const parsed = parseSource(file, code);
  expect(parsed.error).toBeUndefined();
  const body = parsed.program.body as { start: number }[];
  return parseSuppressions(parsed.comments, new LineIndex(code), body[0]?.start ?? code.length);
}

function directives(code: string, file = 'a.ts'): Omit<Directive, 'location'>[] {
  return (parse(code, file)?.directives ?? []).map(({ location: _, ...rest }) => rest);
}

function settings(ids: readonly string[]): RuleSettings {
  return {
    rules: fileRules
      .filter((r) => ids.includes(r.meta.id))
      .map((r) => ({ id: r.meta.id, severity: r.meta.severity, options: {} })),
    minTokens: 50,
  };
}
const UNUSED_ON = [{ rule: unusedSuppression, severity: 'info' as const }];

/** Analyses `code` and applies its comments, as a scan does; `extra` stands for repository rules. */
function scanText(
  code: string,
  {
    file = 'a.ts',
    extra = [] as Finding[],
    active = UNUSED_ON,
    rules = ['no-var', 'no-debugger', 'no-explicit-any', 'no-console'],
  } = {},
) {
  const analysis = analyzeFile(file, code, 'hash', settings(rules));
  expect(analysis.parseError).toBeUndefined();
  const result = applySuppressions([...analysis.findings, ...extra], [analysis], active);
  const brief = (f: Finding) => `${f.location.line} ${f.ruleId}`;
  return {
    findings: result.findings.map(brief).sort((a, b) => parseInt(a) - parseInt(b)),
    suppressed: result.suppressed.map((f) => `${brief(f)} ${JSON.stringify(f.suppression)}`),
    unused: result.findings
      .filter((f) => f.ruleId === 'unused-suppression')
      .map((f) => `${f.location.line} ${f.message}`),
  };
}

describe('parseSuppressions', () => {
  it('reads each form, several ids, and reasons after --', () => {
    const code = [
      '// beast-disable-next-line no-var, eqeqeq -- legacy code',
      'var a = 1;',
      'var b = 2; // beast-disable-line no-var',
      '/* beast-disable no-debugger,no-var */',
      'debugger;',
      '/* beast-enable no-debugger */',
      '/* beast-disable */',
      '/* beast-enable -- done */',
      'export { a, b };',
    ].join('\n');
    expect(directives(code)).toEqual([
      {
        namespace: 'beast',
        type: 'disable-next-line',
        names: ['no-var', 'eqeqeq'],
        reason: 'legacy code',
      },
      { namespace: 'beast', type: 'disable-line', names: ['no-var'] },
      { namespace: 'beast', type: 'disable', names: ['no-debugger', 'no-var'] },
      { namespace: 'beast', type: 'enable', names: ['no-debugger'] },
      { namespace: 'beast', type: 'disable', names: [] },
      { namespace: 'beast', type: 'enable', names: [], reason: 'done' },
    ]);
    expect(parse(code)?.directives[1]?.location).toEqual({
      line: 3,
      column: 12,
      endLine: 3,
      endColumn: 40,
    });
  });

  it('marks a disable before any code as covering the file, and none after code', () => {
    const code =
      '/* license */\n/* beast-disable circular-import */\nexport const a = 1;\n/* beast-disable */\n';
    expect(directives(code).map((d) => d.atTop)).toEqual([true, undefined]);
  });

  it('reads JSX comments', () => {
    const code = [
      'export const A = () => (',
      '  <div>',
      '    {/* beast-disable-next-line no-explicit-any -- props */}',
      '    <span />',
      '  </div>',
      ');',
    ].join('\n');
    const parsed = parse(code, 'a.tsx');
    expect(parsed?.directives).toEqual([
      {
        namespace: 'beast',
        type: 'disable-next-line',
        names: ['no-explicit-any'],
        reason: 'props',
        location: { line: 3, column: 6, endLine: 3, endColumn: 60 },
      },
    ]);
  });

  it('ignores the words in strings, template literals and regular expressions', () => {
    const code = [
      "const a = '// beast-disable-line no-var';",
      'const b = `',
      '/* beast-disable */ NOSONAR',
      '// eslint-disable-next-line',
      '`;',
      'const c = /\\/\\/ beast-disable-next-line/;',
      'export { a, b, c };',
    ].join('\n');
    expect(parse(code)).toBeUndefined();
  });

  it('needs the keyword first and whole, as ESLint does', () => {
    const code = [
      '// see beast-disable-line no-var',
      '// beast-disable-lines no-var',
      '/** beast-disable */',
      '// beast-disable-next-line',
      'export const a = 1;',
    ].join('\n');
    expect(directives(code)).toEqual([
      { namespace: 'beast', type: 'disable-next-line', names: [] },
    ]);
  });

  it('keeps what cannot take effect, saying why, for ours only', () => {
    const code = [
      'export const a = 1;',
      '// beast-disable no-var',
      '// beast-enable',
      '/* beast-disable-line no-var',
      '   over two lines */',
      '// eslint-disable no-console',
      '/* eslint-disable-line no-console',
      '*/',
    ].join('\n');
    expect(directives(code).map((d) => `${d.type}: ${d.ignored}`)).toEqual([
      'disable: A // beast-disable line comment has no effect: write it as a block comment, /* beast-disable */.',
      'enable: A // beast-enable line comment has no effect: write it as a block comment, /* beast-enable */.',
      'disable-line: A beast-disable-line comment has no effect when it spans lines: keep it on the line it suppresses.',
    ]);
  });

  it('keeps ESLint rule names as written, to be matched when applied', () => {
    const code = [
      'export const a = 1;',
      '// eslint-disable-next-line no-console, react-hooks/exhaustive-deps -- not all ours',
      '/* eslint-disable */',
      '/* eslint-enable no-var */',
    ].join('\n');
    expect(directives(code)).toEqual([
      {
        namespace: 'eslint',
        type: 'disable-next-line',
        names: ['no-console', 'react-hooks/exhaustive-deps'],
        reason: 'not all ours',
      },
      { namespace: 'eslint', type: 'disable', names: [] },
      { namespace: 'eslint', type: 'enable', names: ['no-var'] },
    ]);
  });

  it('finds NOSONAR on each line of a comment that says it', () => {
    const code = 'debugger; // NOSONAR\n/*\n a\n NOSONAR too\n*/\n// nosonar is not it\n';
    expect(parse(code)).toEqual({ directives: [], nosonar: [1, 4] });
  });
});

describe('applySuppressions', () => {
  it('suppresses the named rules on the next line and on its own line, with how and why', () => {
    const code = [
      '// beast-disable-next-line no-var -- legacy',
      'var a = 1; debugger;',
      'var b = 2; // beast-disable-line no-var, no-debugger',
      'export { a, b };',
    ].join('\n');
    expect(scanText(code)).toEqual({
      findings: ['2 no-debugger', '3 unused-suppression'],
      suppressed: [
        '2 no-var {"kind":"beast","line":1,"reason":"legacy"}',
        '3 no-var {"kind":"beast","line":3}',
      ],
      unused: ['3 Unused beast-disable-line comment: no no-debugger finding to suppress.'],
    });
  });

  it('applies blocks as ESLint does: an enable ends a disable of the same rule or of all', () => {
    const code = [
      '/* beast-disable */',
      'debugger;',
      '/* beast-enable no-debugger */',
      'debugger;',
      'var a = 1;',
      '/* beast-disable no-var */',
      '/* beast-enable */',
      'var b = 2;',
      'export { a, b };',
    ].join('\n');
    expect(scanText(code)).toEqual({
      findings: ['4 no-debugger', '6 unused-suppression', '8 no-var'],
      suppressed: ['2 no-debugger {"kind":"beast","line":1}', '5 no-var {"kind":"beast","line":1}'],
      unused: ['6 Unused beast-disable comment: no no-var finding to suppress.'],
    });
  });

  it('covers repository findings: a disable at the top covers line 1 after a header comment', () => {
    const code = '/* Copyright */\n/* beast-disable circular-import */\nexport const a = 1;\n';
    const cycle: Finding = {
      ruleId: 'circular-import',
      category: 'maintainability',
      severity: 'major',
      message: 'Import cycle of 2 files with b.ts.',
      file: 'a.ts',
      location: { line: 1, column: 1, endLine: 1, endColumn: 1 },
      effortMinutes: 30,
      fixability: 'none',
    };
    expect(scanText(code, { extra: [cycle] })).toEqual({
      findings: [],
      suppressed: ['1 circular-import {"kind":"beast","line":2}'],
      unused: [],
    });
  });

  it('honours eslint-disable comments for the rules whose ESLint equivalent they name', () => {
    const code = [
      '// eslint-disable-next-line no-console -- CLI output',
      'console.log(1);',
      'export const a: any = 1; // eslint-disable-line @typescript-eslint/no-explicit-any',
      'export const b: any = 1; // eslint-disable-line no-explicit-any',
      '/* eslint-disable */',
      'debugger; console.log(2);',
      '/* eslint-enable no-console */',
      'debugger; console.log(3);',
    ].join('\n');
    expect(scanText(code)).toEqual({
      findings: ['4 no-explicit-any', '8 no-console'],
      suppressed: [
        '2 no-console {"kind":"eslint","line":1,"reason":"CLI output"}',
        '3 no-explicit-any {"kind":"eslint","line":3}',
        '6 no-debugger {"kind":"eslint","line":5}',
        '6 no-console {"kind":"eslint","line":5}',
        '8 no-debugger {"kind":"eslint","line":5}',
      ],
      unused: [],
    });
  });

  it('matches ESLint names as declared: plugin prefix kept, other rules ignored', () => {
    const code = [
      'export const a: any = 1; // eslint-disable-line no-explicit-any',
      'export const b: any = 1; // eslint-disable-line @typescript-eslint/no-explicit-any',
      'export const c: any = 1; // eslint-disable-line @typescript-eslint/import/no-explicit-any',
      'export const d: any = 1; // eslint-disable-line react-hooks/exhaustive-deps',
      'export const e: any = 1; // eslint-disable-line react-hooks/exhaustive-deps, @typescript-eslint/no-explicit-any',
    ].join('\n');
    expect(scanText(code)).toEqual({
      findings: ['1 no-explicit-any', '3 no-explicit-any', '4 no-explicit-any'],
      suppressed: [
        '2 no-explicit-any {"kind":"eslint","line":2}',
        '5 no-explicit-any {"kind":"eslint","line":5}',
      ],
      unused: [],
    });
  });

  it("takes typescript-eslint's version of a core rule for that rule, and only a real one", () => {
    const code = [
      '// eslint-disable-next-line @typescript-eslint/no-unused-vars',
      'const a = 1;',
      '// eslint-disable-next-line @typescript-eslint/no-empty-function',
      'export function f() {}',
      'export function g() {}',
      '// eslint-disable-next-line @typescript-eslint/only-throw-error',
      "export function h() { throw 'h'; }",
      '// eslint-disable-next-line @typescript-eslint/no-var',
      'var b = 2;',
      'export { b };',
    ].join('\n');
    const rules = ['unused-variable', 'empty-function', 'no-throw-literal', 'no-var'];
    expect(scanText(code, { rules })).toEqual({
      findings: ['5 empty-function', '9 no-var'],
      suppressed: [
        '2 unused-variable {"kind":"eslint","line":1}',
        '4 empty-function {"kind":"eslint","line":3}',
        '7 no-throw-literal {"kind":"eslint","line":6}',
      ],
      unused: [],
    });
  });

  it('suppresses every finding on a line with NOSONAR, and nothing else', () => {
    const code = 'var a = 1; debugger; // NOSONAR\nvar b = 2;\nexport { a, b };\n';
    expect(scanText(code)).toEqual({
      findings: ['2 no-var'],
      suppressed: [
        '1 no-var {"kind":"nosonar","line":1}',
        '1 no-debugger {"kind":"nosonar","line":1}',
      ],
      unused: [],
    });
  });

  it('prefers our comment to an ESLint one, and the line one to a block', () => {
    const code = [
      '/* beast-disable no-debugger */',
      'debugger; // beast-disable-line no-debugger -- here',
      'debugger; // eslint-disable-line no-debugger',
    ].join('\n');
    expect(scanText(code).suppressed).toEqual([
      '2 no-debugger {"kind":"beast","line":2,"reason":"here"}',
      '3 no-debugger {"kind":"beast","line":1}',
    ]);
  });

  it('reports unused, unknown and misplaced directives of ours, never ESLint ones', () => {
    const code = [
      '// beast-disable-next-line',
      'export const a = 1;',
      '// beast-disable-next-line no-such-rule, no-var',
      'var b = 2;',
      '// beast-disable no-var',
      '// eslint-disable-next-line no-console',
      'export { b };',
      '/* beast-enable not-a-rule */',
    ].join('\n');
    expect(scanText(code)).toEqual({
      findings: [
        '1 unused-suppression',
        '3 unused-suppression',
        '5 unused-suppression',
        '8 unused-suppression',
      ],
      suppressed: ['4 no-var {"kind":"beast","line":3}'],
      unused: [
        '1 Unused beast-disable-next-line comment: it suppresses no finding.',
        "3 The beast-disable-next-line comment names an unknown rule 'no-such-rule' (beast rules lists them).",
        '5 A // beast-disable line comment has no effect: write it as a block comment, /* beast-disable */.',
        "8 The beast-enable comment names an unknown rule 'not-a-rule' (beast rules lists them).",
      ],
    });
  });

  it('reports no unused directive when unused-suppression is off', () => {
    const code = '// beast-disable-next-line no-such-rule\nexport const a = 1;\n';
    expect(scanText(code, { active: [] })).toEqual({ findings: [], suppressed: [], unused: [] });
  });
});

describe('eslint-* comments, against ESLint itself', () => {
  // Our no-debugger and ESLint's flag the same statements: where ESLint still reports one after
  // its directives, we must too, and nowhere else.
  const cases = [
    '/* eslint-disable */\ndebugger;\n/* eslint-enable */\ndebugger;',
    '/* eslint-disable no-debugger */\ndebugger;\n/* eslint-enable */\ndebugger;',
    '/* eslint-disable */\n/* eslint-enable no-debugger */\ndebugger;',
    '/* eslint-disable no-console */\ndebugger;',
    '/* eslint-disable no-console, no-debugger */\ndebugger;',
    'debugger; // eslint-disable-line no-debugger\ndebugger;',
    'debugger; // eslint-disable-line no-console , no-debugger',
    '// eslint-disable-next-line\ndebugger;\ndebugger;',
    '/* eslint-disable-next-line\n no-debugger */\ndebugger;',
    '// eslint-disable-next-line no-debugger -- why\ndebugger;',
    '// eslint-disable-next-line no-debugger--why\ndebugger;',
    '// eslint-disable\ndebugger;',
    'debugger; /* eslint-disable-line\n */',
    'debugger; /* eslint-disable */ debugger;\ndebugger;',
    'debugger;\n/* eslint-disable no-debugger */\n/* eslint-disable */\n/* eslint-enable no-debugger */\ndebugger;',
    'const s = `\n// eslint-disable-next-line\n`;\ndebugger;\nexport { s };',
  ];
  const linter = new Linter();

  it.each(cases)('%j', (code) => {
    const eslint = linter
      .verify(code, [{ rules: { 'no-debugger': 'error', 'no-console': 'error' } }])
      .filter((m) => m.ruleId === 'no-debugger')
      .map((m) => `${m.line}:${m.column}`);
    const analysis = analyzeFile('a.js', code, 'hash', settings(['no-debugger']));
    const ours = applySuppressions(analysis.findings, [analysis], [])
      .findings.filter((f) => f.ruleId === 'no-debugger')
      .map((f) => `${f.location.line}:${f.location.column}`);
    expect(ours).toEqual(eslint);
  });
});
