import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { detectLinters, mergeLintErrors, runLint } from '../src/fixes/index.js';
import { createCodemodsModel, isFindingTask, type Model } from '../src/models/index.js';
import { runImprove, type ImproveReport } from '../src/pipeline/index.js';
import { PROJECT_ROOT, git, makeRepo } from './helpers/repo.js';

/**
 * The gate runs the repository's own linters, the real tools: xo, oxlint and Biome are installed
 * by scripts/install-lint-tools.sh (CI runs it and sets BEAST_LINT_TOOLS, and then a missing
 * install fails these tests rather than skipping them), ESLint is ours.
 */
const TOOLS =
  process.env.BEAST_LINT_TOOLS ?? path.join(PROJECT_ROOT, 'node_modules/.cache/beast-lint-tools');
const TOOLS_INSTALLED = existsSync(path.join(TOOLS, '.installed'));
if (process.env.BEAST_LINT_TOOLS !== undefined && !TOOLS_INSTALLED) {
  throw new Error(
    `BEAST_LINT_TOOLS is ${TOOLS}, but scripts/install-lint-tools.sh did not install there`,
  );
}
const describeTools = TOOLS_INSTALLED ? describe : describe.skip;
const TOOLS_TITLE = TOOLS_INSTALLED
  ? 'the real xo, oxlint and Biome'
  : 'the real xo, oxlint and Biome (skipped because they are not installed: run scripts/install-lint-tools.sh)';

/** Code that each of the linters rejects and the scanner does not: an empty destructuring. */
const LINT_ERROR = 'const {} = globalThis;\n';

/** Two modules in xo's style whose only findings are a `let` that is never reassigned. */
const SOURCES = {
  'src/label.js':
    "export function label(name) {\n\tlet prefix = 'a';\n\treturn `${prefix}:${name}`;\n}\n",
  'src/count.js':
    'export function count(items) {\n\tlet total = items.length;\n\treturn `${total} items`;\n}\n',
};

const TESTS = {
  'test/all.test.js': [
    "import assert from 'node:assert/strict';",
    "import {test} from 'node:test';",
    "import {count} from '../src/count.js';",
    "import {label} from '../src/label.js';",
    '',
    "test('label', () => assert.equal(label('x'), 'a:x'));",
    "test('count', () => assert.equal(count([1, 2]), '2 items'));",
    '',
  ].join('\n'),
};

/** The codemods' fixes, plus `LINT_ERROR` at the end of `file` in every fix of it. */
function createLintBreakingModel(file: string): Model {
  const inner = createCodemodsModel();
  return {
    id: 'test:lint-breaking',
    builtin: true,
    supports: (task) => inner.supports(task),
    async propose(task, context) {
      const proposals = await inner.propose(task, context);
      if (!isFindingTask(task) || task.finding.file !== file) return proposals;
      const end = (await context.readFile(file)).length;
      return proposals.map((p) => ({
        ...p,
        changes: p.changes.map((c) =>
          c.file === file
            ? { ...c, edits: [...c.edits, { start: end, end, text: `\n${LINT_ERROR}` }] }
            : c,
        ),
      }));
    },
  };
}

async function improve(repo: string, model: Model): Promise<ImproveReport> {
  const stateDir = await mkdtemp(path.join(tmpdir(), 'beast-linters-state-'));
  return runImprove(repo, { models: [model], stateDir }, {});
}

function lintCheck(report: ImproveReport) {
  return report.checks.find((c) => c.name === 'lint');
}

function outcome(report: ImproveReport, file: string) {
  return report.changes.filter((c) => c.finding.file === file).map((c) => c.status);
}

/** A checkout of the delivered branch, with the repository's node_modules. */
async function checkout(repo: string, branch: string, nodeModules: string): Promise<string> {
  const dir = path.join(await mkdtemp(path.join(tmpdir(), 'beast-linters-branch-')), 'tree');
  git(repo, 'worktree', 'add', '-q', dir, branch);
  await symlink(nodeModules, path.join(dir, 'node_modules'));
  return dir;
}

