import { execFileSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createFixture, RUN_TIMEOUT_MS, type Fixture } from '../../fixes/gate/testing.js';
import { isFindingTask, type Model, type TestTask } from '../../models/index.js';
import { generateRepositoryTests, resolveTestGenOptions } from './run-tests.js';

/*
 * The repair loop with a scripted model standing in for an LLM (a `Model` is the interface every
 * engine implements): its first test fails, its second, written after the gate's errors, is kept.
 * Everything else is real: git, the worktree, vitest, coverage and the test gate.
 */

const MATH = `export function clamp(value: number, low: number, high: number): number {
  if (value < low) {
    return low;
  }
  if (value > high) {
    return high;
  }
  return value;
}
`;

const EXISTING = `import { expect, it } from 'vitest';
import { clamp } from './math';

it('keeps a value inside', () => {
  expect(clamp(2, 0, 3)).toBe(2);
});
`;

const BROKEN = `import { expect, it } from 'vitest';
import { clamp } from './math';

it('clamps above', () => {
  expect(clamp(5, 0, 3)).toBe(5);
});
`;

const GOOD = `import { expect, it } from 'vitest';
import { clamp } from './math';

it('clamps below and above', () => {
  expect(clamp(-1, 0, 3)).toBe(0);
  expect(clamp(5, 0, 3)).toBe(3);
});
`;

function scripted(id: string, builtin: boolean, answers: string[]) {
  const tasks: TestTask[] = [];
  const model: Model = {
    id,
    builtin,
    supports: (task) => task.kind === 'test',
    propose: (task) => {
      if (isFindingTask(task)) return Promise.resolve([]);
      tasks.push(task);
      const text = answers[Math.min(tasks.length, answers.length) - 1]!;
      return Promise.resolve([
        {
          model: id,
          title: `tests for ${task.file}`,
          changes: [{ file: task.testFile, edits: [{ start: 0, end: 0, text }] }],
        },
      ]);
    },
  };
  return { model, tasks };
}

const temps: string[] = [];
const fixtures: Fixture[] = [];
afterAll(async () => {
  await Promise.all(fixtures.map((f) => f.remove()));
  await Promise.all(temps.map((d) => rm(d, { recursive: true, force: true })));
});

async function repository(): Promise<string> {
  const fixture = await createFixture({
    '.gitignore': 'node_modules\ncoverage\n',
    'package.json': {
      name: 'clamp',
      private: true,
      type: 'module',
      scripts: { test: 'vitest run' },
      devDependencies: { vitest: '*', '@vitest/coverage-v8': '*' },
    },
    'src/math.ts': MATH,
    'src/math.test.ts': EXISTING,
  });
  fixtures.push(fixture);
  const run = (...args: string[]) =>
    execFileSync('git', args, {
      cwd: fixture.root,
      env: {
        ...process.env,
        GIT_AUTHOR_NAME: 'T',
        GIT_AUTHOR_EMAIL: 't@example.com',
        GIT_COMMITTER_NAME: 'T',
        GIT_COMMITTER_EMAIL: 't@example.com',
      },
    });
  run('init', '-q', '-b', 'main');
  run('add', '-A');
  run('commit', '-q', '-m', 'initial');
  return fixture.root;
}

async function stateDir(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'beast-testgen-state-'));
  temps.push(dir);
  return dir;
}

describe('generateRepositoryTests', { timeout: 20 * RUN_TIMEOUT_MS }, () => {
  it("repairs a model's rejected test from the gate's errors, and keeps the repair", async () => {
    const root = await repository();
    const llm = scripted('custom:scripted', false, [BROKEN, GOOD]);
    const report = await generateRepositoryTests(
      root,
      resolveTestGenOptions({ attempts: 3, timeoutMs: RUN_TIMEOUT_MS }),
      { models: [llm.model], stateDir: await stateDir(), env: {} },
    );
    expect(report.status).toBe('delivered');
    expect(report.verdicts.map((v) => [v.attempt, v.kept])).toEqual([
      [1, false],
      [2, true],
    ]);
    expect(llm.tasks).toHaveLength(2);
    const [first, second] = llm.tasks;
    expect(first!.repair).toBeUndefined();
    expect(first!.file).toBe('src/math.ts');
    // src/math.test.ts exists: the generated file takes a free name beside it.
    expect(first!.testFile).toBe('src/math.beast.test.ts');
    expect(first!.example?.file).toBe('src/math.test.ts');
    expect(first!.uncoveredLines.length).toBeGreaterThan(0);
    expect(second!.repair?.attempt).toBe(1);
    expect(second!.repair?.previous).toBe(BROKEN);
    expect(second!.repair?.errors).toContain(report.verdicts[0]!.reason!);
    expect(second!.repair?.errors).toMatch(/still uncovered: \d/);
    expect(report.after.lines.covered).toBeGreaterThan(report.before.lines.covered);
    const show = execFileSync('git', ['show', `${report.branch!}:src/math.beast.test.ts`], {
      cwd: root,
      encoding: 'utf8',
    });
    expect(show).toContain('clamps below and above');
  });

  it('asks a built-in model once: it cannot learn from the errors', async () => {
    const root = await repository();
    const engine = scripted('builtin:scripted', true, [BROKEN, GOOD]);
    const report = await generateRepositoryTests(
      root,
      resolveTestGenOptions({ attempts: 3, timeoutMs: RUN_TIMEOUT_MS }),
      { models: [engine.model], stateDir: await stateDir(), env: {} },
    );
    expect(engine.tasks).toHaveLength(1);
    expect(report.status).toBe('nothing-kept');
    expect(report.branch).toBeUndefined();
    expect(report.funnel.kept).toBe(0);
    expect(report.warnings).toContain('no generated test passed the test gate');
  });
});
