import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { allRules } from '../rules/index.js';
import { NAMED_RULES, rulesForBiome, rulesForEslint, thresholdOf } from './names.js';
import { readLintConfig } from './read.js';
import { parseJsonc } from '../../core/index.js';
import { parseEslintSetting, readBiome, readEslintrc, readOxlint } from './readers.js';
import { resolveLintConfig } from './resolve.js';
import type { LintSource } from './types.js';
import { parseConfigText } from './read.js';

const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

async function repo(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'beast-lint-config-'));
  dirs.push(dir);
  for (const [name, text] of Object.entries(files)) await writeFile(path.join(dir, name), text);
  return dir;
}

/** Our settings for each file, as the layers give them. */
function settingsByFile(layers: { files: string[]; rules: Record<string, unknown> }[]) {
  const out: Record<string, Record<string, unknown>> = {};
  for (const layer of layers)
    for (const file of layer.files) out[file] = { ...out[file], ...layer.rules };
  return out;
}

describe('the name table', () => {
  it('names only real rules, and maps every rule that has an ESLint name', () => {
    const ids = new Set(allRules.map((r) => r.meta.id));
    for (const id of NAMED_RULES) expect(ids, id).toContain(id);
    for (const rule of allRules)
      if (rule.meta.eslint) expect(rulesForEslint(rule.meta.eslint)).toContain(rule.meta.id);
  });

  it.each([
    ['no-unused-vars', ['unused-import', 'unused-variable']],
    ['@typescript-eslint/no-unused-vars', ['unused-import', 'unused-variable']],
    ['no-empty', ['empty-block', 'empty-catch']],
    ['@typescript-eslint/ban-types', ['no-unsafe-function-type', 'no-wrapper-object-types']],
    ['max-params', ['max-params']],
    ['semi', []],
  ])('ESLint %s -> %j', (name, ids) => {
    expect(rulesForEslint(name).sort()).toEqual(ids);
  });

  it.each([
    ['suspicious/noDebugger', ['no-debugger']],
    ['noDebugger', ['no-debugger']],
    ['complexity/noExcessiveCognitiveComplexity', ['cognitive-complexity']],
    ['suspicious/noEmptyBlockStatements', ['empty-block', 'empty-catch', 'empty-function']],
    ['style/useNamingConvention', []],
  ])('Biome %s -> %j', (name, ids) => {
    expect(rulesForBiome(name).sort()).toEqual(ids);
  });

  it.each([
    ['complexity', [3], 3],
    ['complexity', [{ max: 7 }], 7],
    ['complexity', [{ maximum: 8 }], 8],
    ['complexity', [], 20],
    ['max-params', [{ max: 2 }], 2],
    ['max-params', [], 3],
    ['max-depth', [{ max: 6 }], 6],
    ['max-lines', [{ max: 900, skipBlankLines: true }], 900],
    ['max-lines-per-function', [120], 120],
    ['max-nested-callbacks', [{ max: 5 }], 5],
    ['sonarjs/cognitive-complexity', [25], 25],
    ['no-console', [], undefined],
  ])('%s %j -> threshold %s', (name, options, threshold) => {
    expect(thresholdOf(name, options)).toBe(threshold);
  });
});

describe('parseEslintSetting', () => {
  it.each([
    ['off', { on: false, options: [] }],
    [0, { on: false, options: [] }],
    ['warn', { on: true, options: [] }],
    [2, { on: true, options: [] }],
    [['error', { max: 3 }], { on: true, options: [{ max: 3 }] }],
    [['off', 'always'], { on: false, options: ['always'] }],
    ['loud', undefined],
    [{ level: 'off' }, undefined],
  ])('%j', (value, expected) => {
    expect(parseEslintSetting(value)).toEqual(expected);
  });
});

