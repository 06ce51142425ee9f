import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { FOLLOWS_FILE_STYLE, loadFormatter } from '../src/fixes/index.js';
import { createCodemodsModel } from '../src/models/index.js';
import { runImprove, type ImproveReport } from '../src/pipeline/index.js';
import { git, makeFolder, makeRepo, PROJECT_ROOT } from './helpers/repo.js';

/**
 * The repository's own formatter, for real: Biome, dprint and oxfmt as installed by
 * scripts/install-format-tools.sh (at pinned versions, outside our dependencies), each run
 * sandboxed on a repository that configures it; and a repository with no formatter, whose
 * fixes follow the file's own style.
 */
const TOOLS = path.resolve(
  process.env.BEAST_TOOLS_DIR ?? path.join(PROJECT_ROOT, 'node_modules', '.cache', 'beast-tools'),
);
const MODULES = path.join(TOOLS, 'node_modules');

beforeAll(() => {
  for (const bin of ['biome', 'dprint', 'oxfmt']) {
    if (!existsSync(path.join(MODULES, '.bin', bin))) {
      throw new Error(
        `${bin} is not installed in ${TOOLS}: run scripts/install-format-tools.sh (BEAST_TOOLS_DIR chooses the folder)`,
      );
    }
  }
});

/** A folder with the files and the formatters installed, as `npm install` would leave it. */
async function withTools(files: Record<string, string>): Promise<string> {
  const root = await makeFolder({ 'package.json': '{}', ...files });
  await symlink(MODULES, path.join(root, 'node_modules'));
  return root;
}

interface Case {
  name: RegExp;
  config: Record<string, string>;
  formatted: string;
  proposed: string;
  expected: string;
}

const FORMATTERS: Case[] = [
  {
    name: /^Biome 2\.6\.9$/,
    config: {
      'biome.json': JSON.stringify({
        formatter: { indentStyle: 'tab' },
        javascript: { formatter: { quoteStyle: 'single', semicolons: 'asNeeded' } },
      }),
    },
    formatted: 'export function f(a: number) {\n\treturn a + 1\n}\n',
    proposed: 'export function f(a: number) {\n  return a + 1;\n}\nexport const b = {c:"x"};\n',
    expected: "export function f(a: number) {\n\treturn a + 1\n}\nexport const b = { c: 'x' }\n",
  },
  {
    name: /^dprint 0\.57\.4$/,
    config: {
      'dprint.json': JSON.stringify({
        indentWidth: 4,
        typescript: { quoteStyle: 'preferSingle' },
        plugins: ['./node_modules/@dprint/typescript/plugin.wasm'],
      }),
    },
    formatted: 'export function f(a: number) {\n    return a + 1;\n}\n',
    proposed: 'export function f(a: number) {\n  return a + 1;\n}\nexport const b = {c:"x"};\n',
    expected:
      "export function f(a: number) {\n    return a + 1;\n}\nexport const b = { c: 'x' };\n",
  },
  {
    name: /^oxfmt 0\.80\.0$/,
    config: { '.oxfmtrc.json': JSON.stringify({ singleQuote: true, semi: false, useTabs: true }) },
    formatted: 'export function f(a: number) {\n\treturn a + 1\n}\n',
    proposed: 'export function f(a: number) {\n  return a + 1;\n}\nexport const b = {c:"x"};\n',
    expected: "export function f(a: number) {\n\treturn a + 1\n}\nexport const b = { c: 'x' }\n",
  },
];

describe("the repository's formatter", () => {
  it.each(FORMATTERS)(
    'formats changes with $name, only in files it formatted',
    async ({ name, config, formatted, proposed, expected }) => {
      const unformatted = 'export function g( a:number ){ return a }\n';
      const root = await withTools({ ...config, 'src/a.ts': formatted, 'src/b.ts': unformatted });
      const loaded = await loadFormatter(root);
      if (!('formatter' in loaded)) throw new Error(loaded.reason);
      const { formatter } = loaded;
      expect(formatter.name).toMatch(name);
      expect(await formatter.format('src/a.ts', formatted, proposed)).toBe(expected);
      // The user's own style in a file the formatter does not format stays theirs.
      const edited = `${unformatted}export const c = {d:1};\n`;
      expect(await formatter.format('src/b.ts', unformatted, edited)).toBe(edited);
      // A change that does not parse is left for the gate to reject.
      const broken = `${formatted}export const e = {;\n`;
      expect(await formatter.format('src/a.ts', formatted, broken)).toBe(broken);
    },
    120_000,
  );
});

