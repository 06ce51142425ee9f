import { mkdtemp, readFile, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  createCodemodsModel,
  isFindingTask,
  type Model,
  type Proposal,
} from '../src/models/index.js';
import { runImprove, type ImproveReport } from '../src/pipeline/index.js';
import { PROJECT_ROOT, beast, git, makeRepo } from './helpers/repo.js';

async function stateDir(): Promise<string> {
  return mkdtemp(path.join(tmpdir(), 'beast-zero-state-'));
}

const PACKAGE = JSON.stringify({
  name: 'zero',
  private: true,
  type: 'module',
  scripts: { test: 'node --test test/' },
});

const SOURCE = "let prefix = 'a';\nexport const label = (name) => prefix + ':' + name;\n";

/**
 * A repository whose node:test runner starts, then crashes while loading its only test file, as a
 * package does on a Node version it does not support: no test executes.
 */
async function crashingRepo(): Promise<string> {
  return makeRepo({
    'package.json': PACKAGE,
    'src/label.js': SOURCE,
    'test/label.test.js': [
      "import { test } from 'node:test';",
      "import { label } from '../src/label.js';",
      "if (process.versions.node) throw new Error('label requires Node.js >= 99');",
      "test('label', () => label('x'));",
      '',
    ].join('\n'),
  });
}