describe('readEslintrc', () => {
  // As yargs-parser's .eslintrc.json: a preset, then overrides for TypeScript files.
  const yargsParser = {
    parser: '@typescript-eslint/parser',
    extends: './node_modules/gts/',
    overrides: [
      {
        files: ['**/*.ts', '**/*.tsx'],
        rules: {
          '@typescript-eslint/no-unused-vars': 'off',
          '@typescript-eslint/no-explicit-any': 'off',
          '@typescript-eslint/no-unsafe-function-type': 'off',
        },
      },
    ],
  };

  it('reads the own rules and each override, and lists the presets it does not follow', () => {
    const read = readEslintrc(yargsParser);
    expect(read.extends).toEqual(['./node_modules/gts/']);
    expect(read.layers).toEqual([
      { rules: {} },
      {
        files: [['**/*.ts', '**/*.tsx']],
        rules: {
          '@typescript-eslint/no-unused-vars': { on: false, options: [] },
          '@typescript-eslint/no-explicit-any': { on: false, options: [] },
          '@typescript-eslint/no-unsafe-function-type': { on: false, options: [] },
        },
      },
    ]);
  });

  it('applies overrides to the files they match, a pattern without a slash at any depth', () => {
    const read = readEslintrc({
      rules: { 'max-params': ['error', { max: 2 }], complexity: ['warn', 3] },
      overrides: [
        {
          files: '*.test.js',
          excludedFiles: 'keep/**',
          rules: { 'max-params': 'off', complexity: 'error' },
        },
      ],
    });
    const source: LintSource = { linter: 'eslint', file: '.eslintrc', ...read };
    const files = ['src/a.js', 'src/a.test.js', 'keep/b.test.js'];
    const { layers, adjusted } = resolveLintConfig([source], files);
    expect(settingsByFile(layers)).toEqual({
      'src/a.js': {
        'max-params': { options: { threshold: 2 } },
        'cyclomatic-complexity': { options: { threshold: 3 } },
      },
      // `complexity: "error"` keeps the options given beneath, as ESLint does.
      'src/a.test.js': {
        'max-params': 'off',
        'cyclomatic-complexity': { options: { threshold: 3 } },
      },
      'keep/b.test.js': {
        'max-params': { options: { threshold: 2 } },
        'cyclomatic-complexity': { options: { threshold: 3 } },
      },
    });
    expect(adjusted.find((a) => a.change === 'off')).toEqual({
      rule: 'max-params',
      their: 'max-params',
      source: '.eslintrc',
      change: 'off',
      files: ['src/a.test.js'],
    });
    expect(adjusted.find((a) => a.rule === 'cyclomatic-complexity')).toMatchObject({
      change: 'threshold 3 (default 10)',
      files: ['**'],
    });
  });
});

describe('resolveLintConfig', () => {
  const source = (rules: Record<string, unknown>): LintSource => ({
    linter: 'eslint',
    file: 'eslint.config.js',
    notes: [],
    layers: readEslintrc({ rules }).layers,
  });

  it('leaves a rule on while any equivalent rule is on', () => {
    const { adjusted } = resolveLintConfig(
      [source({ 'no-unused-vars': 'off', '@typescript-eslint/no-unused-vars': 'error' })],
      ['a.ts'],
    );
    expect(adjusted).toEqual([]);
  });

  it('turns it off when every equivalent rule that is set is off, in every config', () => {
    const eslint = source({ 'no-debugger': 'off', eqeqeq: 'off' });
    const biome: LintSource = {
      linter: 'biome',
      file: 'biome.json',
      ...readBiome({ linter: { rules: { suspicious: { noDebugger: 'error' } } } }),
    };
    const { adjusted } = resolveLintConfig([eslint, biome], ['a.ts']);
    expect(adjusted.map((a) => a.rule)).toEqual(['eqeqeq']);
  });

  it('says nothing of a threshold equal to the default, nor of a rule their config does not set', () => {
    const { layers, adjusted } = resolveLintConfig(
      [source({ 'max-params': ['error', 4], 'max-depth': 'error' })],
      ['a.ts'],
    );
    expect(layers).toEqual([]);
    expect(adjusted).toEqual([]);
  });

  it('escapes exact paths that look like globs', () => {
    const eslint: LintSource = {
      linter: 'eslint',
      file: 'eslint.config.js',
      notes: [],
      perFile: new Map([['pages/[id].ts', { 'no-debugger': { on: false, options: [] } }]]),
    };
    const { layers } = resolveLintConfig([eslint], ['pages/[id].ts', 'pages/i.ts']);
    expect(layers).toEqual([{ files: ['pages/\\[id\\].ts'], rules: { 'no-debugger': 'off' } }]);
  });
});

