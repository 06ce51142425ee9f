import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createCodemodsModel, type Model } from '../src/models/index.js';
import { runImprove } from '../src/pipeline/index.js';
import { createSaboteurModel, makeImproveFixture } from './helpers/improve-fixture.js';
import { makeRepo } from './helpers/repo.js';

async function stateDir(): Promise<string> {
  return mkdtemp(path.join(tmpdir(), 'beast-baseline-state-'));
}

/** Every proposal of `inner` with a type error added: the quick checks reject all of them. */
function typeBreaker(inner: Model): Model {
  return {
    ...inner,
    async propose(task, context) {
      const proposals = await inner.propose(task, context);
      return proposals.map((p) => ({
        ...p,
        changes: p.changes.map((c) => ({
          ...c,
          edits: [
            ...c.edits,
            { start: 0, end: 0, text: "export const broken = /** @type {number} */ ('x');\n" },
          ],
        })),
      }));
    },
  };
}

const testsCheck = (report: Awaited<ReturnType<typeof runImprove>>) =>
  report.checks.find((c) => c.name === 'tests');

describe('the test baseline is taken only when needed, once', () => {
  it('runs no test when no change passes the quick checks', async () => {
    const repo = await makeImproveFixture(2);
    const report = await runImprove(repo, {
      models: [typeBreaker(createCodemodsModel())],
      stateDir: await stateDir(),
    });
    expect(report.changes.length).toBeGreaterThan(0);
    expect(report.changes.every((c) => c.status === 'rejected' && c.gate === 'typecheck')).toBe(
      true,
    );
    expect(report.timings.testBaselineMs).toBe(0);
    expect(testsCheck(report)).toEqual({
      name: 'tests',
      ran: false,
      detail:
        'node:test detected; not run: no change passed the quick checks, so no baseline was needed',
    });
    expect(report.status).toBe('nothing-to-do');
  }, 120_000);

  it('runs the suite once for the baseline when a change needs it', async () => {
    const repo = await makeImproveFixture(2);
    const report = await runImprove(repo, {
      models: [createCodemodsModel()],
      stateDir: await stateDir(),
    });
    expect(report.status).toBe('delivered');
    expect(testsCheck(report)).toMatchObject({ ran: true });
    expect(testsCheck(report)?.detail).toMatch(/^node:test, 4 tests executed in one baseline run;/);
    expect(report.timings.testBaselineMs).toBeGreaterThan(0);
    expect(report.timings.testBaselineMs).toBeLessThanOrEqual(report.timings.validateMs);
  }, 120_000);

  it('tells a flaky test from a broken one by rerunning it on the accepted state', async () => {
    // `flaky` fails on the second and third runs of the suite (the run after the change and the
    // first rerun on the accepted state) and passes otherwise; `pinned` pins the label's output.
    const repo = await makeRepo({
      '.gitignore': '.runs\n',
      'package.json': JSON.stringify({
        type: 'module',
        scripts: { test: 'node --test test/' },
      }),
      'src/label.js': "let prefix = 'a';\nexport const label = (name) => prefix + ':' + name;\n",
      'test/label.test.js': [
        "import { test } from 'node:test';",
        "import assert from 'node:assert/strict';",
        "import { appendFileSync, readFileSync } from 'node:fs';",
        "import { label } from '../src/label.js';",
        "const counter = new URL('../.runs', import.meta.url);",
        "appendFileSync(counter, 'x');",
        'const run = readFileSync(counter, "utf8").length;',
        "test('pinned', () => assert.equal(label('x'), 'a:x'));",
        "test('flaky', () => assert.ok(run !== 2 && run !== 3, `run ${run}`));",
        '',
      ].join('\n'),
    });
    const report = await runImprove(repo, {
      models: [createCodemodsModel()],
      stateDir: await stateDir(),
    });
    expect(report.flakyTests).toEqual(['test/label.test.js > flaky']);
    expect(report.changes.length).toBeGreaterThan(0);
    expect(report.changes.every((c) => c.status === 'accepted')).toBe(true);
    expect(report.status).toBe('delivered');
  }, 120_000);

  it('still rejects a change that breaks a test, after rerunning it on the accepted state', async () => {
    const repo = await makeImproveFixture(1);
    const model = createSaboteurModel(createCodemodsModel(), (task) =>
      task.finding.ruleId === 'prefer-template' ? 'behaviour' : undefined,
    );
    const report = await runImprove(repo, { models: [model], stateDir: await stateDir() });
    const rejected = report.changes.filter((c) => c.status === 'rejected');
    expect(rejected.length).toBeGreaterThan(0);
    expect(rejected.every((c) => c.gate === 'tests')).toBe(true);
    expect(report.flakyTests).toEqual([]);
  }, 180_000);
});
