import { readFileSync } from 'node:fs';
import { chmod, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  compareLint,
  detectLinters,
  runLint,
  type LintRun,
  type LinterDetection,
  type LinterInfo,
} from './lint.js';
import { SCRIPT_FILE, SCRIPT_RULE } from './linters/script.js';
import { OUR_NODE_MODULES, RUN_TIMEOUT_MS, createFixture, type Fixture } from './testing.js';

let fixture: Fixture | undefined;
afterEach(async () => {
  await fixture?.remove();
  fixture = undefined;
});

const FLAT_CONFIG = `export default [
  { rules: { 'no-unused-vars': 'error', 'no-debugger': 'warn' } },
];
`;

async function setUp(
  files: Record<string, string | object>,
  options: { nodeModules?: boolean } = {},
): Promise<LinterInfo> {
  fixture = await createFixture(files, options);
  const { linters, notRun } = await detectLinters(fixture.root);
  const [linter] = linters;
  if (linter === undefined) throw new Error(notRun.map((s) => s.reason).join('; '));
  return linter;
}

function lint(linter: LinterInfo, files: string[]): Promise<LintRun> {
  return runLint(linter, { cwd: fixture?.root ?? '', files, timeoutMs: RUN_TIMEOUT_MS });
}

const slow = { timeout: RUN_TIMEOUT_MS * 3 };

/** The version of a package in our node_modules. */
function readOurs(name: string): string {
  const pkg = readFileSync(join(OUR_NODE_MODULES, name, 'package.json'), 'utf8');
  return (JSON.parse(pkg) as { version: string }).version;
}

const ESLINT = {
  name: 'eslint' as const,
  label: 'ESLint',
  bin: 'node_modules/.bin/eslint',
  options: [],
  warningsAreErrors: false,
  version: readOurs('eslint'),
};

function eslintAt(config: string, env: Record<string, string>, extra: Partial<LinterInfo> = {}) {
  return { linters: [{ ...ESLINT, config, env, ...extra }], notRun: [] };
}

const FLAT = { ESLINT_USE_FLAT_CONFIG: 'true' };
const LEGACY = { ESLINT_USE_FLAT_CONFIG: 'false' };

