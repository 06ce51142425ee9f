import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createCodemodsModel, isFindingTask, type Model, type Task } from '../src/models/index.js';
import { runImprove, type ChangeOutcome, type ImproveReport } from '../src/pipeline/index.js';
import { makeRepo } from './helpers/repo.js';

const END = '  // end of handle\n';

/** `handle` spans 91 lines (threshold 80) and ends with a redundant boolean return. */
function longFile(): string {
  const steps = Array.from({ length: 85 }, (_, i) => `  // step ${i + 1}\n`).join('');
  return [
    '/** @param {number} n */\n',
    'export function handle(n) {\n',
    '  const total = n + 1;\n',
    steps,
    '  if (total > 0) return true;\n',
    '  return false;\n',
    END,
    '}\n',
  ].join('');
}

/** Seven lines of code: removing one raises the debt per line of the finding left (max-params). */
const SMALL = [
  '/**',
  ' * @param {number} a',
  ' * @param {number} b',
  ' * @param {number} c',
  ' * @param {number} d',
  ' * @param {number} e',
  ' */',
  'export function sum(a, b, c, d, e) {',
  '  return a + b + c + d + e;',
  '}',
  '',
  '/** @param {number} n */',
  'export function positive(n) {',
  '  if (n > 0) return true;',
  '  return false;',
  '}',
  '',
].join('\n');

/**
 * The codemods engine, except that in `src/long.js` it also pads the function it fixes with twelve
 * comment lines: the targeted finding goes, but the function it sits in grows.
 */
function createPaddingModel(): Model {
  const inner = createCodemodsModel();
  return {
    id: inner.id,
    builtin: true,
    supports: (task: Task) => inner.supports(task),
    async propose(task, context) {
      const proposals = await inner.propose(task, context);
      if (!isFindingTask(task) || task.finding.file !== 'src/long.js' || proposals.length === 0) {
        return proposals;
      }
      const source = await context.readFile('src/long.js');
      const at = source.indexOf(END);
      const padding = Array.from({ length: 12 }, (_, i) => `  // note ${i + 1}\n`).join('');
      const [best, ...others] = proposals;
      const changes = best!.changes.map((c) =>
        c.file === 'src/long.js'
          ? { ...c, edits: [...c.edits, { start: at, end: at, text: padding }] }
          : c,
      );
      return [{ ...best!, changes }, ...others];
    },
  };
}

async function improveFixture(): Promise<ImproveReport> {
  const repo = await makeRepo({
    'package.json': JSON.stringify({
      name: 'fixture',
      private: true,
      type: 'module',
      scripts: { test: 'node --test test/' },
    }),
    'test/small.test.js': [
      "import { test } from 'node:test';",
      "import assert from 'node:assert/strict';",
      "import { handle } from '../src/long.js';",
      "import { positive, sum } from '../src/small.js';",
      "test('positive', () => assert.deepEqual([positive(1), positive(-1)], [true, false]));",
      "test('handle', () => assert.deepEqual([handle(0), handle(-5)], [true, false]));",
      "test('sum', () => assert.equal(sum(1, 2, 3, 4, 5), 15));",
      '',
    ].join('\n'),
    'src/long.js': longFile(),
    'src/small.js': SMALL,
  });
  const stateDir = await mkdtemp(path.join(tmpdir(), 'beast-gate-measure-'));
  return runImprove(repo, { models: [createPaddingModel()], stateDir }, {});
}

function outcome(report: ImproveReport, file: string): ChangeOutcome | undefined {
  return report.changes.find(
    (c) => c.finding.file === file && c.finding.ruleId === 'no-redundant-boolean',
  );
}

describe('the gate judges a change by what it does', () => {
  it('rejects a fix that makes the too-long function it sits in longer', async () => {
    const long = outcome(await improveFixture(), 'src/long.js');
    expect(long).toMatchObject({ status: 'rejected', gate: 'rescan' });
    expect(long?.reason).toMatch(
      /^max-function-lines: handle grew from 91 to 102 lines \(scores: repository /,
    );
  }, 120_000);

  it('accepts a simplification that removes a finding although it lowers the file score', async () => {
    const small = outcome(await improveFixture(), 'src/small.js');
    expect(small?.status).toBe('accepted');
    const evidence = small?.scores.find((s) => s.file === 'src/small.js');
    // Fewer lines, the same max-params debt: the debt per line rose, and that no longer rejects.
    expect(evidence?.after).toBeLessThan(evidence!.before);
    expect(small?.checks.find((c) => c.name === 'rescan')?.detail).toMatch(
      /^repository [\d.]+ -> [\d.]+, test code [\d.]+ -> [\d.]+, src\/small.js 94.7 -> 94.2$/,
    );
  }, 120_000);
});
