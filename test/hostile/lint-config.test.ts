import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ScanReport } from '../../src/core/index.js';
import { beast, git, makeRepo, PROJECT_ROOT } from '../helpers/repo.js';

// The project's own lint configuration, as real repositories write it: followed where it turns a
// mapped rule off or changes its threshold, reported, and never trusted with our secrets.

let home: string;
beforeAll(async () => {
  home = await mkdtemp(path.join(tmpdir(), 'beast-lint-config-home-'));
});

/** Five parameters (max-params), complexity 4 (over 3, under the default 10), a debugger. */
const CODE = [
  'export function f(a, b, c, d, e) {',
  '  if (a) return 1;',
  '  if (b) return 2;',
  '  if (c) return 3;',
  '  return d + e;',
  '}',
  'export function g(x) {',
  '  debugger;',
  '  return x == 1;',
  '}',
  '',
].join('\n');

function scan(dir: string, args: string[] = [], env: Record<string, string> = {}) {
  return beast(['scan', dir, '--no-store', '--no-cache', '--quiet', ...args], {
    env: { BEAST_HOME: home, ...env },
  });
}

function jsonScan(dir: string, args: string[] = [], env: Record<string, string> = {}) {
  const result = scan(dir, ['--format', 'json', ...args], env);
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  const report = JSON.parse(result.stdout) as ScanReport;
  const rulesIn = (file: string) =>
    [...new Set(report.findings.filter((f) => f.file === file).map((f) => f.ruleId))].sort();
  return { report, rulesIn };
}

const ESLINTRC = {
  rules: { 'max-params': 'off', complexity: ['error', 3] },
  overrides: [{ files: ['*.test.js'], rules: { 'no-debugger': 'off' } }],
};

describe('a legacy .eslintrc.json', () => {
  it('turns max-params off and cyclomatic complexity to 3, and says so in one line', async () => {
    const dir = await makeRepo({
      'a.js': CODE,
      'a.test.js': CODE,
      '.eslintrc.json': JSON.stringify(ESLINTRC),
    });
    const { report, rulesIn } = jsonScan(dir);
    expect(rulesIn('a.js')).toEqual(['cyclomatic-complexity', 'eqeqeq', 'no-debugger']);
    // The override for `*.test.js` applies to that file only.
    expect(rulesIn('a.test.js')).toEqual(['cyclomatic-complexity', 'eqeqeq']);
    expect(report.lintConfig).toEqual({
      sources: ['.eslintrc.json'],
      adjusted: [
        {
          rule: 'cyclomatic-complexity',
          their: 'complexity',
          source: '.eslintrc.json',
          change: 'threshold 3 (default 10)',
          files: ['**'],
        },
        {
          rule: 'max-params',
          their: 'max-params',
          source: '.eslintrc.json',
          change: 'off',
          files: ['**'],
        },
        {
          rule: 'no-debugger',
          their: 'no-debugger',
          source: '.eslintrc.json',
          change: 'off',
          files: ['a.test.js'],
        },
      ],
      notRead: [],
    });
    const table = scan(dir);
    expect(table.stdout).toContain(
      'Lint       3 rules adjusted from .eslintrc.json (respectLintConfig)\n',
    );
    expect(git(dir, 'status', '--porcelain')).toBe('');
  });

  it('is ignored with --no-lint-config or respectLintConfig: false', async () => {
    const dir = await makeRepo({ 'a.js': CODE, '.eslintrc.json': JSON.stringify(ESLINTRC) });
    const off = jsonScan(dir, ['--no-lint-config']);
    expect(off.rulesIn('a.js')).toContain('max-params');
    expect(off.rulesIn('a.js')).not.toContain('cyclomatic-complexity');
    expect(off.report.lintConfig).toBeUndefined();
    await writeFile(path.join(dir, 'beast.config.json'), '{ "respectLintConfig": false }');
    expect(jsonScan(dir).rulesIn('a.js')).toContain('max-params');
  });

  it('lies beneath the beast config: a rule it names is its own', async () => {
    const dir = await makeRepo({
      'a.js': CODE,
      '.eslintrc.json': JSON.stringify(ESLINTRC),
      'beast.config.json': JSON.stringify({ rules: { 'max-params': 'on' } }),
    });
    const { report, rulesIn } = jsonScan(dir);
    expect(rulesIn('a.js')).toContain('max-params');
    expect(rulesIn('a.js')).toContain('cyclomatic-complexity');
    expect(report.lintConfig?.adjusted.map((a) => a.rule)).toEqual(['cyclomatic-complexity']);
  });

  it('a broken one is one line saying so; the scan runs with nothing of it applied', async () => {
    const dir = await makeRepo({ 'a.js': CODE, '.eslintrc.json': '{ "rules": { "max-params": ' });
    const table = scan(dir);
    expect(table.code).toBe(0);
    expect(table.stderr).toBe('');
    expect(table.stdout).toMatch(
      /\nLint {7}ESLint config \.eslintrc\.json not read: not valid JSON: [^\n]+\n/,
    );
    const { report, rulesIn } = jsonScan(dir);
    expect(rulesIn('a.js')).toContain('max-params');
    expect(report.lintConfig?.adjusted).toEqual([]);
  });
});