describe('zero executed tests is not a pass', () => {
  it('reports the tests as not run with the runner output, and delivers nothing unless allowed', async () => {
    const repo = await crashingRepo();
    const home = await stateDir();
    const refused = beast(['improve', repo, '--json'], { env: { BEAST_HOME: home } });
    expect(refused.code, refused.stderr).toBe(0);
    const report = JSON.parse(refused.stdout) as ImproveReport;
    expect(report.status).toBe('unvalidated');
    const tests = report.checks.find((c) => c.name === 'tests');
    expect(tests).toMatchObject({ ran: false });
    expect(tests?.detail).toMatch(
      /^node:test: the tests could not run \(the baseline executed no test, test\/label.test.js > \(file\) failed\): /,
    );
    expect(tests?.detail).toMatch(/label requires Node.js >= 99/);
    expect(report.changes.length).toBeGreaterThan(0);
    expect(report.changes.every((c) => c.status === 'withheld')).toBe(true);
    expect(git(repo, 'branch', '--list', 'beast/*').trim()).toBe('');

    const text = beast(['improve', repo], { env: { BEAST_HOME: home } });
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/NOT RUN tests +node:test: the tests could not run/);
    expect(text.stdout).not.toMatch(/1 tests?/);
    expect(text.stdout).toMatch(/^Validation +\d+ full \(without tests: they did not run\)/m);

    const allowed = beast(['improve', repo, '--json', '--allow-unvalidated'], {
      env: { BEAST_HOME: home },
    });
    expect(allowed.code, allowed.stderr).toBe(0);
    const applied = JSON.parse(allowed.stdout) as ImproveReport;
    expect(applied.status).toBe('delivered');
    const message = git(repo, 'log', '-1', '--format=%B', applied.branch!);
    expect(message).toMatch(/Validated by beast improve: parse, rescan, idempotence/);
    expect(message).not.toMatch(/tests \(|, tests/);
    expect(message).toMatch(/Not validated by tests: node:test: the tests could not run/);
  }, 120_000);

  it('reads a vitest suite whose test file throws while loading as not run', async () => {
    const repo = await makeRepo({
      '.gitignore': 'node_modules\n',
      'package.json': JSON.stringify({ type: 'module', scripts: { test: 'vitest run' } }),
      'src/label.js': SOURCE,
      'test/label.test.js': [
        "import { expect, it } from 'vitest';",
        "import { label } from '../src/label.js';",
        "if (process.versions.node) throw new Error('label requires Node.js >= 99');",
        "it('label', () => expect(label('x')).toBe('a:x'));",
        '',
      ].join('\n'),
    });
    await symlink(path.join(PROJECT_ROOT, 'node_modules'), path.join(repo, 'node_modules'));
    const result = beast(['improve', repo, '--json'], { env: { BEAST_HOME: await stateDir() } });
    expect(result.code, result.stderr).toBe(0);
    const report = JSON.parse(result.stdout) as ImproveReport;
    expect(report.status).toBe('unvalidated');
    const tests = report.checks.find((c) => c.name === 'tests');
    expect(tests).toMatchObject({ ran: false });
    expect(tests?.detail).toMatch(
      /^vitest: the tests could not run \(the baseline executed no test, test\/label.test.js > \(file\) failed\): .*label requires Node.js >= 99/,
    );
    expect(report.changes.length).toBeGreaterThan(0);
    expect(report.changes.every((c) => c.status === 'withheld')).toBe(true);
    expect(git(repo, 'branch', '--list', 'beast/*').trim()).toBe('');
  }, 120_000);

  it('names the executed tests in each commit when the tests ran', async () => {
    const repo = await makeRepo({
      'package.json': PACKAGE,
      'src/label.js': SOURCE,
      'test/label.test.js': [
        "import { test } from 'node:test';",
        "import assert from 'node:assert/strict';",
        "import { label } from '../src/label.js';",
        "test('label', () => assert.equal(label('x'), 'a:x'));",
        "test('other', () => assert.equal(label('y'), 'a:y'));",
        '',
      ].join('\n'),
    });
    const result = beast(['improve', repo, '--json'], { env: { BEAST_HOME: await stateDir() } });
    expect(result.code, result.stderr).toBe(0);
    const report = JSON.parse(result.stdout) as ImproveReport;
    expect(report.status).toBe('delivered');
    expect(report.checks.find((c) => c.name === 'tests')?.detail).toMatch(
      /^node:test, 2 tests executed in one baseline run; /,
    );
    const message = git(repo, 'log', '-1', '--format=%B', report.branch!);
    expect(message).toMatch(/, tests \(2 executed\)\./);
  }, 120_000);

  it('rejects a change that makes a baseline test disappear, a failing one included', async () => {
    // The failing test fails in the baseline; a change deleting it must not pass as "fixed".
    const testFile = [
      "import { test } from 'node:test';",
      "import assert from 'node:assert/strict';",
      "import { label } from '../src/label.js';",
      "let expected = 'a:x';",
      "test('label', () => assert.equal(label('x'), expected));",
      "test('known bug', () => assert.equal(label(''), 'a'));",
      '',
    ].join('\n');
    const repo = await makeRepo({
      'package.json': PACKAGE,
      'src/label.js': SOURCE,
      'test/label.test.js': testFile,
    });
    const inner = createCodemodsModel();
    // Its fix of the test file's `let` also deletes the failing test.
    const model: Model = {
      ...inner,
      id: inner.id,
      builtin: true,
      supports: (task) => inner.supports(task),
      async propose(task, context): Promise<Proposal[]> {
        const proposals = await inner.propose(task, context);
        if (!isFindingTask(task) || task.finding.file !== 'test/label.test.js') return proposals;
        const start = testFile.indexOf("test('known bug'");
        const end = testFile.indexOf('\n', start) + 1;
        return proposals.map((p) => ({
          ...p,
          changes: p.changes.map((c) =>
            c.file === task.finding.file
              ? { ...c, edits: [...c.edits, { start, end, text: '' }] }
              : c,
          ),
        }));
      },
    };
    // Test files are worked on only when asked: this change must reach one.
    const report = await runImprove(
      repo,
      { models: [model], stateDir: await stateDir() },
      { includeTests: true },
    );
    const rejected = report.changes.filter((c) => c.status === 'rejected');
    expect(rejected.map((c) => [c.finding.file, c.gate])).toEqual([
      ['test/label.test.js', 'tests'],
    ]);
    expect(rejected[0]?.reason).toMatch(
      /1 baseline test\(s\) no longer ran: test\/label.test.js > known bug/,
    );
    expect(
      report.changes.some((c) => c.status === 'accepted' && c.finding.file === 'src/label.js'),
    ).toBe(true);
    const delivered = await readFile(path.join(repo, 'test/label.test.js'), 'utf8');
    expect(delivered).toBe(testFile);
  }, 120_000);
});
