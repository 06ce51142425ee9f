import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { applyEdits } from '../../../core/index.js';
import { detectTestRunner, runTests, type TestStyle } from '../../../fixes/index.js';
import { RUN_TIMEOUT_MS, createFixture, type Fixture } from '../../../fixes/gate/testing.js';
import type { FindingTask, ModelContext, TestTask } from '../../types.js';
import { createTestGenModel } from './model.js';
import type { Exploration, ExploreOptions, ObservedCall } from './types.js';

let fixture: Fixture | undefined;
afterEach(async () => {
  await fixture?.remove();
  fixture = undefined;
});

const STYLE: TestStyle = {
  runner: 'vitest',
  packageDir: '',
  placement: { kind: 'beside' },
  infix: '.test',
  extension: '.js',
  module: 'esm',
  importExtension: 'same',
  globals: false,
  assertions: 'expect',
  example: undefined,
};

const TASK: TestTask = {
  kind: 'test',
  file: 'src/math.js',
  exports: ['add', 'div'],
  uncoveredLines: [2, 3],
  style: STYLE,
  testFile: 'src/math.test.js',
};

const SOURCE = `export function add(a, b) { return a + b; }
export function div(a, b) {
  if (b === 0) throw new RangeError('division by zero');
  return a / b;
}
`;

function call(
  exportName: string,
  args: string[],
  outcome: ObservedCall['outcome'],
  keys: string[],
  deterministic = true,
): ObservedCall {
  return { call: { exportName, kind: 'function', args }, outcome, keys, deterministic };
}

const EXPLORATION: Exploration = {
  file: 'src/math.js',
  calls: [
    call('add', ['1', '2'], { kind: 'return', value: '3', typeOf: 'number', async: false }, [
      's:0',
    ]),
    call('add', ['2', '2'], { kind: 'return', value: '4', typeOf: 'number', async: false }, [
      's:0',
    ]),
    call(
      'div',
      ['1', '0'],
      { kind: 'throw', name: 'RangeError', message: 'division by zero', async: false },
      ['s:1', 's:2', 'b:0:0'],
    ),
    call('div', ['6', '3'], { kind: 'return', value: '2', typeOf: 'number', async: false }, [
      's:1',
      's:3',
      'b:0:1',
    ]),
  ],
  totalKeys: 8,
  coveredKeys: 6,
  skipped: [],
  tried: 25,
  durationMs: 40,
};

function contextFor(root: string, files: Record<string, string> = {}): ModelContext {
  return {
    root,
    readFile: (file) =>
      file in files ? Promise.resolve(files[file] ?? '') : readFile(join(root, file), 'utf8'),
  };
}