describe('Biome and oxlint', () => {
  it('biome.json: a rule set to off in its group turns ours off; recommended: false does not', async () => {
    const dir = await makeRepo({
      'a.js': CODE,
      'biome.json': JSON.stringify({
        linter: { rules: { recommended: false, suspicious: { noDebugger: 'off' } } },
      }),
    });
    const { report, rulesIn } = jsonScan(dir);
    expect(rulesIn('a.js')).toEqual(['eqeqeq', 'max-params']);
    expect(report.lintConfig?.adjusted.map((a) => [a.rule, a.their])).toEqual([
      ['no-debugger', 'suspicious/noDebugger'],
    ]);
  });

  it('.oxlintrc.json: prefixed names and thresholds', async () => {
    const dir = await makeRepo({
      'a.js': CODE,
      '.oxlintrc.json': JSON.stringify({
        rules: { 'eslint/eqeqeq': 'off', 'eslint/max-params': ['warn', { max: 6 }] },
      }),
    });
    const { rulesIn } = jsonScan(dir);
    expect(rulesIn('a.js')).toEqual(['no-debugger']);
  });
});

/** A repository whose node_modules/eslint is the project's own ESLint, as `npm install` makes it. */
async function withEslint(files: Record<string, string>): Promise<string> {
  const dir = await makeRepo({ ...files, '.gitignore': 'node_modules\n' });
  await mkdir(path.join(dir, 'node_modules'));
  await symlink(
    path.join(PROJECT_ROOT, 'node_modules', 'eslint'),
    path.join(dir, 'node_modules', 'eslint'),
  );
  return dir;
}