/** Runs a binary of node_modules/.bin as the repository's CI would: its exit code and output. */
function ci(dir: string, bin: string, ...args: string[]) {
  const result = spawnSync(path.join(dir, 'node_modules/.bin', bin), args, {
    cwd: dir,
    encoding: 'utf8',
    env: { PATH: process.env.PATH, HOME: process.env.HOME, CI: '1', NO_COLOR: '1' },
  });
  return { code: result.status, output: `${result.stdout}${result.stderr}` };
}

describeTools(TOOLS_TITLE, () => {
  const version = (name: string): string =>
    (
      JSON.parse(readFileSync(path.join(TOOLS, 'node_modules', name, 'package.json'), 'utf8')) as {
        version: string;
      }
    ).version;

  it('runs xo and oxlint together, rejects a change either one finds an error in, and the branch passes both', async () => {
    const repo = await makeRepo({
      '.gitignore': 'node_modules\n',
      'package.json': JSON.stringify({
        name: 'linted',
        private: true,
        type: 'module',
        scripts: { test: 'xo && oxlint && node --test test/' },
        xo: { rules: { 'unicorn/prefer-module': 'off' } },
      }),
      '.oxlintrc.json': JSON.stringify({ rules: { 'no-empty-pattern': 'error' } }),
      ...SOURCES,
      ...TESTS,
    });
    await symlink(path.join(TOOLS, 'node_modules'), path.join(repo, 'node_modules'));
    // The baseline fails the repository's lint only where the codemods fix it.
    expect(ci(repo, 'oxlint').code).toBe(0);
    expect(ci(repo, 'xo').output).toMatch(/prefer-const/);

    const report = await improve(repo, createLintBreakingModel('src/count.js'));
    expect(lintCheck(report)).toEqual({
      name: 'lint',
      ran: true,
      detail: `xo ${version('xo')} (package.json#xo), oxlint ${version('oxlint')} (.oxlintrc.json): no new errors in touched files`,
    });
    expect(outcome(report, 'src/label.js')).toEqual(['accepted']);
    const rejected = report.changes.filter((c) => c.finding.file === 'src/count.js');
    expect(rejected.map((c) => [c.status, c.gate])).toEqual([['rejected', 'lint']]);
    expect(rejected[0]?.reason).toMatch(
      /^2 new lint error\(s\): src\/count.js oxlint\/eslint\(no-empty-pattern\); src\/count.js xo\/no-empty-pattern( \(the only change its failing check depends on\))?$/,
    );

    const branch = await checkout(repo, report.branch!, path.join(TOOLS, 'node_modules'));
    expect(ci(branch, 'oxlint')).toMatchObject({ code: 0 });
    // count.js keeps its baseline error (its change was rejected); the rest is clean.
    const xo = ci(branch, 'xo', 'src/label.js', 'test/all.test.js');
    expect(xo, xo.output).toMatchObject({ code: 0 });
  }, 300_000);

  it('runs ESLint and oxlint side by side, their errors keyed by linter and rule', async () => {
    const repo = await makeRepo({
      'package.json': JSON.stringify({ type: 'module', scripts: { lint: 'eslint . && oxlint' } }),
      'eslint.config.mjs': "export default [{ rules: { 'no-empty-pattern': 'error' } }];\n",
      '.oxlintrc.json': JSON.stringify({ rules: { 'no-empty-pattern': 'error' } }),
      'src/a.js': `export const a = 1;\n${LINT_ERROR}`,
    });
    await symlink(path.join(TOOLS, 'node_modules'), path.join(repo, 'node_modules'));
    const { linters, notRun } = await detectLinters(repo);
    expect(notRun).toEqual([]);
    expect(linters.map((l) => [l.name, l.config])).toEqual([
      ['eslint', 'eslint.config.mjs'],
      ['oxlint', '.oxlintrc.json'],
    ]);
    const runs = [];
    for (const linter of linters) {
      runs.push(await runLint(linter, { cwd: repo, files: ['src/a.js'], timeoutMs: 120_000 }));
    }
    expect(runs.map((r) => r.status)).toEqual(['ran', 'ran']);
    expect(mergeLintErrors(...runs.map((r) => r.errors))).toEqual({
      'src/a.js': { 'eslint/no-empty-pattern': 1, 'oxlint/eslint(no-empty-pattern)': 1 },
    });
  }, 120_000);

  it('runs Biome and reports oxlint, configured without its binary, as not run', async () => {
    const repo = await makeRepo({
      '.gitignore': 'node_modules\n',
      'package.json': JSON.stringify({
        name: 'biome-linted',
        private: true,
        type: 'module',
        scripts: { test: 'node --test test/' },
      }),
      'biome.json': JSON.stringify({
        formatter: { enabled: false },
        linter: { rules: { correctness: { noEmptyPattern: 'error' } } },
      }),
      '.oxlintrc.json': '{}',
      ...SOURCES,
      ...TESTS,
    });
    // Biome installed, oxlint not.
    const nodeModules = path.join(repo, 'node_modules');
    await mkdir(path.join(nodeModules, '.bin'), { recursive: true });
    await symlink(path.join(TOOLS, 'node_modules/@biomejs'), path.join(nodeModules, '@biomejs'));
    await symlink('../@biomejs/biome/bin/biome', path.join(nodeModules, '.bin/biome'));

    const report = await improve(repo, createLintBreakingModel('src/count.js'));
    expect(lintCheck(report)).toEqual({
      name: 'lint',
      ran: true,
      detail: `Biome ${version('@biomejs/biome')} (biome.json): no new errors in touched files; NOT RUN: oxlint: .oxlintrc.json configures oxlint, but node_modules/.bin/oxlint is missing: a linter we cannot start (are the dependencies installed?)`,
    });
    expect(outcome(report, 'src/label.js')).toEqual(['accepted']);
    const rejected = report.changes.find((c) => c.finding.file === 'src/count.js');
    expect(rejected).toMatchObject({ status: 'rejected', gate: 'lint' });
    expect(rejected?.reason).toMatch(
      /^1 new lint error\(s\): src\/count.js biome\/correctness\/noEmptyPattern( \(the only change its failing check depends on\))?$/,
    );
  }, 300_000);
});

