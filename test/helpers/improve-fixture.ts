import { applyEdits, type FileChange } from '../../src/core/index.js';
import {
  createCodemodsModel,
  isFindingTask,
  type FindingTask,
  type Model,
  type Proposal,
  type Task,
} from '../../src/models/index.js';
import { makeRepo } from './repo.js';

/**
 * A repository of `modules` small modules with four fixable findings each (prefer-const,
 * prefer-template twice, object-shorthand), JSDoc types checked by tsc, and a node:test file per
 * module that pins every function's output.
 */
export async function makeImproveFixture(modules: number): Promise<string> {
  const files: Record<string, string> = {
    'package.json': JSON.stringify(
      { name: 'fixture', private: true, type: 'module', scripts: { test: 'node --test test/' } },
      null,
      2,
    ),
    'tsconfig.json': JSON.stringify({
      compilerOptions: {
        target: 'ES2022',
        module: 'NodeNext',
        moduleResolution: 'NodeNext',
        strict: true,
        noEmit: true,
        allowJs: true,
        checkJs: true,
      },
      include: ['src', 'test'],
    }),
  };
  for (let i = 0; i < modules; i++) {
    files[`src/mod${i}.js`] = [
      `/** @param {string} name */`,
      `export function label${i}(name) {`,
      `  let prefix = 'item-${i}';`,
      `  return prefix + ':' + name;`,
      `}`,
      ``,
      `/** @param {number} count */`,
      `export function summary${i}(count) {`,
      `  const kind = 'item';`,
      `  return { kind: kind, text: 'count ' + count };`,
      `}`,
      ``,
    ].join('\n');
    files[`test/mod${i}.test.js`] = [
      `import { test } from 'node:test';`,
      `import assert from 'node:assert/strict';`,
      `import { label${i}, summary${i} } from '../src/mod${i}.js';`,
      ``,
      `test('label${i}', () => assert.equal(label${i}('x'), 'item-${i}:x'));`,
      `test('summary${i}', () => assert.deepEqual(summary${i}(2), { kind: 'item', text: 'count 2' }));`,
      ``,
    ].join('\n');
  }
  return makeRepo(files);
}

export type Sabotage = 'behaviour' | 'types';

/** Changes the output of a template literal: the tests notice, the scanner and tsc do not. */
function breakBehaviour(changes: FileChange[]): FileChange[] {
  return changes.map((c) => ({
    ...c,
    edits: c.edits.map((e) =>
      e.text.includes('`') ? { ...e, text: e.text.replace('`', '`X') } : e,
    ),
  }));
}

/** Adds a declaration tsc rejects (a string asserted to be a number). */
function breakTypes(changes: FileChange[], source: string, n: number): FileChange[] {
  const [first, ...rest] = changes;
  if (!first) return changes;
  const edit = {
    start: source.length,
    end: source.length,
    text: `\nexport const broken${n} = /** @type {number} */ ('x');\n`,
  };
  return [{ ...first, edits: [...first.edits, edit] }, ...rest];
}

/**
 * A deliberately wrong model for tests and the benchmark: it passes on the inner model's
 * proposals, but sabotages those whose finding `choose` picks, once per finding.
 */
export function createSaboteurModel(
  inner: Model,
  choose: (task: FindingTask) => Sabotage | undefined,
): Model & { sabotaged: number } {
  let count = 0;
  const done = new Set<string>();
  const model = {
    id: inner.id,
    builtin: true,
    sabotaged: 0,
    supports: (task: Task) => inner.supports(task),
    async propose(task: Task, context: Parameters<Model['propose']>[1]): Promise<Proposal[]> {
      const proposals = await inner.propose(task, context);
      if (!isFindingTask(task)) return proposals;
      const { line, column } = task.finding.location;
      const key = `${task.finding.ruleId} ${task.finding.file} ${line}:${column}`;
      const how = done.has(key) ? undefined : choose(task);
      if (!how || proposals.length === 0) return proposals;
      done.add(key);
      const source = await context.readFile(task.finding.file);
      const [best, ...others] = proposals;
      const changes =
        how === 'behaviour'
          ? breakBehaviour(best!.changes)
          : breakTypes(best!.changes, source, count);
      // Only a sabotage that really changes the proposal counts.
      const own = (list: FileChange[]) =>
        list.filter((c) => c.file === task.finding.file).flatMap((c) => c.edits);
      if (applyEdits(source, own(changes)) !== applyEdits(source, own(best!.changes))) {
        count++;
        model.sabotaged = count;
      }
      return [{ ...best!, changes }, ...others];
    },
  };
  return model;
}

/**
 * A model that answers every finding with the codemods' fix plus an insertion of `text` at the top
 * of `file`: a proposal that reaches a file it should not (outside the repository, a symlink,
 * vendored code), for checking that improve drops it.
 */
export function createReachingModel(file: string, text = '// edited\n'): Model {
  const inner = createCodemodsModel();
  return {
    id: 'test:reach',
    builtin: true,
    supports: (task) => inner.supports(task),
    async propose(task, context) {
      const proposals = await inner.propose(task, context);
      return proposals.map((p) => ({
        ...p,
        changes: [...p.changes, { file, edits: [{ start: 0, end: 0, text }] }],
      }));
    },
  };
}
