import { afterEach, describe, expect, it } from 'vitest';
import { compareLint, detectLinter, runLint, type LintRun, type LinterInfo } from './lint.js';
import { RUN_TIMEOUT_MS, createFixture, type Fixture } from './testing.js';

let fixture: Fixture | undefined;
afterEach(async () => {
  await fixture?.remove();
  fixture = undefined;
});

const FLAT_CONFIG = `export default [
  { rules: { 'no-unused-vars': 'error', 'no-debugger': 'warn' } },
];
`;

async function setUp(files: Record<string, string | object>): Promise<LinterInfo> {
  fixture = await createFixture(files);
  const detected = await detectLinter(fixture.root);
  if (!('linter' in detected)) throw new Error(detected.reason);
  return detected.linter;
}

function lint(linter: LinterInfo, files: string[]): Promise<LintRun> {
  return runLint(linter, { cwd: fixture?.root ?? '', files, timeoutMs: RUN_TIMEOUT_MS });
}

const slow = { timeout: RUN_TIMEOUT_MS * 3 };

describe('detectLinter', () => {
  it.each<[string, Record<string, string | object>, LinterInfo | { reason: string }]>([
    [
      'a flat config',
      { 'eslint.config.mjs': FLAT_CONFIG },
      { name: 'eslint', bin: 'node_modules/.bin/eslint', config: 'eslint.config.mjs', flat: true },
    ],
    [
      'a legacy config',
      { '.eslintrc.json': {} },
      { name: 'eslint', bin: 'node_modules/.bin/eslint', config: '.eslintrc.json', flat: false },
    ],
    [
      'package.json eslintConfig',
      { 'package.json': { eslintConfig: {} } },
      { name: 'eslint', bin: 'node_modules/.bin/eslint', config: 'package.json', flat: false },
    ],
    ['no config', { 'package.json': {} }, { reason: 'no ESLint config' }],
  ])('%s', async (_, files, expected) => {
    fixture = await createFixture(files);
    const detected = await detectLinter(fixture.root);
    expect('linter' in detected ? detected.linter : detected).toEqual(expected);
  });

  it('gives a reason when the binary is missing', async () => {
    fixture = await createFixture({ 'eslint.config.js': FLAT_CONFIG }, { nodeModules: false });
    expect(await detectLinter(fixture.root)).toEqual({
      reason:
        'eslint.config.js configures ESLint, but node_modules/.bin/eslint is missing: a linter we cannot start (are the dependencies installed?)',
    });
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
      errors: { 'src/a.js': { 'no-unused-vars': 1 } },
    });

    await fixture?.write(
      'src/a.js',
      'const unused = 1;\nconst alsoUnused = 2;\nexport const x = 3;\n',
    );
    await fixture?.write('src/b.js', 'export function f( {\n');
    const after = await lint(linter, ['src/a.js', 'src/b.js', 'src/deleted.js']);
    expect(after.errors).toEqual({
      'src/a.js': { 'no-unused-vars': 2 },
      'src/b.js': { fatal: 1 },
    });
    expect(compareLint(before, after)).toEqual([
      { file: 'src/a.js', ruleId: 'no-unused-vars', before: 1, after: 2 },
      { file: 'src/b.js', ruleId: 'fatal', before: 0, after: 1 },
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
      errors: { 'a.js': { 'no-unused-vars': 1 } },
    });
  });

  it('reports a broken config as an error run', slow, async () => {
    const linter = await setUp({ 'eslint.config.mjs': 'export default [;\n', 'a.js': 'x;\n' });
    const run = await lint(linter, ['a.js']);
    expect(run.status).toBe('error');
    expect(run.output).toMatch(/SyntaxError|Unexpected/);
  });
});