describe('readBiome', () => {
  it('reads groups and overrides (includes with negations), never recommended', () => {
    const read = readBiome({
      linter: {
        rules: {
          recommended: false,
          complexity: {
            noExcessiveCognitiveComplexity: {
              level: 'warn',
              options: { maxAllowedComplexity: 25 },
            },
          },
          suspicious: { noExplicitAny: 'off', recommended: true },
        },
      },
      // As repomix's biome.json.
      overrides: [
        {
          includes: ['**/*.vue', '!**/keep.vue'],
          linter: { rules: { correctness: { noUnusedVariables: 'off' } } },
        },
        { includes: ['src/index.ts'], assist: { actions: {} } },
      ],
    });
    const source: LintSource = { linter: 'biome', file: 'biome.json', ...read };
    const { adjusted } = resolveLintConfig(source ? [source] : [], ['a.vue', 'keep.vue', 'b.ts']);
    expect(adjusted.map((a) => [a.rule, a.their, a.change, a.files])).toEqual([
      [
        'cognitive-complexity',
        'complexity/noExcessiveCognitiveComplexity',
        'threshold 25 (default 15)',
        ['**'],
      ],
      ['no-explicit-any', 'suspicious/noExplicitAny', 'off', ['**']],
      ['unused-variable', 'correctness/noUnusedVariables', 'off', ['a.vue']],
    ]);
  });

  it('reads tinyglobby-style configs (rules switched on) as adjusting nothing', () => {
    const read = readBiome({
      linter: {
        rules: {
          recommended: true,
          correctness: { noUnusedVariables: 'error', noUnusedPrivateClassMembers: 'error' },
          suspicious: { noEmptyBlockStatements: 'error' },
        },
      },
    });
    const source: LintSource = { linter: 'biome', file: 'biome.json', ...read };
    expect(resolveLintConfig([source], ['a.ts']).adjusted).toEqual([]);
  });
});

describe('readOxlint', () => {
  it('reads prefixed names as ESLint names, and overrides by files', () => {
    const read = readOxlint({
      categories: { correctness: 'off' },
      rules: {
        'eslint/no-debugger': 'off',
        'typescript/no-explicit-any': 'off',
        'max-params': ['warn', { max: 6 }],
      },
      overrides: [{ files: ['*.test.ts'], rules: { 'no-console': 'off' } }],
    });
    expect(read.notes[0]).toMatch(/categories/);
    const source: LintSource = { linter: 'oxlint', file: '.oxlintrc.json', ...read };
    const { adjusted } = resolveLintConfig([source], ['src/a.ts', 'src/a.test.ts']);
    expect(adjusted.map((a) => [a.rule, a.change, a.files])).toEqual([
      ['max-params', 'threshold 6 (default 4)', ['**']],
      ['no-console', 'off', ['src/a.test.ts']],
      ['no-debugger', 'off', ['**']],
      ['no-explicit-any', 'off', ['**']],
    ]);
  });
});