describe('linters the gate cannot read', () => {
  it('falls back to the lint script, compared by exit status with the baseline', async () => {
    const repo = await makeRepo({
      'package.json': JSON.stringify({
        name: 'scripted',
        private: true,
        type: 'module',
        scripts: { test: 'node --test test/', lint: 'node scripts/lint.mjs' },
      }),
      'scripts/lint.mjs': [
        "import { readdirSync, readFileSync } from 'node:fs';",
        "for (const file of readdirSync('src')) {",
        "  if (readFileSync(`src/${file}`, 'utf8').includes('const {}')) {",
        '    console.error(`src/${file}: empty pattern`);',
        '    process.exit(1);',
        '  }',
        '}',
        '',
      ].join('\n'),
      ...SOURCES,
      ...TESTS,
    });
    const report = await improve(repo, createLintBreakingModel('src/count.js'));
    expect(lintCheck(report)).toEqual({
      name: 'lint',
      ran: true,
      detail:
        'the lint script (scripts.lint), run whole: its exit status compared with the baseline, a weaker check',
    });
    expect(outcome(report, 'src/label.js')).toEqual(['accepted']);
    const rejected = report.changes.find((c) => c.finding.file === 'src/count.js');
    expect(rejected).toMatchObject({ status: 'rejected', gate: 'lint' });
    expect(rejected?.reason).toMatch(
      /^the lint script failed where it passed before: exit code 1 \| src\/count.js: empty pattern$/,
    );
  }, 300_000);

  it('says which configured linter could not run, never a clean lint', async () => {
    const repo = await makeRepo({
      'package.json': JSON.stringify({
        name: 'uninstalled',
        private: true,
        type: 'module',
        scripts: { test: 'node --test test/', lint: 'xo' },
        xo: { space: true },
      }),
      ...SOURCES,
      ...TESTS,
    });
    const report = await improve(repo, createCodemodsModel());
    expect(lintCheck(report)).toEqual({
      name: 'lint',
      ran: false,
      detail:
        'xo: package.json#xo configures xo, but node_modules/.bin/xo is missing: a linter we cannot start (are the dependencies installed?)',
    });
  }, 300_000);
});
