import { describe, expect, it } from 'vitest';
import { LINTERS } from './index.js';
import { parseJsoncOrUndefined } from './report.js';
import { lintScriptProblem, scriptUses } from './script.js';
import type { LintMessage } from './types.js';

const { eslint, xo, oxlint, biome } = LINTERS;

describe('report parsers', () => {
  it.each<
    [string, (report: unknown) => LintMessage[] | undefined, unknown, LintMessage[] | undefined]
  >([
    [
      'ESLint: errors, warnings, a fatal parse error, severity 0 left out',
      eslint.parse,
      [
        {
          filePath: '/r/a.js',
          messages: [
            { ruleId: 'no-unused-vars', severity: 2 },
            { ruleId: 'no-debugger', severity: 1 },
            { ruleId: 'off', severity: 0 },
          ],
        },
        { filePath: '/r/b.js', messages: [{ ruleId: null, fatal: true, severity: 2 }] },
      ],
      [
        { file: '/r/a.js', rule: 'no-unused-vars', severity: 'error' },
        { file: '/r/a.js', rule: 'no-debugger', severity: 'warning' },
        { file: '/r/b.js', rule: 'fatal', severity: 'error' },
      ],
    ],
    ['ESLint: not a report', eslint.parse, { error: 'x' }, undefined],
    ['xo reads the same format', xo.parse, [], []],
    [
      'oxlint: the diagnostics object, a parse error without a code',
      oxlint.parse,
      {
        diagnostics: [
          { code: 'eslint(no-debugger)', severity: 'warning', filename: 'src/a.js' },
          { code: 'eslint(no-empty-pattern)', severity: 'error', filename: 'src/a.js' },
          { message: 'Expected `}`', severity: 'error', filename: 'src/b.js' },
          { code: 'x', severity: 'advice', filename: 'src/b.js' },
        ],
        number_of_files: 2,
      },
      [
        { file: 'src/a.js', rule: 'eslint(no-debugger)', severity: 'warning' },
        { file: 'src/a.js', rule: 'eslint(no-empty-pattern)', severity: 'error' },
        { file: 'src/b.js', rule: 'fatal', severity: 'error' },
      ],
    ],
    [
      'oxlint before 0.16: a bare array',
      oxlint.parse,
      [{ code: 'eslint(no-debugger)', severity: 'error', filename: 'a.js' }],
      [{ file: 'a.js', rule: 'eslint(no-debugger)', severity: 'error' }],
    ],
    ['oxlint: not a report', oxlint.parse, 'crash', undefined],
    [
      'Biome 2: path a string, lint/ dropped, parse and fatal are errors',
      biome.parse,
      {
        summary: { errors: 3, diagnosticsNotPrinted: 0 },
        diagnostics: [
          { severity: 'error', category: 'lint/suspicious/noDebugger', location: { path: 'a.js' } },
          { severity: 'warning', category: 'lint/style/useConst', location: { path: 'a.js' } },
          { severity: 'error', category: 'parse', location: { path: 'b.js' } },
          { severity: 'fatal', category: 'internalError/fs', location: { path: 'c.js' } },
          { severity: 'information', category: 'lint/x', location: { path: 'c.js' } },
        ],
      },
      [
        { file: 'a.js', rule: 'suspicious/noDebugger', severity: 'error' },
        { file: 'a.js', rule: 'style/useConst', severity: 'warning' },
        { file: 'b.js', rule: 'fatal', severity: 'error' },
        { file: 'c.js', rule: 'internalError/fs', severity: 'error' },
      ],
    ],
    [
      'Biome 1: path an object with file',
      biome.parse,
      {
        diagnostics: [
          { severity: 'error', category: 'lint/a/b', location: { path: { file: 'src/x.ts' } } },
        ],
      },
      [{ file: 'src/x.ts', rule: 'a/b', severity: 'error' }],
    ],
    [
      'Biome: diagnostics left out make the counts unusable',
      biome.parse,
      { summary: { diagnosticsNotPrinted: 4 }, diagnostics: [] },
      undefined,
    ],
  ])('%s', (_, parse, report, expected) => {
    expect(parse(report)).toEqual(expected);
  });
});