describe('parseConfigText', () => {
  it('reads the YAML eslintrc files are written in', () => {
    // As class-transformer's .eslintrc.yml.
    const text = [
      "parser: '@typescript-eslint/parser'",
      'plugins:',
      "  - '@typescript-eslint'",
      'extends:',
      "  - 'plugin:@typescript-eslint/recommended'",
      'rules:',
      "  '@typescript-eslint/no-explicit-any': off # a comment",
      "  '@typescript-eslint/no-unused-vars':",
      "    - 'error'",
      "    - args: 'none'",
      '  max-params: [error, { max: 3 }]',
      'overrides:',
      '  - files: ["*.spec.ts"]',
      '    rules:',
      '      complexity: 0',
    ].join('\n');
    expect(parseConfigText('.eslintrc.yml', text)).toEqual({
      parser: '@typescript-eslint/parser',
      plugins: ['@typescript-eslint'],
      extends: ['plugin:@typescript-eslint/recommended'],
      rules: {
        '@typescript-eslint/no-explicit-any': 'off',
        '@typescript-eslint/no-unused-vars': ['error', { args: 'none' }],
        'max-params': ['error', { max: 3 }],
      },
      overrides: [{ files: ['*.spec.ts'], rules: { complexity: 0 } }],
    });
  });

  it('refuses broken YAML, naming the line', () => {
    expect(() => parseConfigText('.eslintrc.yml', 'a: 1\n   b: 2')).toThrow(/at line 1/);
  });

  it('refuses aliases that would expand without bound', () => {
    const levels = ['a: &a [1]'];
    for (const name of 'bcdef') {
      const previous = String.fromCharCode(name.charCodeAt(0) - 1);
      levels.push(`${name}: &${name} [${Array(10).fill(`*${previous}`).join(', ')}]`);
    }
    expect(() => parseConfigText('.eslintrc.yml', levels.join('\n'))).toThrow(/alias/i);
  });
});

describe('readLintConfig', () => {
  it('reads eslintrc JSON with comments, biome.jsonc and package.json#xo together', async () => {
    const root = await repo({
      '.eslintrc.json': '{ // legacy\n "rules": { "max-params": ["error", 2], }\n}',
      'biome.jsonc': '{ "linter": { "rules": { "style": { "noVar": "off" } } } }',
      'package.json': JSON.stringify({ xo: { rules: { 'no-console': 'off' } } }),
    });
    const { report } = await readLintConfig(root, ['a.js']);
    expect(report.sources).toEqual(['.eslintrc.json', 'package.json#xo', 'biome.jsonc']);
    expect(report.adjusted.map((a) => [a.source, a.rule, a.change])).toEqual([
      ['.eslintrc.json', 'max-params', 'threshold 2 (default 4)'],
      ['biome.jsonc', 'no-var', 'off'],
      ['package.json#xo', 'no-console', 'off'],
    ]);
    expect(report.notRead).toEqual([]);
  });

  it('reads package.json#eslintConfig when there is no eslintrc file, its presets noted', async () => {
    const root = await repo({
      'package.json': JSON.stringify({
        eslintConfig: { extends: 'eslint:recommended', rules: { 'no-console': 0 } },
      }),
    });
    const { report } = await readLintConfig(root, ['a.js']);
    expect(report.sources).toEqual(['package.json#eslintConfig']);
    expect(report.adjusted.map((a) => [a.rule, a.change])).toEqual([['no-console', 'off']]);
    expect(report.notes).toEqual([
      'package.json#eslintConfig: extends not followed: eslint:recommended',
    ]);
  });

  it('reports a broken config as not read and applies nothing of it', async () => {
    const root = await repo({ '.eslintrc.json': '{ "rules": { "max-params": ' });
    const { layers, report } = await readLintConfig(root, ['a.js']);
    expect(layers).toEqual([]);
    expect(report.notRead).toEqual([
      { file: '.eslintrc.json', reason: expect.stringMatching(/^not valid JSON: /) },
    ]);
  });

  it('does not guess at a config that is code when nothing may run it', async () => {
    const root = await repo({
      'eslint.config.js': 'export default [{ rules: { "max-params": "off" } }];',
      'oxlint.config.ts': 'export default {};',
    });
    const { layers, report } = await readLintConfig(root, ['a.js']);
    expect(layers).toEqual([]);
    expect(report.notRead.map((n) => n.file)).toEqual(['eslint.config.js', 'oxlint.config.ts']);
  });

  it('parses JSONC strings that hold comment markers as strings', () => {
    expect(parseJsonc('{"a": "//x", /* c */ "b": [1,],}')).toEqual({ a: '//x', b: [1] });
  });
});