describe('detectLinters', () => {
  it.each<[string, Record<string, string | object>, LinterDetection]>([
    ['a flat config', { 'eslint.config.mjs': FLAT_CONFIG }, eslintAt('eslint.config.mjs', FLAT)],
    ...['js', 'cjs', 'ts', 'mts', 'cts'].map(
      (ext): [string, Record<string, string>, LinterDetection] => [
        `eslint.config.${ext}`,
        { [`eslint.config.${ext}`]: FLAT_CONFIG },
        eslintAt(`eslint.config.${ext}`, FLAT),
      ],
    ),
    ...['', '.js', '.cjs', '.json', '.yaml', '.yml'].map(
      (ext): [string, Record<string, string>, LinterDetection] => [
        `.eslintrc${ext}`,
        { [`.eslintrc${ext}`]: '{}' },
        eslintAt(`.eslintrc${ext}`, LEGACY),
      ],
    ),
    [
      'package.json eslintConfig',
      { 'package.json': { eslintConfig: {} } },
      eslintAt('package.json#eslintConfig', LEGACY),
    ],
    [
      'a script naming its config, with --max-warnings 0 and --fix left out',
      {
        'package.json': {
          scripts: { lint: 'eslint -c conf/eslint.js --max-warnings 0 --fix --ext .ts src' },
        },
      },
      eslintAt(
        'scripts.lint',
        {},
        { options: ['-c', 'conf/eslint.js', '--ext', '.ts'], warningsAreErrors: true },
      ),
    ],
    ['no config', { 'package.json': {} }, { linters: [], notRun: [] }],
    [
      'a lint script running another tool: the fallback',
      { 'package.json': { scripts: { lint: 'standard src' } } },
      {
        linters: [
          {
            name: 'script',
            label: 'the lint script',
            bin: 'lint',
            config: 'scripts.lint',
            options: [],
            warningsAreErrors: false,
            env: {},
            version: '',
          },
        ],
        notRun: [],
      },
    ],
    [
      'a lint script that rewrites files',
      { 'package.json': { scripts: { lint: 'standard --fix src' } } },
      {
        linters: [],
        notRun: [
          {
            name: 'script',
            label: 'the lint script',
            config: 'scripts.lint',
            reason: 'the lint script rewrites files (standard --fix), so it cannot check a change',
          },
        ],
      },
    ],
  ])('%s', async (_, files, expected) => {
    fixture = await createFixture(files);
    expect(await detectLinters(fixture.root)).toEqual(expected);
  });

  it('reports a configured linter whose binary is missing as not run, with the reason', async () => {
    fixture = await createFixture(
      {
        'eslint.config.js': FLAT_CONFIG,
        '.oxlintrc.json': {},
        'biome.jsonc': '{ // comment\n "linter": { "enabled": true, }, }',
        'package.json': { xo: {}, scripts: { lint: 'xo && oxlint' } },
      },
      { nodeModules: false },
    );
    const missing = (label: string, config: string, bin: string) =>
      `${config} configures ${label}, but node_modules/.bin/${bin} is missing: a linter we cannot start (are the dependencies installed?)`;
    expect(await detectLinters(fixture.root)).toEqual({
      linters: [],
      notRun: [
        {
          name: 'eslint',
          label: 'ESLint',
          config: 'eslint.config.js',
          reason: missing('ESLint', 'eslint.config.js', 'eslint'),
        },
        {
          name: 'xo',
          label: 'xo',
          config: 'package.json#xo',
          reason: missing('xo', 'package.json#xo', 'xo'),
        },
        {
          name: 'oxlint',
          label: 'oxlint',
          config: '.oxlintrc.json',
          reason: missing('oxlint', '.oxlintrc.json', 'oxlint'),
        },
        {
          name: 'biome',
          label: 'Biome',
          config: 'biome.jsonc',
          reason: missing('Biome', 'biome.jsonc', 'biome'),
        },
      ],
    });
  });

  it('skips Biome when its config turns the linter off', async () => {
    fixture = await createFixture({ 'biome.json': { linter: { enabled: false } } });
    expect((await detectLinters(fixture.root)).notRun).toEqual([
      {
        name: 'biome',
        label: 'Biome',
        config: 'biome.json',
        reason: "biome.json turns Biome's linter off",
      },
    ]);
  });
});

describe('runLint and compareLint', () => {
  it('counts errors by file and rule and finds the new ones', slow, async () => {
    const linter = await setUp({
      'eslint.config.mjs': FLAT_CONFIG,
      'src/a.js': 'const unused = 1;\nexport const x = 2;\n',
      'src/b.js': 'export function f() {\n  debugger;\n}\n',
    });
    const before = await lint(linter, ['src/a.js', 'src/b.js']);
    // The debugger statement is a warning, which does not count.
    expect(before).toMatchObject({
      status: 'ran',
      errors: { 'src/a.js': { 'eslint/no-unused-vars': 1 } },
    });

    await fixture?.write(
      'src/a.js',
      'const unused = 1;\nconst alsoUnused = 2;\nexport const x = 3;\n',
    );
    await fixture?.write('src/b.js', 'export function f( {\n');
    const after = await lint(linter, ['src/a.js', 'src/b.js', 'src/deleted.js']);
    expect(after.errors).toEqual({
      'src/a.js': { 'eslint/no-unused-vars': 2 },
      'src/b.js': { 'eslint/fatal': 1 },
    });
    expect(compareLint(before, after)).toEqual([
      { file: 'src/a.js', ruleId: 'eslint/no-unused-vars', before: 1, after: 2 },
      { file: 'src/b.js', ruleId: 'eslint/fatal', before: 0, after: 1 },
    ]);
    expect(compareLint(after, before)).toEqual([]);
  });

  it('runs a legacy .eslintrc config', slow, async () => {
    const linter = await setUp({
      '.eslintrc.json': {
        root: true,
        parserOptions: { ecmaVersion: 2022, sourceType: 'module' },
        rules: { 'no-unused-vars': 'error' },
      },
      'a.js': 'const unused = 1;\n',
    });
    expect(await lint(linter, ['a.js'])).toMatchObject({
      status: 'ran',
      errors: { 'a.js': { 'eslint/no-unused-vars': 1 } },
    });
  });

  it('reports a broken config as an error run', slow, async () => {
    const linter = await setUp({ 'eslint.config.mjs': 'export default [;\n', 'a.js': 'x;\n' });
    const run = await lint(linter, ['a.js']);
    expect(run.status).toBe('error');
    expect(run.output).toMatch(/SyntaxError|Unexpected/);
  });
});