describe('createTestGenModel', () => {
  it(
    'explores the task, then proposes the minimised test as a new file that passes',
    async () => {
      fixture = await createFixture({
        'package.json': { type: 'module', scripts: { test: 'vitest run' } },
        'src/math.js': SOURCE,
      });
      const asked: ExploreOptions[] = [];
      const model = createTestGenModel(
        { timeoutMs: 5000, seed: 7 },
        {
          explore: (options) => {
            asked.push(options);
            return Promise.resolve(EXPLORATION);
          },
        },
      );
      const proposals = await model.propose(TASK, contextFor(fixture.root));
      expect(asked).toEqual([
        {
          root: fixture.root,
          file: 'src/math.js',
          exports: ['add', 'div'],
          targetLines: [2, 3],
          timeoutMs: 5000,
          seed: 7,
        },
      ]);
      expect(proposals).toHaveLength(1);
      const [proposal] = proposals;
      expect(proposal).toMatchObject({
        model: 'builtin:testgen',
        title: 'Tests for src/math.js: 3 cases',
        rationale:
          "Characterisation tests of the behaviour observed by calling src/math.js's exports: 25 calls tried in 40 ms, 4 kept for reaching new code, minimised to 3; they reach 6 of 8 statements and branches of src/math.js.",
      });
      const change = proposal?.changes[0];
      expect(change?.file).toBe('src/math.test.js');
      expect(change?.edits.map((e) => [e.start, e.end])).toEqual([[0, 0]]);
      // A new file: the edits apply to the empty text.
      const content = applyEdits('', change?.edits ?? []);
      expect(content).toContain("it('div(1, 0) throws RangeError: division by zero'");
      expect(content).not.toContain('add(2, 2)');
      await fixture.write('src/math.test.js', content);
      const detected = await detectTestRunner(fixture.root);
      if (!('runner' in detected)) throw new Error(detected.reason);
      const run = await runTests(detected.runner, {
        cwd: fixture.root,
        timeoutMs: RUN_TIMEOUT_MS,
        testFiles: ['src/math.test.js'],
      });
      expect({ executed: run.executed, failed: run.failed }, run.output).toEqual({
        executed: 3,
        failed: 0,
      });
    },
    RUN_TIMEOUT_MS * 2,
  );

  it('turns a failed exploration into no proposal and the reason', async () => {
    const model = createTestGenModel(
      {},
      { explore: () => Promise.reject(new Error('module did not load: SyntaxError')) },
    );
    const context = contextFor('/nowhere', {});
    expect(await model.propose(TASK, context)).toEqual([]);
    expect(await model.proposeTests(TASK, context)).toEqual({
      proposals: [],
      reason: 'exploring src/math.js failed: module did not load: SyntaxError',
      exploration: undefined,
    });
  });

  it('says why when no call can be pinned', async () => {
    const flaky: Exploration = {
      ...EXPLORATION,
      calls: EXPLORATION.calls.map((c) => ({ ...c, deterministic: false })),
    };
    const none: Exploration = {
      ...EXPLORATION,
      calls: [],
      tried: 0,
      skipped: [{ exportName: 'add', reason: 'module did not load: boom' }],
    };
    const context = contextFor('/nowhere', {});
    const flakyResult = await createTestGenModel(
      {},
      { explore: () => Promise.resolve(flaky) },
    ).proposeTests(TASK, context);
    expect(flakyResult.reason).toBe(
      'no call of src/math.js behaved the same when repeated (25 calls tried): nothing to pin',
    );
    const noneResult = await createTestGenModel(
      {},
      { explore: () => Promise.resolve(none) },
    ).proposeTests(TASK, context);
    expect(noneResult).toMatchObject({
      proposals: [],
      reason:
        'no call of src/math.js could be observed (0 calls tried); skipped add: module did not load: boom',
    });
  });

  it('does not write over an existing test file', async () => {
    let explored = false;
    const model = createTestGenModel(
      {},
      {
        explore: () => {
          explored = true;
          return Promise.resolve(EXPLORATION);
        },
      },
    );
    const result = await model.proposeTests(
      TASK,
      contextFor('/nowhere', { 'src/math.test.js': 'x' }),
    );
    expect(result.reason).toBe(
      'src/math.test.js exists already: a new test file is not written over it',
    );
    expect(explored).toBe(false);
  });

  it('supports test tasks only', async () => {
    const model = createTestGenModel({}, { explore: () => Promise.resolve(EXPLORATION) });
    const finding = { kind: 'fix', finding: {} } as unknown as FindingTask;
    expect(model.supports(TASK)).toBe(true);
    expect(model.supports(finding)).toBe(false);
    expect(await model.propose(finding, contextFor('/nowhere'))).toEqual([]);
  });

  it(
    'with the real explorer: the proposed file passes, and fails once the source changes',
    async () => {
      const source = `export function classify(n) {
  if (typeof n !== 'number') throw new TypeError('not a number: ' + typeof n);
  if (n < 0) return 'negative';
  if (n === 0) return 'zero';
  return n > 100 ? 'big' : 'small';
}
export async function lookup(id) {
  if (id === 42) return { id, name: 'answer' };
  throw new RangeError('unknown id ' + id);
}
export class Stack {
  constructor() { this.items = []; }
  push(x) { this.items.push(x); return this.items.length; }
  pop() {
    if (this.items.length === 0) throw new Error('empty');
    return this.items.pop();
  }
}
`;
      fixture = await createFixture({
        'package.json': { type: 'module', scripts: { test: 'vitest run' } },
        'src/shapes.js': source,
      });
      const task: TestTask = { ...TASK, file: 'src/shapes.js', testFile: 'src/shapes.test.js' };
      delete task.exports;
      const result = await createTestGenModel({ timeoutMs: 60_000 }).proposeTests(
        task,
        contextFor(fixture.root),
      );
      expect(result.reason).toBeUndefined();
      const content = applyEdits('', result.proposals[0]?.changes[0]?.edits ?? []);
      const cases = Number(/: (\d+) cases?$/.exec(result.proposals[0]?.title ?? '')?.[1]);
      expect(cases).toBeGreaterThan(3);
      await fixture.write('src/shapes.test.js', content);
      const detected = await detectTestRunner(fixture.root);
      if (!('runner' in detected)) throw new Error(detected.reason);
      const options = {
        cwd: fixture.root,
        timeoutMs: RUN_TIMEOUT_MS,
        testFiles: ['src/shapes.test.js'],
      };
      const run = await runTests(detected.runner, options);
      expect({ executed: run.executed, failed: run.failed }, `${content}\n${run.output}`).toEqual({
        executed: cases,
        failed: 0,
      });
      await fixture.write(
        'src/shapes.js',
        source.replace("return 'negative'", "return 'below zero'").replace("'empty'", "'nothing'"),
      );
      const mutated = await runTests(detected.runner, options);
      expect(mutated.executed).toBe(cases);
      expect(mutated.failed, `${content}\n${mutated.output}`).toBeGreaterThan(0);
    },
    RUN_TIMEOUT_MS * 2,
  );
});