describe('an eslint.config.js, asked of the repository’s own ESLint', () => {
  it('follows what the config computes for each file', async () => {
    const dir = await withEslint({
      'a.js': CODE,
      'a.test.js': CODE,
      'package.json': '{ "type": "module" }',
      'eslint.config.js': [
        'export default [',
        "  { rules: { 'max-params': 'off', complexity: ['error', 3], 'no-debugger': 'error' } },",
        "  { files: ['**/*.test.js'], rules: { 'no-debugger': 'off' } },",
        '];',
        '',
      ].join('\n'),
    });
    const { report, rulesIn } = jsonScan(dir);
    expect(report.lintConfig?.notRead).toEqual([]);
    expect(report.lintConfig?.notes).toEqual([
      expect.stringMatching(/^eslint\.config\.js: read by ESLint 9\./),
    ]);
    expect(rulesIn('a.js')).not.toContain('max-params');
    expect(rulesIn('a.js')).toContain('cyclomatic-complexity');
    expect(report.lintConfig?.adjusted.find((a) => a.rule === 'no-debugger')?.files).toEqual([
      'a.test.js',
    ]);
    expect(git(dir, 'status', '--porcelain')).toBe('');
  });

  it('says so in the report when the config code ran without a sandbox', async () => {
    const dir = await withEslint({
      'a.js': CODE,
      'eslint.config.mjs': "export default [{ rules: { 'no-debugger': 'off' } }];\n",
    });
    const { report } = jsonScan(dir, [], { BEAST_SANDBOX: 'off' });
    expect(report.lintConfig?.adjusted.map((a) => a.rule)).toEqual(['no-debugger']);
    expect(report.warnings).toEqual([
      expect.stringMatching(/ran without a sandbox \(BEAST_SANDBOX=off\)/),
    ]);
  });

  it('without node_modules, says it was not read and applies nothing', async () => {
    const dir = await makeRepo({
      'a.js': CODE,
      'eslint.config.mjs': "export default [{ rules: { 'max-params': 'off' } }];\n",
    });
    const table = scan(dir);
    expect(table.stdout).toContain(
      'Lint       ESLint config eslint.config.mjs not read: node_modules/eslint not found\n',
    );
    expect(jsonScan(dir).rulesIn('a.js')).toContain('max-params');
  });

  it('is not run at all where the sandbox cannot start, unless BEAST_SANDBOX=off says so', async () => {
    const dir = await withEslint({
      'a.js': CODE,
      'eslint.config.mjs': "export default [{ rules: { 'max-params': 'off' } }];\n",
    });
    // A bwrap first on PATH that cannot start, as in a container without user namespaces.
    const bin = await mkdtemp(path.join(tmpdir(), 'beast-no-bwrap-'));
    await writeFile(
      path.join(bin, 'bwrap'),
      '#!/bin/sh\necho "No permissions to create new namespace" >&2\nexit 1\n',
      {
        mode: 0o755,
      },
    );
    const PATH = `${bin}${path.delimiter}${process.env.PATH ?? ''}`;
    const { report, rulesIn } = jsonScan(dir, [], { PATH });
    expect(report.lintConfig?.notRead).toEqual([
      {
        file: 'eslint.config.mjs',
        reason: expect.stringMatching(
          /needs the sandbox \(bubblewrap\), and bwrap fails: No permissions to create new namespace; BEAST_SANDBOX=off runs it without one/,
        ),
      },
    ]);
    expect(rulesIn('a.js')).toContain('max-params');
    expect(report.warnings).toEqual([]);
  });

  it('a config that throws is not read, in one line', async () => {
    const dir = await withEslint({
      'a.js': CODE,
      'eslint.config.mjs': "throw new Error('config exploded');\n",
    });
    const { report, rulesIn } = jsonScan(dir);
    expect(report.lintConfig?.notRead).toEqual([
      { file: 'eslint.config.mjs', reason: expect.stringContaining('config exploded') },
    ]);
    expect(rulesIn('a.js')).toContain('max-params');
  });

  it('a config that reaches for secrets, HOME and files outside finds none of them', async () => {
    const outside = await mkdtemp(path.join(tmpdir(), 'beast-lint-config-outside-'));
    const userHome = await mkdtemp(path.join(tmpdir(), 'beast-lint-config-user-'));
    await writeFile(path.join(userHome, 'credentials'), 'hunter2');
    // Each rule it turns off is a signal: no-debugger that it ran, the others that it got out.
    const config = [
      "import fs from 'node:fs';",
      "const tryWrite = (file) => { try { fs.writeFileSync(file, 'x'); return true; } catch { return false; } };",
      'const sawSecret = Boolean(process.env.LINT_CONFIG_SECRET || process.env.ANTHROPIC_API_KEY);',
      `const sawHome = fs.existsSync(${JSON.stringify(path.join(userHome, 'credentials'))});`,
      `tryWrite(${JSON.stringify(path.join(outside, 'escaped'))});`,
      "const wroteInside = tryWrite('inside.txt');",
      'export default [{ rules: {',
      "  'no-debugger': 'off',",
      "  eqeqeq: sawSecret ? 'off' : 'error',",
      "  'use-isnan': sawHome ? 'off' : 'error',",
      "  'valid-typeof': wroteInside ? 'off' : 'error',",
      '} }];',
      '',
    ].join('\n');
    const dir = await withEslint({ 'a.js': CODE, 'eslint.config.mjs': config });
    const { report } = jsonScan(dir, [], {
      LINT_CONFIG_SECRET: 'sk-should-never-be-seen',
      ANTHROPIC_API_KEY: 'sk-ant-should-never-be-seen',
      HOME: userHome,
    });
    expect(report.lintConfig?.adjusted.map((a) => a.rule)).toEqual(['no-debugger']);
    expect(existsSync(path.join(outside, 'escaped'))).toBe(false);
    expect(existsSync(path.join(dir, 'inside.txt'))).toBe(false);
    expect(git(dir, 'status', '--porcelain')).toBe('');
  });
});
