import { ValidationError } from '../../core/index.js';
import type { TestGenOptions, TestGenReport } from './types.js';

/**
 * `beast tests`: in a worktree on a new branch, measure coverage with the repository's runner,
 * pick the least-covered files (or the given ones), ask the models for tests (`test` tasks, with
 * repairs from the gate's errors for models that can), gate them, and commit the kept ones with
 * their evidence. The user's working tree is never touched.
 */
export function generateRepositoryTests(
  root: string,
  options: TestGenOptions,
): Promise<TestGenReport> {
  void root;
  void options;
  return Promise.reject(new ValidationError('beast tests: not built yet'));
}