describe('the lint script as a fallback', () => {
  it('runs the script whole and counts its failure as one error', slow, async () => {
    const linter = await setUp({
      'package.json': { scripts: { lint: 'node check.mjs' } },
      'check.mjs': [
        "import { readFileSync } from 'node:fs';",
        "if (readFileSync('src/a.js', 'utf8').includes('TODO')) {",
        "  console.error('src/a.js: TODO left');",
        '  process.exit(1);',
        '}',
        '',
      ].join('\n'),
      'src/a.js': 'export const a = 1;\n',
    });
    expect(linter).toMatchObject({ name: 'script', bin: 'lint' });
    const before = await lint(linter, []);
    expect(before).toMatchObject({ status: 'ran', errors: {} });
    await fixture?.write('src/a.js', 'export const a = 1; // TODO\n');
    const after = await lint(linter, ['src/a.js']);
    expect(after).toMatchObject({
      status: 'ran',
      errors: { [SCRIPT_FILE]: { [SCRIPT_RULE]: 1 } },
    });
    expect(after.output).toMatch(/^exit code 1\n[^]*src\/a.js: TODO left/);
    expect(compareLint(before, after)).toEqual([
      { file: SCRIPT_FILE, ruleId: SCRIPT_RULE, before: 0, after: 1 },
    ]);
  });

  it('finds node_modules/.bin first on PATH', slow, async () => {
    const linter = await setUp(
      {
        'package.json': { scripts: { lint: 'which-lint' } },
        'node_modules/.bin/which-lint': '#!/bin/sh\necho "linted by the repository\'s own bin"\n',
      },
      { nodeModules: false },
    );
    await chmod(join(fixture?.root ?? '', 'node_modules/.bin/which-lint'), 0o755);
    const run = await lint(linter, []);
    expect(run).toMatchObject({ status: 'ran', errors: {} });
    expect(run.output).toMatch(/linted by the repository's own bin/);
  });
});

describe('the node option', () => {
  it('runs the linter with the given Node binary, its folder first on PATH', slow, async () => {
    const linter = await setUp({
      'eslint.config.mjs': FLAT_CONFIG,
      'src/a.js': 'const unused = 1;\n',
      // A Node that leaves a mark in the working folder (the only place the sandbox lets it write).
      'other-node/node': `#!/bin/sh\necho "$0" >> node-used\nexec ${process.execPath} "$@"\n`,
    });
    const root = fixture?.root ?? '';
    const node = join(root, 'other-node/node');
    await chmod(node, 0o755);
    const run = await runLint(linter, {
      cwd: root,
      files: ['src/a.js'],
      timeoutMs: RUN_TIMEOUT_MS,
      node,
    });
    expect(run).toMatchObject({
      status: 'ran',
      errors: { 'src/a.js': { 'eslint/no-unused-vars': 1 } },
    });
    expect(fixture?.read('node-used').trim()).toBe(node);

    await fixture?.write('package.json', JSON.stringify({ scripts: { lint: 'node -e 0' } }));
    const script = await detectLinters(root);
    await rm(join(root, 'node-used'));
    const [, fallback] = script.linters;
    expect(fallback).toMatchObject({ name: 'script' });
    const scripted = await runLint(fallback ?? linter, {
      cwd: root,
      files: [],
      timeoutMs: RUN_TIMEOUT_MS,
      node,
    });
    expect(scripted).toMatchObject({ status: 'ran', errors: {} });
    expect(fixture?.read('node-used').trim()).toBe(node);
  });
});

describe('warnings the repository fails on', () => {
  it(
    'counts warnings as errors when the script runs ESLint with --max-warnings 0',
    slow,
    async () => {
      const linter = await setUp({
        'eslint.config.mjs': FLAT_CONFIG,
        'package.json': { scripts: { lint: 'eslint --max-warnings 0 .' } },
        'a.js': 'export function f() {\n  debugger;\n}\n',
      });
      expect(linter).toMatchObject({ warningsAreErrors: true, options: [] });
      expect(await lint(linter, ['a.js'])).toMatchObject({
        status: 'ran',
        errors: { 'a.js': { 'eslint/no-debugger': 1 } },
      });
    },
  );
});
