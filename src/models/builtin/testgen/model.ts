import type { Model, ModelContext, Proposal, Task, TestTask } from '../../types.js';
import { emitTestFile, minimiseCalls } from './emit.js';
import { exploreModule } from './explore.js';
import type { Exploration, ExploreOptions } from './types.js';

const ID = 'builtin:testgen';

/** Wall-clock budget of exploring one module, unless the options say otherwise. */
const DEFAULT_TIMEOUT_MS = 60_000;
const DEFAULT_SEED = 1;

/** What `proposeTests` found: the proposal, or none and why. */
export interface TestGenResult {
  proposals: Proposal[];
  /** Why there is no proposal (exploring failed, nothing could be pinned); undefined with one. */
  reason: string | undefined;
  /** What exploring found, when it ran. */
  exploration: Exploration | undefined;
}

/** `builtin:testgen`, which can also say why it proposes nothing. */
export interface TestGenModel extends Model {
  proposeTests(task: TestTask, context: ModelContext): Promise<TestGenResult>;
}

/** Collaborators, replaceable in tests. */
export interface TestGenDependencies {
  explore?: (options: ExploreOptions) => Promise<Exploration>;
}

function isTestTask(task: Task): task is TestTask {
  return task.kind === 'test' && 'testFile' in task;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function nothing(reason: string, exploration?: Exploration): TestGenResult {
  return { proposals: [], reason, exploration };
}

/** Why an exploration gave nothing to pin. */
function emptyReason(task: TestTask, exploration: Exploration): string {
  const skipped = exploration.skipped.map((s) => `${s.exportName}: ${s.reason}`).join('; ');
  const tried = `${plural(exploration.tried, 'call')} tried`;
  if (exploration.calls.length === 0) {
    return `no call of ${task.file} could be observed (${tried})${skipped === '' ? '' : `; skipped ${skipped}`}`;
  }
  return `no call of ${task.file} behaved the same when repeated (${tried}): nothing to pin`;
}

/**
 * `builtin:testgen`: offline test generation for `test` tasks. Explores the task's module
 * (`exploreModule`), minimises and emits a characterisation test (`emitTestFile`), and proposes
 * it as a new file: one edit at 0..0 of the file, which does not exist yet. Offers nothing for
 * other task kinds; `proposeTests` says why it offers nothing.
 */
export function createTestGenModel(
  options: { timeoutMs?: number; seed?: number } = {},
  dependencies: TestGenDependencies = {},
): TestGenModel {
  const explore = dependencies.explore ?? exploreModule;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const seed = options.seed ?? DEFAULT_SEED;

  async function proposeTests(task: TestTask, context: ModelContext): Promise<TestGenResult> {
    const existing = await context.readFile(task.testFile).then(
      () => true,
      () => false,
    );
    if (existing)
      return nothing(`${task.testFile} exists already: a new test file is not written over it`);
    let exploration: Exploration;
    try {
      exploration = await explore({
        root: context.root,
        file: task.file,
        ...(task.exports === undefined ? {} : { exports: task.exports }),
        targetLines: task.uncoveredLines,
        timeoutMs,
        seed,
        ...(context.signal === undefined ? {} : { signal: context.signal }),
      });
    } catch (error) {
      if (context.signal?.aborted === true) throw error;
      const message = error instanceof Error ? error.message : String(error);
      return nothing(`exploring ${task.file} failed: ${message}`);
    }
    const calls = minimiseCalls(exploration.calls);
    if (calls.length === 0) return nothing(emptyReason(task, exploration), exploration);
    const emitted = emitTestFile(task.style, { ...exploration, calls }, task.testFile);
    const keys = new Set(calls.flatMap((c) => c.keys)).size;
    const reach =
      exploration.totalKeys > 0
        ? `they reach ${keys} of ${exploration.totalKeys} statements and branches of ${task.file}`
        : `coverage of ${task.file} was not measured`;
    const proposal: Proposal = {
      model: ID,
      title: `Tests for ${task.file}: ${plural(emitted.cases, 'case')}`,
      changes: [{ file: task.testFile, edits: [{ start: 0, end: 0, text: emitted.content }] }],
      rationale:
        `Characterisation tests of the behaviour observed by calling ${task.file}'s exports: ` +
        `${plural(exploration.tried, 'call')} tried in ${exploration.durationMs} ms, ` +
        `${exploration.calls.length} kept for reaching new code, minimised to ${calls.length}; ` +
        `${reach}.`,
    };
    return { proposals: [proposal], reason: undefined, exploration };
  }

  return {
    id: ID,
    builtin: true,
    supports: isTestTask,
    proposeTests,
    async propose(task, context) {
      if (!isTestTask(task)) return [];
      return (await proposeTests(task, context)).proposals;
    },
  };
}