describe('script options', () => {
  it.each<[string, { scriptOptions(args: readonly string[]): unknown }, string[], unknown]>([
    [
      'ESLint keeps its config and extensions, drops reporters, fixing and caches',
      eslint,
      [
        '--cache',
        '-f',
        'stylish',
        '--ext',
        '.ts',
        '--fix',
        '-c',
        'x.js',
        'src',
        '--max-warnings=0',
      ],
      { options: ['--ext', '.ts', '-c', 'x.js'], warningsAreErrors: true },
    ],
    [
      'ESLint: warnings allowed',
      eslint,
      ['--max-warnings', '10', '.'],
      { options: [], warningsAreErrors: false },
    ],
    [
      'oxlint keeps rule options and denies warnings with --deny-warnings',
      oxlint,
      ['-D', 'correctness', '--deny-warnings', '--format', 'github', '--fix', 'src'],
      { options: ['-D', 'correctness'], warningsAreErrors: true },
    ],
    [
      'xo drops its reporter',
      xo,
      ['--reporter', 'compact', '--space', 'src'],
      { options: ['--space'], warningsAreErrors: false },
    ],
    [
      'Biome keeps only where its config is',
      biome,
      ['check', '--write', '--config-path', 'conf', '--error-on-warnings', '.'],
      { options: ['--config-path', 'conf'], warningsAreErrors: true },
    ],
  ])('%s', (_, plugin, args, expected) => {
    expect(plugin.scriptOptions(args)).toEqual(expected);
  });
});

describe('scriptUses', () => {
  it('finds linters behind wrappers, paths and package managers', () => {
    const uses = scriptUses({
      scripts: {
        lint: 'pnpm oxlint -D all && npx --no-install xo src',
        check: 'cross-env NODE_ENV=ci ./node_modules/.bin/eslint . ; yarn biome lint',
        test: 'pnpm test:unit',
      },
    });
    expect(uses.map((u) => [u.script, u.command.program, u.command.args.join(' ')])).toEqual([
      ['lint', 'oxlint', '-D all'],
      ['lint', 'xo', 'src'],
      ['check', 'eslint', '.'],
      ['check', 'biome', 'lint'],
      ['test', 'pnpm', 'test:unit'],
    ]);
  });
});

describe('lintScriptProblem', () => {
  it.each<[string, Record<string, string>, string | undefined]>([
    ['runs xo itself', { lint: 'xo' }, 'covered'],
    [
      'runs ESLint through another script',
      { lint: 'npm run lint:js', 'lint:js': 'eslint .' },
      'covered',
    ],
    ['runs oxlint through run-s globs', { lint: 'run-s lint:*', 'lint:ox': 'oxlint' }, 'covered'],
    [
      'runs Biome through concurrently',
      { lint: 'concurrently "npm:lint:types" "biome lint ."', 'lint:types': 'tsc' },
      'covered',
    ],
    ['runs another linter: the fallback', { lint: 'standard && tsc --noEmit' }, undefined],
    [
      'rewrites files',
      { lint: 'npm run lint:fix', 'lint:fix': 'standard --fix' },
      'the lint script rewrites files (standard --fix), so it cannot check a change',
    ],
    ['calls itself', { lint: 'npm run lint' }, undefined],
  ])('%s', (_, scripts, expected) => {
    expect(lintScriptProblem({ scripts })).toBe(expected);
  });
});

describe('parseJsoncOrUndefined', () => {
  it.each<[string, string, unknown]>([
    [
      'comments dropped, strings with // and /* kept, trailing commas allowed',
      '{\n  // a comment\n  "$schema": "https://biomejs.dev/schema.json", /* block */\n  "a": "/* not a comment */",\n  "linter": { "enabled": false, },\n}',
      {
        $schema: 'https://biomejs.dev/schema.json',
        a: '/* not a comment */',
        linter: { enabled: false },
      },
    ],
    ['escaped quotes in strings', '{ "a": "say \\"hi\\" // here" }', { a: 'say "hi" // here' }],
    ['not JSON', '{ linter: ', undefined],
  ])('%s', (_, source, expected) => {
    expect(parseJsoncOrUndefined(source)).toEqual(expected);
  });
});
