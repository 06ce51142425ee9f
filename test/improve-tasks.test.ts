import { mkdtemp, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { tmpdir } from 'node:os';
import { describe, expect, it } from 'vitest';
import type { ImproveReport } from '../src/pipeline/index.js';
import { openStore } from '../src/store/index.js';
import { makeImproveFixture } from './helpers/improve-fixture.js';
import { useLlmServers } from './helpers/llm-server.js';
import { beast, beastAsync, git } from './helpers/repo.js';

/*
 * Task kinds end to end: `beast improve --task refactor` runs the same loop as a fix run, with the
 * refactor kind's work items (complexity, size and duplication findings), its wording to an LLM,
 * its branch name and its commit message; the built-in engines and an LLM behind a real HTTP
 * server on 127.0.0.1 both take part.
 */

/** A function whose whole tail is one `if`: `builtin:codemods` turns it into a guard clause. */
const MEAN = [
  '/** @param {number[]} items */',
  'export function mean(items) {',
  '  let result = 0;',
  '  if (items.length > 0) {',
  '    const total = items.reduce((a, b) => a + b, 0);',
  '    result = total / items.length;',
  '    result = Math.round(result * 100) / 100;',
  '  }',
  '  return result;',
  '}',
  '',
  '/** @param {number[]} items */',
  'export function describe(items) {',
  '  if (items.length > 0) {',
  '    const low = Math.min(...items);',
  '    const high = Math.max(...items);',
  '    return `${low}..${high}`;',
  '  }',
  '}',
  '',
].join('\n');

const MEAN_TEST = [
  "import { test } from 'node:test';",
  "import assert from 'node:assert/strict';",
  "import { describe } from '../src/mean.js';",
  '',
  "test('describe', () => {",
  "  assert.equal(describe([3, 1, 2]), '1..3');",
  '  assert.equal(describe([]), undefined);',
  '});',
  '',
].join('\n');

/** Nested five deep: a max-nesting-depth finding no built-in engine fixes. */
const GRADE = [
  '/** @param {number} n */',
  'export function grade(n) {',
  '  if (n >= 0) {',
  '    if (n < 100) {',
  '      if (n >= 50) {',
  '        if (n >= 90) {',
  '          if (n >= 95) {',
  "            return 'A+';",
  '          }',
  "          return 'A';",
  '        }',
  "        return 'pass';",
  '      }',
  "      return 'fail';",
  '    }',
  '  }',
  "  return 'invalid';",
  '}',
  '',
].join('\n');

const GRADE_TEST = [
  "import { test } from 'node:test';",
  "import assert from 'node:assert/strict';",
  "import { grade } from '../src/grade.js';",
  '',
  "test('grade', () => {",
  '  const got = [-1, 10, 60, 91, 97, 100].map(grade);',
  "  assert.deepEqual(got, ['invalid', 'fail', 'pass', 'A', 'A+', 'invalid']);",
  '});',
  '',
].join('\n');

/** An LLM's refactoring of `grade`: early returns instead of nesting, same results. */
const FLAT_GRADE = [
  'TITLE: Flatten grade with early returns',
  'src/grade.js',
  '<<<<<<< SEARCH',
  GRADE.split('\n').slice(1, 18).join('\n'),
  '=======',
  [
    'export function grade(n) {',
    "  if (n < 0 || n >= 100) return 'invalid';",
    "  if (n < 50) return 'fail';",
    "  if (n < 90) return 'pass';",
    "  if (n >= 95) return 'A+';",
    "  return 'A';",
    '}',
  ].join('\n'),
  '>>>>>>> REPLACE',
].join('\n');

async function tasksRepo(extra: Record<string, string>): Promise<string> {
  const repo = await makeImproveFixture(1);
  for (const [file, text] of Object.entries(extra)) await writeFile(path.join(repo, file), text);
  git(repo, 'add', '-A');
  git(repo, 'commit', '-qm', 'code to refactor');
  return repo;
}

const { serve } = useLlmServers({ kind: 'status', status: 500 });

describe('beast improve --task', () => {
  it('refactors with a built-in engine and leaves the findings a refactoring does not answer', async () => {
    const repo = await tasksRepo({ 'src/mean.js': MEAN, 'test/mean.test.js': MEAN_TEST });
    const home = await mkdtemp(path.join(tmpdir(), 'beast-tasks-'));
    const status = git(repo, 'status', '--porcelain');
    const result = beast(['improve', repo, '--task', 'refactor', '--json'], {
      env: { BEAST_HOME: home },
    });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout) as ImproveReport;

    expect(report.kind).toBe('refactor');
    expect(report.status).toBe('delivered');
    expect(report.branch).toMatch(/^beast\/refactor-\d{8}-[0-9a-f]{6}$/);
    // Only restructuring findings were worked on: the fixture's prefer-const and friends were not.
    expect(report.changes.length).toBeGreaterThan(0);
    const accepted = report.changes.filter((c) => c.status === 'accepted');
    expect(report.changes).toEqual(accepted);
    expect(accepted.map((c) => [c.finding.ruleId, c.finding.file, c.model])).toEqual([
      ['prefer-early-return', 'src/mean.js', 'builtin:codemods'],
    ]);
    expect(accepted[0]?.selection).toContain('supports refactor prefer-early-return');
    const onBranch = git(repo, 'show', `${report.branch!}:src/mean.js`);
    expect(onBranch).toContain(
      '  if (!(items.length > 0)) return;\n  const low = Math.min(...items);',
    );
    // The fix run of the same code works on the fixture's other findings too.
    const fix = beast(['improve', repo, '--json', '--dry-run'], { env: { BEAST_HOME: home } });
    const fixed = (JSON.parse(fix.stdout) as ImproveReport).changes.map((c) => c.finding.ruleId);
    expect(fixed).toEqual(expect.arrayContaining(['prefer-const', 'prefer-early-return']));
    expect(git(repo, 'log', '-1', '--format=%B', report.branch!)).toContain(
      'Validated by beast improve --task refactor: parse, rescan, idempotence, typecheck, tests (3 executed).',
    );
    // The user's working tree is as it was.
    expect(git(repo, 'status', '--porcelain')).toBe(status);

    // The store keeps the run's kind with each proposal, for the selection to learn per kind.
    const store = await openStore(path.join(home, 'beast.db'));
    try {
      const kinds = await store.db.selectFrom('proposals').select(['task', 'rule_id']).execute();
      expect(kinds).toContainEqual({ task: 'refactor', rule_id: 'prefer-early-return' });
      expect(kinds).toContainEqual({ task: 'fix', rule_id: 'prefer-early-return' });
    } finally {
      await store.close();
    }
  }, 180_000);

  it('gives an LLM the refactor wording and validates its change through the same gate', async () => {
    const server = await serve('openai');
    server.setFallback({ kind: 'answer', text: FLAT_GRADE });
    const repo = await tasksRepo({ 'src/grade.js': GRADE, 'test/grade.test.js': GRADE_TEST });
    await writeFile(
      path.join(repo, 'beast.config.json'),
      JSON.stringify({
        models: {
          use: ['builtin:codemods', 'custom:local'],
          custom: {
            local: {
              baseUrl: server.baseUrl,
              model: 'local-model',
              apiKeyEnv: 'LOCAL_KEY',
              price: { inputPerMillion: 1, outputPerMillion: 2 },
              timeoutMs: 5000,
            },
          },
        },
      }),
    );
    git(repo, 'add', '-A');
    git(repo, 'commit', '-qm', 'a local model');
    const home = await mkdtemp(path.join(tmpdir(), 'beast-tasks-'));
    const result = await beastAsync(
      ['improve', repo, '--task', 'refactor', '--rule', 'max-nesting-depth', '--json', '--dry-run'],
      { env: { BEAST_HOME: home, LOCAL_KEY: 'sk-local-tasks-0000' } },
    );
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout) as ImproveReport;
    expect(report.changes.map((c) => [c.finding.ruleId, c.model, c.status])).toEqual([
      ['max-nesting-depth', 'custom:local', 'accepted'],
    ]);
    expect(report.diff).toContain("+  if (n < 0 || n >= 100) return 'invalid';");

    expect(server.requests).toHaveLength(1);
    const body = JSON.stringify(server.requests[0]?.body);
    expect(body).toContain('You refactor code that a code-quality scanner flagged');
    expect(body).toContain('Refactor the flagged code.');
    expect(body).not.toContain('You fix one finding');

    const store = await openStore(path.join(home, 'beast.db'));
    try {
      const calls = await store.db
        .selectFrom('model_calls')
        .select(['task', 'rule_id', 'outcome'])
        .execute();
      expect(calls).toEqual([{ task: 'refactor', rule_id: 'max-nesting-depth', outcome: 'ok' }]);
    } finally {
      await store.close();
    }
  }, 180_000);

  it('refuses an unknown kind with the known ones, before any work', () => {
    const result = beast(['improve', '.', '--task', 'rewrite']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/--task.*rewrite.*fix, refactor/);
  });
});