describe('Prettier 2, which is CommonJS', () => {
  it('formats changes as the repository formats them', async () => {
    const prettier2 = path.join(MODULES, 'prettier2');
    if (!existsSync(prettier2)) {
      throw new Error(
        `Prettier 2 is not installed in ${TOOLS}: run scripts/install-format-tools.sh`,
      );
    }
    const formatted = "export const a = 'x'\n";
    const root = await makeFolder({
      'package.json': '{}',
      '.prettierrc': JSON.stringify({ singleQuote: true, semi: false }),
      'src/a.ts': formatted,
    });
    await mkdir(path.join(root, 'node_modules'));
    await symlink(prettier2, path.join(root, 'node_modules', 'prettier'));
    const loaded = await loadFormatter(root);
    if (!('formatter' in loaded)) throw new Error(loaded.reason);
    expect(loaded.formatter.name).toBe('Prettier 2.8.8');
    expect(await loaded.formatter.format('src/a.ts', formatted, 'export const a = "y";\n')).toBe(
      "export const a = 'y'\n",
    );
  }, 120_000);
});

async function improve(files: Record<string, string>, tools: boolean): Promise<ImproveReport> {
  const repo = await makeRepo({
    'package.json': JSON.stringify({
      name: 'fixture',
      private: true,
      type: 'module',
      scripts: { test: 'node --test test/' },
    }),
    '.gitignore': 'node_modules\n',
    ...files,
  });
  if (tools) await symlink(MODULES, path.join(repo, 'node_modules'));
  const stateDir = await mkdtemp(path.join(tmpdir(), 'beast-gate-format-'));
  return runImprove(repo, { models: [createCodemodsModel()], stateDir }, {});
}

describe('beast improve', () => {
  it("delivers changes as the repository's Biome formats them, and says so", async () => {
    const label = [
      "import { show } from './show.js'",
      '',
      '/** @param {string} name @param {number} count */',
      'export function label(name, count) {',
      '  return show(',
      "    'item ' + name + '!',",
      '    count,',
      "    'units',",
      "    'piece',",
      '  )',
      '}',
      '',
    ].join('\n');
    const report = await improve(
      {
        'biome.json': JSON.stringify({
          formatter: { indentStyle: 'space', lineWidth: 58 },
          javascript: { formatter: { quoteStyle: 'single', semicolons: 'asNeeded' } },
          linter: { enabled: false },
        }),
        'src/show.js':
          "/** @param {unknown[]} parts */\nexport function show(...parts) {\n  return parts.join(' ')\n}\n",
        'src/label.js': label,
        'test/label.test.js': [
          "import assert from 'node:assert/strict'",
          "import { test } from 'node:test'",
          "import { label } from '../src/label.js'",
          '',
          "test('label', () => assert.equal(label('a', 2), 'item a! 2 units piece'))",
          '',
        ].join('\n'),
      },
      true,
    );
    expect(report.formatter).toBe(
      'Biome 2.6.9: changed code is formatted as the repository formats it',
    );
    const change = report.changes.find((c) => c.finding.ruleId === 'prefer-template');
    expect(change?.status).toBe('accepted');
    // Shorter by the template, the call fits in Biome's line width: Biome puts it on one line.
    expect(git(report.repository, 'show', `${report.branch!}:src/label.js`)).toBe(
      label.replace(
        /return show\([^]*?\n {2}\)/,
        "return show(`item ${name}!`, count, 'units', 'piece')",
      ),
    );
  }, 300_000);

  it("without a formatter, delivers changes in the file's own style, and says so", async () => {
    const source = [
      '/** @param {string[]} log @param {number} n */',
      'export function record(log, n) {',
      '  if (n < 0) {',
      "    throw new RangeError('negative');",
      '  }',
      '  if (n > 100) {',
      "    throw new RangeError('too large');",
      '  }',
      '  if (n > 0) {',
      "    log.push('start');",
      '    log.push(`n=${n}`);',
      "    log.push('end');",
      '  }',
      '}',
      '',
    ].join('\n');
    const report = await improve(
      {
        'src/record.js': source,
        'test/record.test.js': [
          "import assert from 'node:assert/strict';",
          "import { test } from 'node:test';",
          "import { record } from '../src/record.js';",
          '',
          "test('record', () => {",
          '  const log = [];',
          '  record(log, 0);',
          '  record(log, 2);',
          "  assert.deepEqual(log, ['start', 'n=2', 'end']);",
          '});',
          '',
        ].join('\n'),
      },
      false,
    );
    expect(report.formatter).toBe(
      `not formatted: no formatter configured (Prettier, Biome, dprint, oxfmt); ${FOLLOWS_FILE_STYLE}`,
    );
    const change = report.changes.find((c) => c.finding.ruleId === 'prefer-early-return');
    expect(change?.status).toBe('accepted');
    // The file braces every if: so does the guard the fix writes.
    expect(git(report.repository, 'show', `${report.branch!}:src/record.js`)).toContain(
      "  if (!(n > 0)) {\n    return;\n  }\n  log.push('start');\n",
    );
  }, 300_000);
});
